// The sparse sampler must draw exactly the stream that sampleBatch draws (same seed → same batches),
// so that the fused and TF.js engines train on identical data.

import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type LabConfig } from '../../src/engine/toy/config';
import { allocBatch, dataSpecFromConfig, sampleBatch } from '../../src/engine/toy/data';
import { createRng } from '../../src/engine/shared/rng';
import { forkSeed, Sfc32, sfc32State } from '../../src/engine/shared/rng';
import { allocSparseRows, denseFromSparse, sparseFromDense, SparseSampler } from '../../src/engine/toy/sparseBatch';

const cfg = (over: Partial<LabConfig>): LabConfig => ({ ...DEFAULT_CONFIG, batch: 64, ...over });

describe('inlined sfc32', () => {
  it('reproduces createRng(seed) and its forks', () => {
    for (const seed of [0, 1, 7, 123456, 4_294_967_295]) {
      for (const [rng, g] of [
        [createRng(seed), new Sfc32(sfc32State(seed))],
        [createRng(seed).fork(2), new Sfc32(sfc32State(forkSeed(seed, 2)))],
        [createRng(seed).fork(1), new Sfc32(sfc32State(forkSeed(seed, 1)))],
      ] as const) {
        for (let i = 0; i < 1000; i++) expect(g.next()).toBe(rng.next());
      }
    }
  });
});

describe('SparseSampler', () => {
  const cases: [string, Partial<LabConfig>][] = [
    ['pentagon setting', {}],
    ['dense (S = 0)', { n: 7, sparsity: 0 }],
    ['K = 4 with a sparsity range', { n: 20, instances: 4, sparsityRange: [0, 0.95] }],
    ['correlated + anticorrelated sets, paper convention', { n: 13, instances: 2, correlatedSets: 2, anticorrelatedSets: 2, setSize: 3, sparsity: 0.6 }],
    ['anticorrelated sets, marginal convention', { n: 10, anticorrelatedSets: 3, setSize: 2, sparsity: 0.8, anticorrelatedConvention: 'marginal' }],
    ['signed values (relu-hidden)', { model: 'relu-hidden', n: 9, sparsity: 0.7 }],
  ];
  for (const [name, over] of cases) {
    it(`gives sampleBatch's values and records exactly the non-zero features: ${name}`, () => {
      const c = cfg({ seed: 5, ...over });
      const spec = dataSpecFromConfig(c);
      const rng = createRng(c.seed).fork(2);
      const sampler = new SparseSampler(spec, forkSeed(c.seed, 2));
      const dense = allocBatch(spec);
      const fromSparse = allocBatch(spec);
      const rows = allocSparseRows(spec.batch, spec.n);
      for (let step = 0; step < 3; step++) {
        sampleBatch(spec, rng, dense);
        for (let k = 0; k < spec.K; k++) {
          sampler.sampleInstance(k, rows);
          for (let e = 0; e < rows.start[rows.rows]; e++) expect(rows.val[e]).not.toBe(0);
          denseFromSparse(rows, spec.K, spec.n, k, fromSparse);
        }
        expect(fromSparse).toEqual(dense);
      }
    });
  }

  it('sparseFromDense keeps the non-zeros, or every entry with keepZeros', () => {
    const spec = dataSpecFromConfig(cfg({ n: 6, instances: 2, sparsity: 0.5 }));
    const dense = sampleBatch(spec, createRng(3), allocBatch(spec));
    const back = allocBatch(spec);
    for (const keepZeros of [false, true]) {
      for (let k = 0; k < 2; k++) {
        const rows = sparseFromDense(dense, 2, 6, k, keepZeros);
        const nonZero = dense.subarray(k * 64 * 6, (k + 1) * 64 * 6).filter((x) => x !== 0).length;
        expect(rows.start[rows.rows]).toBe(keepZeros ? 64 * 6 : nonZero);
        denseFromSparse(rows, 2, 6, k, back);
      }
      expect(back).toEqual(dense);
    }
  });
});
