// The fused trainer's WebAssembly kernels: committed binary in sync with its source, the same batches
// as sampleBatch, and the same numbers as the JavaScript Gram path.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type LabConfig } from '../../src/engine/toy/config';
import { allocBatch, dataSpecFromConfig, sampleBatch } from '../../src/engine/toy/data';
import { FusedTrainer } from '../../src/engine/toy/fused/fusedTrainer';
import { FUSED_KERNEL_SOURCE_SHA256 } from '../../src/engine/kernels/fusedKernelWasm';
import { fusedKernelAvailable, FusedKernel } from '../../src/engine/kernels/fusedKernel';
import { forkSeed } from '../../src/engine/shared/rng';
import { denseFromSparse, SparseSampler } from '../../src/engine/toy/sparseBatch';
import { createRng } from '../../src/engine/shared/rng';

const cfg = (over: Partial<LabConfig>): LabConfig => ({ ...DEFAULT_CONFIG, batch: 128, seed: 21, ...over });

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

describe('fused WebAssembly kernels', () => {
  it('the committed binary was built from the committed source (else run src/engine/kernels/buildKernels.ts)', () => {
    const source = readFileSync(new URL('../../src/engine/kernels/fusedKernel.as.ts', import.meta.url));
    expect(createHash('sha256').update(source).digest('hex')).toBe(FUSED_KERNEL_SOURCE_SHA256);
  });

  it('runs in Node 20 and the fused trainer uses it by default', () => {
    expect(fusedKernelAvailable()).toBe(true);
    expect(new FusedTrainer(cfg({})).simd).toBe(true);
    expect(new FusedTrainer(cfg({ model: 'linear' })).simd).toBe(true);
    expect(new FusedTrainer(cfg({}), { simd: false }).simd).toBe(false);
    expect(new FusedTrainer(cfg({ model: 'relu-hidden' })).simd).toBe(true);
  });

  const samplerCases: [string, Partial<LabConfig>][] = [
    ['pentagon', {}],
    ['K = 4, sparsity range incl. dense', { n: 20, instances: 4, sparsityRange: [0, 0.99] }],
    ['signed values (relu-hidden)', { model: 'relu-hidden', n: 9, sparsity: 0.7 }],
    ['correlated sets (JS sampler on the shared generator state)', { n: 12, instances: 2, correlatedSets: 2, anticorrelatedSets: 1, setSize: 3, sparsity: 0.6 }],
  ];
  for (const [name, over] of samplerCases) {
    it(`the kernel's sampler draws sampleBatch's batches: ${name}`, () => {
      const c = cfg({ seed: 8, ...over });
      const spec = dataSpecFromConfig(c);
      const kernel = FusedKernel.create(spec.K, spec.n, c.m, spec.batch)!;
      const sampler = new SparseSampler(spec, forkSeed(c.seed, 2), kernel);
      const rng = createRng(c.seed).fork(2);
      const dense = allocBatch(spec);
      const fromKernel = allocBatch(spec);
      for (let step = 0; step < 3; step++) {
        sampleBatch(spec, rng, dense);
        for (let k = 0; k < spec.K; k++) {
          sampler.sampleInstance(k, kernel.rows);
          denseFromSparse(kernel.rows, spec.K, spec.n, k, fromKernel);
        }
        expect(fromKernel).toEqual(dense);
      }
    });
  }

  const shapes: [string, Partial<LabConfig>][] = [
    ['pentagon (odd n, padded)', {}],
    ['n=20 m=5 K=3 sparsity range', { n: 20, m: 5, instances: 3, sparsityRange: [0, 0.95] }],
    ['n=33 m=7 dense', { n: 33, m: 7, sparsity: 0 }],
    ['n=12 m=3 correlated sets', { n: 12, m: 3, correlatedSets: 2, anticorrelatedSets: 1, setSize: 3, sparsity: 0.6 }],
  ];
  for (const model of ['relu-output', 'linear'] as const) {
    for (const [name, over] of shapes) {
      it(`${model}, ${name}: same gradients and run as the JavaScript Gram path`, () => {
        const c = cfg({ model, ...over });
        const simd = new FusedTrainer(c, { path: 'gram' });
        const js = new FusedTrainer(c, { path: 'gram', simd: false });
        simd.step(60);
        js.step(60);
        const a = simd.snapshot();
        const b = js.snapshot();
        expect(maxRel(a.W, b.W)).toBeLessThan(1e-6);
        expect(maxRel(a.b, b.b)).toBeLessThan(1e-6);
        expect(maxRel(a.losses, b.losses)).toBeLessThan(1e-9);
        const spec = dataSpecFromConfig(c);
        const batch = sampleBatch(spec, createRng(6), allocBatch(spec));
        for (const keepZeros of [false, true]) {
          const gs = simd.gradientsOn(batch, { keepZeros });
          const gj = js.gradientsOn(batch, { keepZeros });
          expect(maxRel(gs.loss, gj.loss)).toBeLessThan(1e-9);
          expect(maxRel(gs.W, gj.W)).toBeLessThan(1e-9);
          expect(maxRel(gs.b, gj.b)).toBeLessThan(1e-9);
        }
      });
    }
  }

  it('a batch larger than the kernel was sized for falls back to the JavaScript path', () => {
    const c = cfg({ n: 10, m: 3, sparsity: 0.5, batch: 16 });
    const simd = new FusedTrainer(c, { path: 'gram' });
    const js = new FusedTrainer(c, { path: 'gram', simd: false });
    const spec = { ...dataSpecFromConfig(c), batch: 200 };
    const batch = sampleBatch(spec, createRng(2), allocBatch(spec));
    const gs = simd.gradientsOn(batch);
    const gj = js.gradientsOn(batch);
    expect(maxRel(gs.W, gj.W)).toBeLessThan(1e-9);
    expect(maxRel(gs.b, gj.b)).toBeLessThan(1e-9);
  });
});
