import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { allocBatch, dataSpecFromConfig, sampleBatch } from '../../src/engine/toy/data';
import { createRng } from '../../src/engine/shared/rng';
import { TfjsTrainer } from '../../src/engine/toy/tfjsTrainer';
import { config, finiteDifference, referenceLoss, type RefParams } from './helpers';

beforeAll(async () => {
  await initBackend(['wasm']);
});

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 2e-3, abs = 2e-6) {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...Array.from(expected, Math.abs));
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(rel * scale + abs);
  }
}

const shapes = [
  ['relu-output, K=2 with a sparsity sweep', { n: 5, m: 2, instances: 2, sparsityRange: '0.3:0.8', batch: 64, seed: 3 }],
  ['linear', { model: 'linear', n: 4, m: 3, sparsity: 0.5, batch: 32, seed: 4 }],
  ['relu-hidden (|x|)', { model: 'relu-hidden', n: 4, m: 3, sparsity: 0.3, batch: 32, seed: 5 }],
  ['relu-hidden-tied (privileged basis), K=2', { model: 'relu-hidden-tied', n: 5, m: 3, instances: 2, sparsityRange: '0.2:0.7', batch: 32, seed: 6 }],
] as const;

describe.each(shapes)('TF.js gradients: %s', (_, over) => {
  const c = config(over);
  let trainer: TfjsTrainer;
  let params: RefParams;
  let x: Float32Array;
  let importance: Float32Array;

  beforeAll(() => {
    trainer = new TfjsTrainer(c);
    trainer.step(20); // move away from the symmetric start so ReLUs are mixed
    const s = trainer.snapshot();
    params = { W: s.W, b: s.b, W2: s.W2 };
    const spec = dataSpecFromConfig(c);
    importance = spec.importance;
    x = sampleBatch(spec, createRng(99), allocBatch(spec));
    return () => trainer.dispose();
  });

  const loss = (p: RefParams) => referenceLoss(c, p, x, importance);

  it('loss matches the float64 reference', () => {
    expectClose(trainer.gradientsOn(x).loss, loss(params), 1e-5, 1e-7);
  });
  it('∂L/∂W and ∂L/∂b match central finite differences', () => {
    const g = trainer.gradientsOn(x);
    expectClose(g.W, finiteDifference(params, 'W', loss));
    expectClose(g.b, finiteDifference(params, 'b', loss));
    if (c.model === 'relu-hidden') expectClose(g.W2!, finiteDifference(params, 'W2', loss));
  });
});

it('∂L/∂W equals the closed form (Wx)δᵀ + (Wδ)xᵀ of science.md §3.4', () => {
  const c = config({ n: 4, m: 2, sparsity: 0.4, batch: 16, seed: 8 });
  const trainer = new TfjsTrainer(c);
  trainer.step(10);
  const { W, b } = trainer.snapshot();
  const spec = dataSpecFromConfig(c);
  const x = sampleBatch(spec, createRng(1), allocBatch(spec));
  const { n, m, batch: B } = c;
  const gW = new Float64Array(m * n);
  for (let r = 0; r < B; r++) {
    const xr = x.subarray(r * n, (r + 1) * n);
    const h = Array.from({ length: m }, (_, j) => xr.reduce((a, xi, i) => a + W[j * n + i] * xi, 0));
    const delta = Array.from({ length: n }, (_, i) => {
      const z = b[i] + h.reduce((a, hj, j) => a + W[j * n + i] * hj, 0);
      return z > 0 ? (2 * spec.importance[i] * (z - xr[i])) / (B * n) : 0;
    });
    for (let j = 0; j < m; j++) {
      const Wdelta = delta.reduce((a, d, i) => a + W[j * n + i] * d, 0);
      for (let i = 0; i < n; i++) gW[j * n + i] += h[j] * delta[i] + Wdelta * xr[i];
    }
  }
  expectClose(trainer.gradientsOn(x).W, gW, 1e-4);
  trainer.dispose();
});
