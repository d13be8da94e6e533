// The fused SAE engine against the TF.js one: same gradients on the same weights and data, and the
// same run (weights, metrics, resampling) after many steps from the same seed.

import { beforeAll, describe, expect, it } from 'vitest';
import { sharkeySource, toyModelSource, type ActivationSource } from '../../src/engine/sae/activations';
import { initBackend } from '../../src/engine/shared/backend';
import { createRng } from '../../src/engine/shared/rng';
import { SaeTrainer } from '../../src/engine/sae/tfjsSae';
import { validateSaeConfig, type SaeConfig } from '../../src/engine/sae/config';
import { createSaeTrainer, preferredSaeEngine } from '../../src/engine/sae/engine';
import { SaeFusedTrainer } from '../../src/engine/sae/fused';
import { SaeKernel, saeKernelAvailable, type InstanceArrays } from '../../src/engine/kernels/saeKernel';
import { adamStep, adamUpdate } from '../../src/engine/shared/adam';
import { SAE_KERNEL_SOURCE_SHA256 } from '../../src/engine/kernels/saeKernelWasm';
import { firingOn } from '../../src/engine/sae/core';
import { kernelSourceSha } from '../../src/engine/kernels/kernelSources';
import { config } from './helpers';

beforeAll(async () => {
  await initBackend(['wasm']);
});

const sae = (over: Partial<Record<keyof SaeConfig, unknown>> = {}): SaeConfig => {
  const r = validateSaeConfig(over);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};

function pentagon(seed = 3): ActivationSource {
  const W = new Float32Array(10);
  for (let i = 0; i < 5; i++) {
    W[i] = Math.cos((2 * Math.PI * i) / 5);
    W[5 + i] = Math.sin((2 * Math.PI * i) / 5);
  }
  return toyModelSource(config({ n: 5, m: 2, sparsity: 0.975, importanceDecay: 1 }), 0, W, createRng(seed));
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 0, diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return scale ? diff / scale : diff;
}

describe('fused SAE engine', () => {
  it.each([
    ['pentagon, 4 latents, 2 λ', () => pentagon(), { dictSize: 4, saeInstances: 2, l1Range: '0.05:0.2', saeBatch: 64, resample: 'off' }],
    ['Sharkey data, d=12, 24 latents', () => sharkeySource(12, 16, 3, createRng(5)), { data: 'sharkey', dictSize: 24, saeInstances: 3, l1Range: '0.001:0.05', saeBatch: 64, resample: 'off' }],
  ] as const)('has the TF.js engine gradients on the same weights and data (%s)', (_name, source, over) => {
    const cfg = sae(over);
    const a = new SaeTrainer(cfg, source());
    const b = new SaeFusedTrainer(cfg, source());
    a.step(40);
    b.step(40);
    const h = new Float32Array(64 * a.dIn);
    source().sample(64, h);
    const ga = a.gradientsOn(h);
    const gb = b.gradientsOn(h);
    for (const key of ['loss', 'Wenc', 'benc', 'Wdec', 'bdec'] as const) expect(maxRelDiff(ga[key], gb[key]), key).toBeLessThan(1e-4);
    a.dispose();
  });

  it('follows the TF.js run step for step, resampling included (pentagon, 8 instances, 3000 steps)', () => {
    const cfg = sae({ saeInstances: 8, saeBatch: 256, resampleEvery: 500, deadWindow: 250, l1Range: '0.05:5', saeLr: 0.003 });
    const a = new SaeTrainer(cfg, pentagon());
    const b = new SaeFusedTrainer(cfg, pentagon());
    let sa = a.step(1), sb = b.step(1);
    for (let i = 0; i < 6; i++) {
      sa = a.step(500);
      sb = b.step(500);
    }
    const A = a.snapshot(), B = b.snapshot();
    expect(B.step).toBe(3001);
    expect(B.resampled).toEqual(A.resampled);
    expect(B.resampled.some((c) => c > 0)).toBe(true); // the large-λ instances did resample
    expect(Array.from(B.dead)).toEqual(Array.from(A.dead));
    for (const key of ['Wenc', 'benc', 'Wdec', 'bdec'] as const) expect(maxRelDiff(A[key], B[key]), key).toBeLessThan(2e-3);
    for (let k = 0; k < 8; k++) {
      expect(sb[k].mmcs).toBeCloseTo(sa[k].mmcs, 3);
      expect(sb[k].l0).toBeCloseTo(sa[k].l0, 2);
      expect(sb[k].loss).toBeCloseTo(sa[k].loss, 4);
    }
    a.dispose();
  });

  it('runs its passes in the WebAssembly SIMD kernel, which matches the JavaScript pass (float32 vs float64)', () => {
    expect(saeKernelAvailable()).toBe(true);
    const cfg = sae({ data: 'sharkey', dictSize: 24, saeInstances: 3, l1Range: '0.001:0.05', saeBatch: 64, resample: 'off' });
    const src = () => sharkeySource(12, 16, 3, createRng(5));
    const wasm = new SaeFusedTrainer(cfg, src());
    const js = new SaeFusedTrainer(cfg, src(), { kernel: false });
    expect(wasm.usesKernel).toBe(true);
    expect(js.usesKernel).toBe(false);
    wasm.step(200);
    js.step(200);
    const h = new Float32Array(64 * 12);
    src().sample(64, h);
    const gw = wasm.gradientsOn(h), gj = js.gradientsOn(h);
    for (const key of ['loss', 'Wenc', 'benc', 'Wdec', 'bdec'] as const) expect(maxRelDiff(gw[key], gj[key]), key).toBeLessThan(1e-3);
    for (const key of ['Wenc', 'Wdec'] as const) expect(maxRelDiff(wasm.snapshot()[key], js.snapshot()[key]), key).toBeLessThan(1e-3);
  });

  it.each([['dense GEMMs', 0], ['per-example sparse loops', 2]] as const)('computes the JavaScript pass gradients with the decoder and backward as %s', (_name, denseFrom) => {
    // d·L = 19·64 ≥ 1024: the encoder runs in the GEMM core too
    const cfg = sae({ data: 'sharkey', dictSize: 64, saeInstances: 2, l1Range: '0.001:0.05', saeBatch: 37, resample: 'off' });
    const src = () => sharkeySource(19, 24, 3, createRng(8));
    const wasm = new SaeFusedTrainer(cfg, src(), { denseFrom });
    const js = new SaeFusedTrainer(cfg, src(), { kernel: false });
    wasm.step(30);
    js.step(30);
    const h = new Float32Array(37 * 19);
    src().sample(37, h);
    const gw = wasm.gradientsOn(h), gj = js.gradientsOn(h);
    for (const key of ['loss', 'Wenc', 'benc', 'Wdec', 'bdec'] as const) expect(maxRelDiff(gw[key], gj[key]), key).toBeLessThan(1e-3);
    expect(maxRelDiff(wasm.snapshot().Wdec, js.snapshot().Wdec)).toBeLessThan(1e-3);
  });

  it('keeps the state in the kernel through resampling: the same run as the JavaScript engine (d=19, L=64, 2 instances)', () => {
    const cfg = sae({ data: 'sharkey', dictSize: 64, saeInstances: 2, l1Range: '0.01:1', saeBatch: 48, resampleEvery: 100, deadWindow: 50, saeLr: 0.003 });
    const src = () => sharkeySource(19, 24, 3, createRng(8));
    const wasm = new SaeFusedTrainer(cfg, src());
    const js = new SaeFusedTrainer(cfg, src(), { kernel: false });
    expect(wasm.usesKernel).toBe(true);
    const mid = wasm.step(150); // a snapshot between steps reads the kernel's state, and training goes on from it
    js.step(150);
    expect(maxRelDiff(wasm.snapshot().Wdec, js.snapshot().Wdec)).toBeLessThan(1e-3);
    expect(mid.length).toBe(2);
    wasm.step(250);
    js.step(250);
    const W = wasm.snapshot(), J = js.snapshot();
    expect(W.resampled).toEqual(J.resampled);
    expect(W.resampled.some((c) => c > 0)).toBe(true);
    expect(Array.from(W.dead)).toEqual(Array.from(J.dead));
    for (const key of ['Wenc', 'benc', 'Wdec', 'bdec'] as const) expect(maxRelDiff(W[key], J[key]), key).toBeLessThan(2e-3);
    wasm.dispose();
    js.dispose();
  });

  it('runs AdamW (bias correction, ε, weight decay) and the unit-norm projection in the kernel as shared/adam.ts does', () => {
    const d = 7, L = 9, B = 5;
    const kernel = SaeKernel.create(B, d, L, 0, 2)!;
    const rng = createRng(11);
    const arrays = (scale: number): InstanceArrays => {
      const r = () => (rng.next() - 0.5) * scale;
      return { Wenc: Float32Array.from({ length: L * d }, r), benc: Float32Array.from({ length: L }, r), Wdec: Float32Array.from({ length: d * L }, r), bdec: Float32Array.from({ length: d }, r) };
    };
    const p = arrays(1), m = arrays(0.01), v = arrays(0.001).Wenc.map(Math.abs);
    const vel: InstanceArrays = { ...arrays(0), Wenc: v };
    for (const a of [vel.benc, vel.Wdec, vel.bdec]) a.forEach((x, i) => (a[i] = Math.abs(x) + 1e-4));
    kernel.writeInstance(1, p, { m, v: vel });
    kernel.setBatch(Float32Array.from({ length: B * d }, () => rng.next() - 0.3), B);
    kernel.pass(1, 0.05, () => {});
    const g = arrays(0);
    kernel.readGradients(g);
    const s = adamStep(3, 0.01, 0.1);
    kernel.adam(1, s);
    const got = arrays(0), gotM = arrays(0), gotV = arrays(0);
    kernel.readInstance(1, got, { m: gotM, v: gotV });
    for (const key of ['Wenc', 'benc', 'Wdec', 'bdec'] as const) {
      expect(g[key].some((x) => x !== 0), key).toBe(true);
      adamUpdate(p[key], m[key], vel[key], 0, g[key], s);
      expect(maxRelDiff(got[key], p[key]), key).toBeLessThan(1e-6);
      expect(maxRelDiff(gotM[key], m[key]), key).toBeLessThan(1e-6);
      expect(maxRelDiff(gotV[key], vel[key]), key).toBeLessThan(1e-6);
    }
    const encBefore = got.Wenc.slice();
    kernel.normaliseDecoder(1);
    kernel.readInstance(1, got);
    for (let l = 0; l < L; l++) {
      let n = 0, n0 = 0;
      for (let j = 0; j < d; j++) n0 += p.Wdec[j * L + l] ** 2;
      for (let j = 0; j < d; j++) {
        n += got.Wdec[j * L + l] ** 2;
        expect(got.Wdec[j * L + l]).toBeCloseTo(p.Wdec[j * L + l] / (Math.sqrt(n0) + 1e-8), 6);
      }
      expect(Math.sqrt(n)).toBeCloseTo(1, 6);
    }
    expect(got.Wenc).toEqual(encBefore); // the projection touches the decoder only
    expect(() => kernel.pass(2, 0.05, () => {})).toThrow(/no instance 2/);
    kernel.release();
  });

  it('sums a Sharkey batch from its sparse terms in the kernel to the same float32 values as sample()', () => {
    for (const [d, G, B] of [[12, 16, 64], [19, 24, 37], [256, 512, 256]] as const) {
      const a = sharkeySource(d, G, 5, createRng(4)), b = sharkeySource(d, G, 5, createRng(4));
      const kernel = SaeKernel.create(B, d, 8, G, 1, true)!;
      const dP = (d + 3) & ~3;
      for (let round = 0; round < 3; round++) {
        const h = new Float32Array(B * d);
        a.sample(B, h);
        kernel.setBatchTerms(b.sampleTerms!(B), B, b.trueDirections);
        const got = kernel.batch();
        const want = new Float32Array(B * dP);
        for (let r = 0; r < B; r++) want.set(h.subarray(r * d, (r + 1) * d), r * dP);
        expect(got).toEqual(want);
      }
      kernel.release();
    }
  });

  it('has a committed kernel binary built from the current saeKernel.as.ts', () => {
    expect(kernelSourceSha('saeKernel'), 'run: node --import tsx src/engine/kernels/buildKernels.ts saeKernel').toBe(SAE_KERNEL_SOURCE_SHA256);
  });

  it('is chosen for small dictionaries; the factory builds either engine', () => {
    expect(preferredSaeEngine({ dIn: 2, dictSize: 5 })).toBe('fused');
    const cfg = sae({ saeInstances: 2, saeBatch: 32 });
    const t = createSaeTrainer(cfg, pentagon(), 'tfjs');
    expect(t.engine).toBe('tfjs');
    t.dispose();
    expect(createSaeTrainer(cfg, pentagon(), 'auto').engine).toBe('fused');
  });
});

describe("the fused SAE's evaluation in its kernel", () => {
  it('counts firing latents on an evaluation set as firingOn does (float32 against float64), batch-sized chunks and all', () => {
    const v = validateSaeConfig({
      data: 'sharkey', sharkeyDim: 24, sharkeyFeatures: 48, sharkeyActive: 4, dictSize: 96, saeInstances: 3, saeBatch: 128,
      l1Range: [1e-3, 3], saeLr: 3e-3, resample: false,
    });
    const trainer = new SaeFusedTrainer(v.config!, sharkeySource(24, 48, 4, createRng(4).fork(13)));
    try {
      expect(trainer.usesKernel).toBe(true);
      trainer.step(300);
      const B = 1000; // not a multiple of the batch: the last chunk is short
      const h = new Float32Array(B * 24);
      sharkeySource(24, 48, 4, createRng(4).fork(14)).sample(B, h);
      const kernel = trainer.firingOn(h, B);
      const js = firingOn(trainer.snapshot(), h, B);
      expect(kernel.dead).toEqual(js.dead);
      // a pre-activation within float32 rounding of the threshold may count on one side only
      let off = 0;
      for (let i = 0; i < js.fired.length; i++) {
        expect(Math.abs(kernel.fired[i] - js.fired[i]), `latent ${i}`).toBeLessThanOrEqual(2);
        off += kernel.fired[i] !== js.fired[i] ? 1 : 0;
      }
      expect(off).toBeLessThanOrEqual(3);
      // some latents die at the largest λ, most fire: the test sees both sides
      expect(js.dead.some((x) => x === 1)).toBe(true);
      expect(js.dead.some((x) => x === 0)).toBe(true);
      kernel.l0.forEach((l0, k) => expect(l0).toBeCloseTo(js.l0[k], 2));
      // the trainer keeps training afterwards (the evaluation overwrote only its batch buffer)
      expect(trainer.step(5).every((s) => Number.isFinite(s.loss))).toBe(true);
    } finally {
      trainer.dispose();
    }
  });
});
