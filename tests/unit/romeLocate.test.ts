// The "Locate & edit" tab's engine helpers (src/engine/rome/locate.ts) and its worker session in Node: the settings
// validator, the step-by-step average trace / edit at every layer / sequential edits equal run.ts's one-shot
// functions, and the session loads the shipped model, traces, edits (the page's edit leaves the original model
// untouched for tracing) and undoes.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { namedParams } from '../../src/engine/transformer/model';
import { createFactsTrainer } from '../../src/engine/rome/engine';
import { objectToken } from '../../src/engine/rome/facts';
import { DEFAULT_LOCATE_SETTINGS, resolveLayer, resolveNewObject, subjectName, tracePeaks, validateLocateSettings } from '../../src/engine/rome/locate';
import { averageTraceSteps, compareLayerSteps, editProbes, sequentialSteps } from '../../src/engine/rome/locateSteps';
import { MODEL_FILE_NAME } from '../../src/engine/rome/modelFile';
import { pickEdits, RomeEditor } from '../../src/engine/rome/rome';
import { compareLayers, runSequential, traceAverage } from '../../src/engine/rome/run';
import type { FromRomeWorker, RomeResultMessage } from '../../src/worker/romeProtocol';
import { RomeSession } from '../../src/worker/romeSession';
import { shippedModel } from './romeShipped';

let m: ReturnType<typeof shippedModel>;

beforeAll(async () => {
  await initBackend(['wasm', 'cpu']);
  m = shippedModel();
});

describe('locate settings', () => {
  it('validates link values with one message each and keeps the defaults', () => {
    expect(validateLocateSettings({ subject: '12', relation: '2', layer: '1', newObject: '5' })).toMatchObject({ ok: true, config: { subject: 12, relation: 2, layer: '1', newObject: '5' } });
    const bad = validateLocateSettings({ subject: '200', layer: 'top' });
    expect(bad.ok).toBe(false);
    expect(bad.errors).toHaveLength(2);
    expect(bad.errors.join(' ')).toMatch(/subject/);
    expect(bad.errors.join(' ')).toMatch(/layer/);
    expect(validateLocateSettings({})).toMatchObject({ ok: true, config: DEFAULT_LOCATE_SETTINGS });
  });

  it('resolves the layer and the new object against the model and the fact', () => {
    expect(resolveLayer('peak', 4, 2)).toEqual({ layer: 2, problem: null });
    expect(resolveLayer('3', 4, 0)).toEqual({ layer: 3, problem: null });
    expect(resolveLayer('7', 4, 0).problem).toMatch(/does not exist/);
    const fact = { id: 0, subject: 0, relation: 0, object: 3 };
    expect(resolveNewObject('auto', fact)).toBe(4);
    expect(resolveNewObject('3', fact)).toBe(4);
    expect(resolveNewObject('6', fact)).toBe(6);
    expect(resolveNewObject('auto', { ...fact, object: 7 })).toBe(0);
    expect(subjectName(m.set, 0)).toMatch(/^A\d+ B\d+$/);
  });
});

describe('step by step equals one shot', () => {
  it('the averaged trace', () => {
    const steps = [...averageTraceSteps(m.trainer, m.set, 3, 4, 1)];
    expect(steps.map((s) => s.done)).toEqual([1, 2, 3]);
    const { avg } = traceAverage(m.trainer, m.set, m.trainer.params(), 3, 4, 1);
    expect(steps.at(-1)!.avg).toEqual(avg);
    // the peak as the averaged trace reads it
    expect(tracePeaks(avg).subjectLayer).toBe(avg.subjectPeakLayer);
    expect(tracePeaks(avg)).toMatchObject({ token: avg.peak.token, layer: avg.peak.layer });
  });

  it('sequential edits (and the model is the original one after, also when stopped)', () => {
    const editor = new RomeEditor(m.trainer, m.set, 1);
    const edits = pickEdits(m.set, 2, 5);
    const ref = runSequential(editor, edits, 0);
    const gen = sequentialSteps(editor, edits, 0);
    let r = gen.next();
    while (!r.done) r = gen.next();
    expect(r.value).toMatchObject({ done: 2, total: 2, accuracyAfter: ref.accuracyAfter, normRatio: ref.normRatio, efficacy: ref.efficacy });
    expect(editor.editsApplied).toBe(0);
    const stopped = sequentialSteps(editor, edits, 0);
    stopped.next();
    stopped.next();
    expect(editor.editsApplied).toBe(1);
    stopped.return(undefined as never);
    expect(editor.editsApplied).toBe(0);
    expect(namedParams(m.trainer.params()).map((p) => Array.from(p.data))).toEqual(namedParams(editor.original).map((p) => Array.from(p.data)));
  });

  it('edit at every layer', () => {
    const editor = new RomeEditor(m.trainer, m.set, 1);
    const edits = pickEdits(m.set, 1, 9);
    const ref = compareLayers(editor, edits, 1);
    let last: ReturnType<typeof compareLayerSteps> extends Generator<infer Y, infer R> ? Y | R : never = [];
    for (const s of compareLayerSteps(editor, edits, 1)) last = s;
    expect(last).toMatchObject({ done: 4, total: 4 });
    expect((last as { layers: unknown[] }).layers.map((l) => ({ ...(l as object), normRatio: 0 }))).toEqual(ref.map((l) => ({ ...l, normRatio: 0 })));
  });
});

describe('the locate & edit worker session', () => {
  it('loads the shipped model, traces a fact, edits it, and undoes', async () => {
    const messages: FromRomeWorker[] = [];
    const queue: (() => void)[] = [];
    const session = new RomeSession({
      createTrainer: (c) => createFactsTrainer(c),
      loadModel: async () => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'public', MODEL_FILE_NAME), 'utf8')),
      post: (msg) => messages.push(msg),
      now: () => performance.now(),
      yieldThen: (fn) => queue.push(fn),
      // as rome.worker.ts does
      scope<T>(fn: () => T): T {
        let out: T | undefined;
        tf.tidy(() => void (out = fn()));
        return out as T;
      },
    });
    const drain = (until: () => boolean) => {
      for (let i = 0; i < 10_000 && queue.length && !until(); i++) queue.shift()!();
    };
    const results = () => messages.filter((x): x is RomeResultMessage => x.type === 'result');
    await session.configure(1, { source: 'shipped', seed: 1, modelUrl: 'unused' });
    const model = messages.find((x) => x.type === 'model')!;
    expect(model).toMatchObject({ runId: 1, source: 'shipped', layers: 4 });
    expect((model as { accuracy: { all: number } }).accuracy.all).toBeGreaterThanOrEqual(0.99);

    const fact = m.set.facts[5];
    const newObject = (fact.object + 1) % 8;
    const tensors = tf.memory().numTensors;
    session.request({ type: 'trace', requestId: 1, factId: 5 });
    session.request({ type: 'edit', requestId: 2, factId: 5, newObject, layer: 0 });
    session.request({ type: 'trace', requestId: 3, factId: 5 });
    session.request({ type: 'undo', requestId: 4 });
    drain(() => results().some((r) => r.requestId === 4));
    const [t1, edit, t3, undo] = [1, 2, 3, 4].map((id) => results().find((r) => r.requestId === id)!);
    // a new trace request replaces a queued one: only the last trace ran, on the original model
    expect(t1).toBeUndefined();
    expect(t3).toMatchObject({ task: 'trace', factId: 5 });
    expect(edit).toMatchObject({ task: 'edit', final: true });
    if (edit.task !== 'edit' || t3.task !== 'trace') throw new Error('unexpected results');
    expect(edit.before[0].group).toBe('rewrite');
    expect(edit.before[0].pTrue).toBeGreaterThan(edit.before[0].pNew);
    expect(edit.after[0].newToken).toBe(objectToken(fact.relation, newObject));
    expect(edit.scores.efficacy).toBeGreaterThan(0.5);
    expect(edit.info.normRatio).toBeGreaterThan(0);
    expect(undo).toMatchObject({ task: 'undo', undone: true });
    // ROME's v* optimisation runs on TF.js: nothing left behind (the engine disposes its tensors; the worker's scope is a second guard)
    expect(tf.memory().numTensors).toBe(tensors);
    // the three methods side by side, each on the original model
    session.request({ type: 'compare', requestId: 5, factId: 5, newObject, layer: 0 });
    drain(() => results().some((r) => r.requestId === 5 && r.final));
    const compare = results().filter((r) => r.requestId === 5).at(-1)!;
    if (compare.task !== 'compare') throw new Error('unexpected result');
    expect(compare.methods.map((x) => x.method)).toEqual(['rome', 'naive', 'finetune']);
    expect(tf.memory().numTensors).toBe(tensors);
    // after the undo the model answers as before
    const probes = editProbes(m.trainer, m.set, fact, newObject);
    expect(probes[0].pTrue).toBeCloseTo(edit.before[0].pTrue, 5);
    session.dispose();
  });
});
