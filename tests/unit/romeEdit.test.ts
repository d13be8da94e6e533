// ROME on the shipped facts model (layer 0, the traced peak of the MLP effect at the last subject token):
// R-6 on a real edit, apply/undo, R-7/R-8 against the naive update and fine-tuning over 12 random edits, R-9 over 10
// sequential edits, and the "edit at every layer" comparison. The CLI run (`npm run lab -- rome --seed 1 --edits 50`)
// measures the same over 50 edits. Goals the tiny model misses are written as it.fails with the measured numbers in
// the title, so the suite stays honest: it turns red when one starts to pass (then make it a plain it).

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { namedParams } from '../../src/engine/transformer/model';
import { singularValues } from '../../src/engine/rome/linalg';
import { untouchedAccuracy } from '../../src/engine/rome/metrics';
import { pickEdits, RomeEditor } from '../../src/engine/rome/rome';
import { compareLayers, runOneEdit, runSequential, summarise, type EditSummary } from '../../src/engine/rome/run';
import { shippedModel } from './romeShipped';

let m: ReturnType<typeof shippedModel>;
let editor: RomeEditor;
const LAYER = 0;
const summaries: Record<string, EditSummary> = {};

beforeAll(async () => {
  await initBackend(['wasm', 'cpu']);
  m = shippedModel();
  editor = new RomeEditor(m.trainer, m.set, 1);
});

describe('ROME edits', () => {
  it('R-6 on a real edit: Ŵk* = v* to 1e-4, rank(ΔW) = 1, only W_out of the layer changes, undo restores', () => {
    const [e] = pickEdits(m.set, 1, 3);
    const before = namedParams(m.trainer.params());
    const info = editor.apply({ ...e, layer: LAYER, method: 'rome' });
    expect(info.constraintErr).toBeLessThan(1e-4);
    const after = namedParams(m.trainer.params());
    after.forEach((p, i) => {
      if (p.name === `L${LAYER}.Wout`) {
        const dW = p.data.map((x, j) => x - before[i].data[j]);
        const sv = singularValues(dW, m.trainer.shape.dMlp, m.trainer.shape.dModel);
        expect(sv[1] / sv[0]).toBeLessThan(1e-3);
      } else expect(p.data).toEqual(before[i].data);
    });
    expect(editor.undo()).toBe(true);
    expect(namedParams(m.trainer.params())).toEqual(before);
    expect(editor.undo()).toBe(false);
  });

  it('runs 12 independent edits with ROME, the naive update and fine-tuning', () => {
    const edits = pickEdits(m.set, 12, 1);
    const acc = untouchedAccuracy(m.trainer, m.set, []);
    const tensors = tf.memory().numTensors;
    for (const method of ['rome', 'naive', 'finetune'] as const) {
      summaries[method] = summarise(method, LAYER, acc, edits.map((e) => runOneEdit(editor, { ...e, layer: LAYER, method })));
    }
    for (const s of Object.values(summaries)) {
      expect(s.count).toBe(12);
      console.log(JSON.stringify(s));
    }
    expect(summaries.rome.maxConstraintErr).toBeLessThan(1e-4);
    expect(summaries.naive.maxConstraintErr).toBeLessThan(1e-4);
    expect(editor.editsApplied).toBe(0);
    // v* and fine-tuning run on TF.js: no tensor may outlive an edit
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('R-7: efficacy ≥ 0.95 and o* top-1 on ≥ 90 % of the rewrite prompts', () => {
    expect(summaries.rome.efficacy).toBeGreaterThanOrEqual(0.95);
    expect(summaries.rome.efficacyTop1).toBeGreaterThanOrEqual(0.9);
  });
  it('R-8: paraphrase ≥ 0.8', () => {
    expect(summaries.rome.paraphrase).toBeGreaterThanOrEqual(0.8);
  });
  it('R-8: neighbourhood and token-sharing ≥ 0.8, untouched accuracy down ≤ 0.05', () => {
    const r = summaries.rome;
    expect(r.neighbourhood).toBeGreaterThanOrEqual(0.8);
    expect(r.tokenSharing).toBeGreaterThanOrEqual(0.8);
    expect(r.accuracyBefore - r.accuracyAfter).toBeLessThanOrEqual(0.05);
  });
  it('R-8: ROME’s neighbourhood score is above the naive update’s and fine-tuning’s', () => {
    expect(summaries.rome.neighbourhood).toBeGreaterThan(summaries.naive.neighbourhood);
    expect(summaries.rome.neighbourhood).toBeGreaterThan(summaries.finetune.neighbourhood);
  });

  it('R-9: 10 sequential edits (consistent keys) log ‖ΔW‖ and the untouched accuracy; undone afterwards', () => {
    const seq = runSequential(editor, pickEdits(m.set, 10, 2), LAYER);
    console.log(`R-9: accuracy ${seq.accuracyAfter.map((x) => x.toFixed(3)).join(' ')}; ‖ΔW‖/‖W‖ ${seq.normRatio.map((x) => x.toFixed(2)).join(' ')}; efficacy ${seq.efficacy.toFixed(3)}`);
    expect(seq.accuracyAfter).toHaveLength(10);
    expect(seq.normRatio[9]).toBeGreaterThan(seq.normRatio[0]);
    expect(editor.editsApplied).toBe(0);
    sequentialDrop = 1 - seq.accuracyAfter[9];
  });
  it.fails('R-9: untouched accuracy stays within 10 points after 10 edits (measured: 1.000 → 0.853 after 10, ‖ΔW‖/‖W‖ 7.4)', () => {
    expect(sequentialDrop).toBeLessThanOrEqual(0.1);
  });

  it('edits at every layer: one summary per layer (the trace’s peak need not be the best layer)', () => {
    const rows = compareLayers(editor, pickEdits(m.set, 2, 4), 1);
    expect(rows.map((r) => r.layer)).toEqual([0, 1, 2, 3]);
    // the closed form holds at every layer; what each layer's edit achieves is measured, not assumed
    for (const r of rows) {
      expect(r.maxConstraintErr).toBeLessThan(1e-4);
      for (const x of [r.efficacy, r.paraphrase, r.neighbourhood, r.tokenSharing]) expect(x).toBeGreaterThanOrEqual(0);
    }
    console.log(rows.map((r) => `layer ${r.layer}: efficacy ${r.efficacy.toFixed(2)} neighbourhood ${r.neighbourhood.toFixed(2)} accuracy ${r.accuracyAfter.toFixed(3)}`).join('; '));
  });
});

let sequentialDrop = NaN;
