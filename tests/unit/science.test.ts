// Science: train real models with fixed seeds and check the paper's numbers (science.md §7).

import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { allocBatch, dataSpecFromConfig, sampleBatch } from '../../src/engine/toy/data';
import { angleGaps, createTrainer, instanceMetrics, instanceSparsities, type LabConfig, type Snapshot } from '../../src/engine/index';
import { createRng } from '../../src/engine/shared/rng';
import { trainToEnd } from '../../src/engine/toy/runner';
import { instanceB, instanceW } from '../../src/engine/toy/snapshot';
import { config, referenceLoss } from './helpers';

beforeAll(async () => {
  await initBackend(['wasm']);
});

/** Train to the end; the snapshot's losses are the mean over the last 1% of steps. */
function train(c: LabConfig): Snapshot {
  const t = createTrainer(c, 'auto');
  trainToEnd(t, { curvePoints: 1 });
  const s = t.snapshot();
  t.dispose();
  return s;
}

/** Loss on 20k fresh samples, in float64, independent of the trainer's own loss. */
function evalLoss(c: LabConfig, s: Snapshot): number[] {
  const big = { ...c, batch: 20_000 };
  const spec = dataSpecFromConfig(big);
  const x = sampleBatch(spec, createRng(12345), allocBatch(spec));
  return referenceLoss(big, s, x, spec.importance);
}

const angleBetween = (W: Float32Array, n: number, i: number, j: number) => {
  const dot = W[i] * W[j] + W[n + i] * W[n + j];
  return (Math.acos(dot / (Math.hypot(W[i], W[n + i]) * Math.hypot(W[j], W[n + j]))) * 180) / Math.PI;
};

describe('A1: dense n=5, m=2 is PCA', () => {
  const c = config({ n: 5, m: 2, sparsity: 0, importanceDecay: 0.9, steps: 10_000, seed: 0 });
  let s: Snapshot;
  beforeAll(() => {
    s = train(c);
  });

  it('gives the top-2 features orthogonal unit vectors and drops the rest', () => {
    const met = instanceMetrics(s.W, 2, 5);
    expect(met.featureNorms[0]).toBeCloseTo(1, 1);
    expect(met.featureNorms[1]).toBeCloseTo(1, 1);
    expect(Math.abs(angleBetween(s.W, 5, 0, 1) - 90)).toBeLessThan(3);
    for (const i of [2, 3, 4]) {
      expect(met.featureNorms[i]).toBeLessThan(0.1);
      expect(s.b[i]).toBeCloseTo(0.5, 1); // ReLU(b) = E[x_i]
    }
    expect(met.geometry).toBe('2 dedicated dimensions');
  });

  it('reaches the optimal loss (1/5)·Σ_{i≥2} 0.9^i/12 = 0.0366', () => {
    expect(s.losses[0]).toBeGreaterThan(0.0366 * 0.95);
    expect(s.losses[0]).toBeLessThan(0.0366 * 1.05);
    expect(evalLoss(c, s)[0]).toBeCloseTo(0.0366, 3);
  });
});

describe('A2: sparse n=5, m=2 is a pentagon', () => {
  const c = config({ n: 5, m: 2, sparsity: 0.95, importanceDecay: 0.9, steps: 10_000, seed: 1 });
  let s: Snapshot;
  beforeAll(() => {
    s = train(c);
  });

  it('represents all five features with D_i ≈ 2/5', () => {
    const met = instanceMetrics(s.W, 2, 5);
    for (const d of met.featureDimensionality) expect(Math.abs(d - 0.4)).toBeLessThan(0.03);
    for (const norm of met.featureNorms) expect(norm).toBeGreaterThan(1.0);
    expect(met.geometry).toBe('pentagon');
  });

  it('spaces them 72° apart, with negative biases and loss ≈ 0.0015', () => {
    const { gaps } = angleGaps(s.W, 5);
    expect(gaps).toHaveLength(5);
    for (const g of gaps) expect(Math.abs(g - 72)).toBeLessThan(5);
    for (const b of s.b) expect(b).toBeLessThan(-0.1);
    const loss = evalLoss(c, s)[0];
    expect(loss).toBeGreaterThan(0.001);
    expect(loss).toBeLessThan(0.002);
  });
});

describe('A3: the sparsity sweep of the intro figure (K=10, p = 20^−linspace(0,1,10))', () => {
  const c = config({ n: 5, m: 2, instances: 10, sparsityRange: '0:0.95', steps: 10_000, seed: 2 });
  let s: Snapshot;
  beforeAll(() => {
    s = train(c);
  });
  it('goes from 2 orthogonal features (dense) to 5 in superposition (sparse)', () => {
    const sparsities = instanceSparsities(c);
    const geometry = sparsities.map((_, k) => instanceMetrics(instanceW(s, k), 2, 5).geometry);
    expect(geometry[0]).toBe('2 dedicated dimensions');
    expect(['pentagon', '2 antipodal pairs']).toContain(geometry[9]);
    const represented = sparsities.map((_, k) => instanceMetrics(instanceW(s, k), 2, 5).featureNorms.filter((x) => x > 0.5).length);
    expect(represented[0]).toBe(2);
    expect(represented[9]).toBeGreaterThanOrEqual(4);
    // more sparsity never represents fewer features, up to one of slack in the transition
    for (let k = 1; k < 10; k++) expect(represented[k]).toBeGreaterThanOrEqual(represented[k - 1] - 1);
  });
});

describe('the linear model keeps the m most important features at any sparsity', () => {
  const c = config({ model: 'linear', n: 6, m: 2, instances: 3, sparsityRange: '0:0.9', steps: 6000, seed: 0 });
  it('has ‖W_0‖ ≈ ‖W_1‖ ≈ 1, the rest ≈ 0, and bias of a dropped feature ≈ p/2', () => {
    const s = train(c);
    instanceSparsities(c).forEach((S, k) => {
      const met = instanceMetrics(instanceW(s, k), 2, 6);
      expect(met.featureNorms[0]).toBeGreaterThan(0.9);
      expect(met.featureNorms[1]).toBeGreaterThan(0.9);
      for (let i = 2; i < 6; i++) expect(met.featureNorms[i]).toBeLessThan(0.15);
      expect(instanceB(s, k)[5]).toBeCloseTo((1 - S) / 2, 1);
    });
  });
});
