import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharkeySource, toyModelSource, type ActivationSource } from '../../src/engine/sae/activations';
import { initBackend } from '../../src/engine/shared/backend';
import { createRng } from '../../src/engine/shared/rng';
import { SaeTrainer, type SaeSnapshot } from '../../src/engine/sae/tfjsSae';
import { instanceL1, validateSaeConfig, type SaeConfig } from '../../src/engine/sae/config';
import { runSae } from '../../src/engine/sae/run';
import { evaluationDead, resampleDue } from '../../src/engine/sae/core';
import { bestMatches, latentFeatureCosines, mmcs } from '../../src/engine/sae/metrics';
import { config } from './helpers';

beforeAll(async () => {
  await initBackend(['wasm']);
});

const sae = (over: Partial<SaeConfig> = {}): SaeConfig => {
  const r = validateSaeConfig(over);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};

/** A fixed pentagon in R² as the "toy model", so SAE tests do not depend on training one. */
function pentagonSource(seed = 3): ActivationSource {
  const W = new Float32Array(10);
  for (let i = 0; i < 5; i++) {
    W[i] = Math.cos((2 * Math.PI * i) / 5);
    W[5 + i] = Math.sin((2 * Math.PI * i) / 5);
  }
  return toyModelSource(config({ n: 5, m: 2, sparsity: 0.975, importanceDecay: 1 }), 0, W, createRng(seed));
}

/** Float64 SAE loss of one instance, straight from science.md §6.1. */
function referenceLoss(s: SaeSnapshot, k: number, h: Float32Array, l1: number): number {
  const { dIn: d, L } = s;
  const B = h.length / d;
  let total = 0;
  for (let r = 0; r < B; r++) {
    const z = Array.from({ length: L }, (_, l) => {
      let a = s.benc[k * L + l];
      for (let j = 0; j < d; j++) a += s.Wenc[(k * L + l) * d + j] * (h[r * d + j] - s.bdec[k * d + j]);
      return Math.max(0, a);
    });
    let rec = 0;
    for (let j = 0; j < d; j++) {
      let y = s.bdec[k * d + j];
      for (let l = 0; l < L; l++) y += s.Wdec[(k * d + j) * L + l] * z[l];
      rec += (y - h[r * d + j]) ** 2;
    }
    total += rec / d + l1 * z.reduce((a, b) => a + b, 0);
  }
  return total / B;
}

describe('SAE config', () => {
  it('accepts the defaults and on/off for resampling', () => {
    expect(validateSaeConfig({ resample: 'off' }).config?.resample).toBe(false);
    expect(validateSaeConfig({}).ok).toBe(true);
  });
  it.each([
    [{ dictSize: 0 }, /dictSize must be an integer from 1/],
    [{ l1: -1 }, /l1 must be a number from 0 to 1000; got -1/],
    [{ resample: 'maybe' }, /resample must be true or false/],
    [{ l1Range: '0:1' }, /l1Range must be two positive numbers/],
    [{ deadWindow: 5000 }, /deadWindow \(5000\) must not exceed resampleEvery/],
    [{ saeLr: 'fast' }, /saeLr must be a number above 0/],
  ])('rejects %j', (input, message) => {
    const r = validateSaeConfig(input);
    expect(r.ok).toBe(false);
    expect(r.errors.some((e) => message.test(e))).toBe(true);
  });
  it('spreads λ log-spaced across instances', () => {
    const l = instanceL1({ saeInstances: 3, l1: 0, l1Range: [0.01, 1] });
    expect(l[1]).toBeCloseTo(0.1, 6);
  });
});

describe('SAE trainer', () => {
  it('has gradients that match central finite differences of the float64 loss', () => {
    const cfg = sae({ dictSize: 4, saeInstances: 2, l1Range: [0.05, 0.2], saeBatch: 16, resample: false });
    const t = new SaeTrainer(cfg, pentagonSource());
    t.step(30);
    const s = t.snapshot();
    const h = new Float32Array(16 * 2);
    pentagonSource(9).sample(16, h);
    const g = t.gradientsOn(h);
    const eps = 1e-4;
    for (const k of [0, 1]) {
      expect(g.loss[k]).toBeCloseTo(referenceLoss(s, k, h, s.l1[k]), 5);
      for (const [name, arr] of [['Wenc', s.Wenc], ['Wdec', s.Wdec], ['benc', s.benc], ['bdec', s.bdec]] as const) {
        const size = arr.length / 2;
        for (let i = k * size; i < (k + 1) * size; i++) {
          const orig = arr[i];
          arr[i] = orig + eps;
          const up = referenceLoss(s, k, h, s.l1[k]);
          arr[i] = orig - eps;
          const down = referenceLoss(s, k, h, s.l1[k]);
          arr[i] = orig;
          expect(Math.abs(g[name][i] - (up - down) / (2 * eps))).toBeLessThan(2e-4);
        }
      }
    }
    t.dispose();
  });

  it('keeps decoder columns at unit norm and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const t = new SaeTrainer(sae({ dictSize: 6, saeInstances: 3, saeBatch: 64, resampleEvery: 100, deadWindow: 50 }), pentagonSource());
    t.step(1);
    const during = tf.memory().numTensors;
    t.step(300); // includes resampling
    expect(tf.memory().numTensors).toBe(during);
    const s = t.snapshot();
    for (let k = 0; k < 3; k++) {
      for (let l = 0; l < 6; l++) {
        const norm = Math.hypot(s.Wdec[(k * 2 + 0) * 6 + l], s.Wdec[(k * 2 + 1) * 6 + l]);
        expect(norm).toBeCloseTo(1, 5);
      }
    }
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('kills latents when L1 is far too large, and the metrics say so', () => {
    // Adam moves every weight by ≈ lr per step whatever λ is, so a larger lr makes the death quick enough to test
    const t = new SaeTrainer(sae({ l1: 50, saeLr: 0.01, saeInstances: 2, saeBatch: 256, resample: false }), pentagonSource());
    const stats = t.step(2000);
    for (const s of stats) {
      expect(s.deadFraction).toBeGreaterThanOrEqual(0.6);
      expect(s.l0).toBeLessThan(0.05);
    }
    expect(Array.from(t.snapshot().dead).filter(Boolean).length).toBeGreaterThanOrEqual(6);
    t.dispose();
  });
});

describe('SAE metrics', () => {
  it('MMCS is 1 for a dictionary that contains every true direction, lower for a partial one', () => {
    const truth = Float32Array.from([1, 0, 0, 1]); // two directions in R²
    const full = Float32Array.from([0, 1, 1, 0]); // columns (0,1) and (1,0)
    const cos = latentFeatureCosines(full, 2, 2, truth, 2);
    expect(mmcs(cos, 2, 2)).toBeCloseTo(1, 6);
    expect(bestMatches(cos, 2, 2).map((m) => m.feature)).toEqual([1, 0]);
    expect(mmcs(cos, 2, 2, [true, false])).toBeCloseTo(0.5, 6); // the dead latent recovers nothing
    // a column pointing at −g cannot produce g (z ≥ 0): signed cosines, so it recovers nothing
    const flipped = latentFeatureCosines(Float32Array.from([0, -1, -1, 0]), 2, 2, truth, 2);
    expect(mmcs(flipped, 2, 2)).toBe(0);
    expect(bestMatches(flipped, 2, 2).map((m) => m.feature)).toEqual([-1, -1]);
  });
  it('Sharkey data has about the requested number of active features', () => {
    const src = sharkeySource(16, 64, 5, createRng(1));
    const h = new Float32Array(2000 * 16);
    src.sample(2000, h);
    let energy = 0;
    for (const v of h) energy += v * v;
    expect(energy / 2000).toBeGreaterThan(5 * (1 / 3) * 0.6); // E‖x‖² ≈ active × E[c²] (directions near-orthogonal)
    expect(energy / 2000).toBeLessThan(5 * (1 / 3) * 1.6);
  });
});

describe('A7: an SAE recovers the pentagon', () => {
  it('finds all five feature directions (MMCS > 0.95) with resampling', () => {
    const record = runSae(config({ n: 5, m: 2, sparsity: 0.975, importanceDecay: 1, seed: 1 }), sae({ saeInstances: 4, saeSteps: 12_000 }), { curvePoints: 4 });
    expect(record.base!.W).toHaveLength(2);
    expect(record.trueDirections).toHaveLength(5);
    const best = Math.max(...record.instances.map((i) => i.metrics.mmcs));
    expect(best).toBeGreaterThan(0.95);
    const winner = record.instances.find((i) => i.metrics.mmcs === best)!;
    expect(new Set(winner.metrics.bestMatch.map((m) => m.feature)).size).toBe(5); // each latent a different feature
  });
});

describe('dead latents are reported as they are (issue 15, item 4)', () => {
  it('never resamples in the last window: a step count that is a multiple of resampleEvery does not resample at the end', () => {
    expect(resampleDue(sae({ saeSteps: 5000, resampleEvery: 2500 }), 2500)).toBe(true);
    expect(resampleDue(sae({ saeSteps: 5000, resampleEvery: 2500 }), 5000)).toBe(false);
    expect(resampleDue(sae({ saeSteps: 6000, resampleEvery: 2500 }), 5000)).toBe(false); // 1000 steps left < one window
    expect(resampleDue(sae({ saeSteps: 7500, resampleEvery: 2500 }), 5000)).toBe(true);
    expect(resampleDue(sae({ saeSteps: 5000, resampleEvery: 2500, resample: false }), 2500)).toBe(false);
  });

  it('λ = 2 silences every latent: L0 = 0 and deadFraction 1 in every instance, on both engines, MMCS 0', () => {
    for (const saeEngine of ['fused', 'tfjs'] as const) {
      const record = runSae(config({ n: 5, m: 2, sparsity: 0.975, importanceDecay: 1, seed: 1, steps: 3000 }), sae({ l1: 2, saeInstances: saeEngine === 'fused' ? 2 : 1, saeSteps: 10_000, resampleEvery: 2500 }), { curvePoints: 2, saeEngine });
      for (const inst of record.instances) {
        expect(inst.metrics.l0).toBe(0);
        expect(inst.metrics.deadFraction).toBe(1);
        expect(inst.metrics.dead.every(Boolean)).toBe(true);
        expect(inst.metrics.mmcs).toBe(0);
      }
    }
  }, 120_000);

  it('a latent that fires on the evaluation set is alive, one that never does is dead, whatever the training window said', () => {
    // two latents on a 2-D pentagon source: latent 0 fires on feature 0, latent 1 has a bias that keeps it silent
    const src = pentagonSource();
    const Wenc = Float32Array.from([1, 0, 0, 1]);
    const benc = Float32Array.from([0, -100]);
    const bdec = new Float32Array(2);
    const { dead, fired } = evaluationDead({ Wenc, benc, bdec, K: 1, L: 2, dIn: 2 }, src, 4096);
    expect(Array.from(dead)).toEqual([0, 1]);
    expect(fired[0]).toBeGreaterThan(0);
    expect(fired[1]).toBe(0);
  });
});
