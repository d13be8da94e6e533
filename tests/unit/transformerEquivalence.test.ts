// The two transformer engines hold each other to the same numbers: on the same parameters and
// tokens the same loss and gradients, and from the same seed, after a few hundred Adam steps on the
// same batches, the same weights (float32 rounding apart).

import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { createRng } from '../../src/engine/shared/rng';
import { sampleBatch, trainingRng } from '../../src/engine/transformer/data';
import { DEFAULT_INDUCTION_CONFIG, inductionShape, validateInductionConfig } from '../../src/engine/transformer/config';
import { FusedTransformer } from '../../src/engine/transformer/fusedTransformer';
import { namedParams, type TransformerShape } from '../../src/engine/transformer/model';
import { TfjsTransformer } from '../../src/engine/transformer/tfjsTransformer';

beforeAll(async () => {
  await initBackend(['wasm', 'cpu']);
});

/** max |a − b| over max |b|, per named parameter */
function relativeGap(a: Map<string, Float32Array>, b: Map<string, Float32Array>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, x] of b) {
    const y = a.get(name)!;
    let err = 0, scale = 1e-12;
    for (let i = 0; i < x.length; i++) {
      err = Math.max(err, Math.abs(y[i] - x[i]));
      scale = Math.max(scale, Math.abs(x[i]));
    }
    out.set(name, err / scale);
  }
  return out;
}

function randomTokens(shape: TransformerShape, B: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const out = new Int32Array(B * shape.ctx);
  for (let i = 0; i < out.length; i++) out[i] = i % shape.ctx === 0 ? shape.vocab - 1 : Math.floor(rng.next() * (shape.vocab - 1));
  return out;
}

describe('fused and TF.js transformer engines agree', () => {
  const shapes: [string, TransformerShape][] = [
    ['the default induction model', inductionShape(DEFAULT_INDUCTION_CONFIG)],
    ['with MLP and LayerNorm', { layers: 2, heads: 2, dModel: 16, vocab: 20, ctx: 10, mlp: true, dMlp: 32, layerNorm: true }],
  ];
  for (const [label, shape] of shapes) {
    it(`${label}: the same loss and gradients`, () => {
      const opts = { seed: 5, lr: 1e-2, weightDecay: 0 };
      const fused = new FusedTransformer(shape, opts);
      const tfjs = new TfjsTransformer(shape, opts);
      const tokens = randomTokens(shape, 4, 9);
      const a = fused.gradientsOn(tokens, 4);
      const b = tfjs.gradientsOn(tokens, 4);
      expect(a.loss).toBeCloseTo(b.loss, 5);
      for (const [name, gap] of relativeGap(a.grads, b.grads)) expect(gap, name).toBeLessThan(2e-4);
      fused.dispose();
      tfjs.dispose();
    });
  }

  it('the default config: the same weights after 200 Adam steps on the same batches', () => {
    const config = validateInductionConfig({ seed: 3 }).config!;
    const shape = inductionShape(config);
    const opts = { seed: config.seed, lr: config.lr, weightDecay: config.weightDecay };
    const fused = new FusedTransformer(shape, opts);
    const tfjs = new TfjsTransformer(shape, opts);
    const rng = trainingRng(config.seed);
    let lossF = 0, lossT = 0;
    for (let s = 0; s < 200; s++) {
      const tokens = sampleBatch(config, rng, config.batch);
      lossF = fused.trainStep(tokens, config.batch);
      lossT = tfjs.trainStep(tokens, config.batch);
    }
    expect(Math.abs(lossF - lossT)).toBeLessThan(5e-3 * lossT);
    const pf = new Map(namedParams(fused.params()).map((p) => [p.name, p.data]));
    const pt = new Map(namedParams(tfjs.params()).map((p) => [p.name, p.data]));
    for (const [name, gap] of relativeGap(pf, pt)) expect(gap, name).toBeLessThan(2e-3);
    fused.dispose();
    tfjs.dispose();
  }, 120_000);
});
