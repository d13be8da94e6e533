// The fused transformer's WebAssembly SIMD kernel: committed binary in sync with its source, each
// operation equal to its JavaScript twin to float32 rounding, and whole training runs that agree.

import { describe, expect, it } from 'vitest';
import { createTransformerKernel, transformerKernelAvailable, TRI, type TransformerKernel } from '../../src/engine/kernels/transformerKernel';
import { TRANSFORMER_KERNEL_SOURCE_SHA256 } from '../../src/engine/kernels/transformerKernelWasm';
import { kernelSourceSha } from '../../src/engine/kernels/kernelSources';
import { GEMM_SCRATCH_FLOATS } from '../../src/engine/kernels/gemmCore';
import { FusedTransformer } from '../../src/engine/transformer/fusedTransformer';
import { namedParams, type TransformerShape } from '../../src/engine/transformer/model';
import { createRng } from '../../src/engine/shared/rng';

/** max |a − b| / max |b| */
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Both kernels with the same random memory contents (floats in [−1, 1)) from their `base` on. */
function twinKernels(floats: number, seed: number): { simd: TransformerKernel; js: TransformerKernel } {
  const simd = createTransformerKernel(true);
  const js = createTransformerKernel(false);
  const rng = createRng(seed);
  const data = Float32Array.from({ length: floats }, () => 2 * rng.next() - 1);
  for (const k of [simd, js]) {
    k.ensure(k.base + floats + 4096 + GEMM_SCRATCH_FLOATS);
    k.f32().set(data, k.base);
  }
  return { simd, js };
}

const read = (k: TransformerKernel, at: number, n: number) => k.f32().slice(k.base + at, k.base + at + n);

describe('transformer WebAssembly kernel', () => {
  it('the committed binary was built from the committed source (else run src/engine/kernels/buildKernels.ts transformerKernel)', () => {
    expect(kernelSourceSha('transformerKernel')).toBe(TRANSFORMER_KERNEL_SOURCE_SHA256);
  });

  it('runs in Node 20 and the fused transformer uses it by default', () => {
    expect(transformerKernelAvailable()).toBe(true);
    const shape: TransformerShape = { layers: 1, heads: 1, dModel: 4, vocab: 5, ctx: 4, mlp: false, dMlp: 0, layerNorm: false };
    expect(new FusedTransformer(shape, { lr: 1e-3, seed: 1 }).simd).toBe(true);
    expect(new FusedTransformer(shape, { lr: 1e-3, seed: 1, simd: false }).simd).toBe(false);
  });

  // gemm operand forms: [name, M, N, K, aRow, aCol, bRow, bCol, tri]
  const forms: [string, number, number, number, 'n' | 't', 'n' | 't', number][] = [
    ['A·B, tiles and every tail', 13, 21, 9, 'n', 'n', TRI.none],
    ['Aᵀ·B (weight gradient)', 10, 65, 37, 't', 'n', TRI.none],
    ['A·Bᵀ (packed B)', 31, 7, 12, 'n', 't', TRI.none],
    ['Aᵀ·Bᵀ', 6, 11, 5, 't', 't', TRI.none],
    ['lower triangle of C only', 31, 31, 16, 'n', 't', TRI.cLower],
    ['A lower triangular', 30, 16, 30, 'n', 'n', TRI.aLower],
    ['A upper triangular (a transposed pattern)', 31, 16, 31, 't', 'n', TRI.aUpper],
  ];
  for (const [name, M, N, K, ta, tb, tri] of forms) {
    for (const accumulate of [0, 1]) {
      it(`gemm ${name}${accumulate ? ', accumulating' : ''}: SIMD = JavaScript twin`, () => {
        const batch = 3;
        const aSize = M * K + 3, bSize = K * N + 5, cSize = M * N + 2;
        const a = 0, b = batch * aSize, c = b + batch * bSize;
        const { simd, js } = twinKernels(c + batch * cSize, 17 + M);
        for (const k of [simd, js]) {
          // zero the known-zero triangle of A, as the passes guarantee
          if (tri === TRI.aLower || tri === TRI.aUpper) {
            const f = k.f32();
            for (let n = 0; n < batch; n++) {
              for (let i = 0; i < M; i++) {
                for (let kk = 0; kk < K; kk++) {
                  const zero = tri === TRI.aLower ? kk > i : kk < i;
                  const idx = ta === 'n' ? i * K + kk : kk * M + i;
                  if (zero) f[k.base + a + n * aSize + idx] = 0;
                }
              }
            }
          }
          k.ops.setScratch(k.base + c + batch * cSize + 16);
          k.ops.gemm(
            M, N, K,
            k.base + a, ta === 'n' ? K : 1, ta === 'n' ? 1 : M, aSize,
            k.base + b, tb === 'n' ? N : 1, tb === 'n' ? 1 : K, bSize,
            k.base + c, N, cSize, batch, accumulate, tri,
          );
        }
        const cs = read(simd, c, batch * cSize), cj = read(js, c, batch * cSize);
        if (tri === TRI.cLower) {
          for (let n = 0; n < batch; n++) for (let i = 0; i < M; i++) for (let j = i + 1; j < N; j++) cs[n * cSize + i * N + j] = cj[n * cSize + i * N + j] = 0;
        }
        expect(maxRel(cs, cj)).toBeLessThan(2e-6);
        // the floats between the matrices are untouched
        for (let n = 0; n < batch; n++) expect(cs.subarray(n * cSize + M * N, (n + 1) * cSize)).toEqual(cj.subarray(n * cSize + M * N, (n + 1) * cSize));
      });
    }
  }

  it('the other operations: SIMD = JavaScript twin', () => {
    const rows = 37, d = 12, V = 9, T = 6, count = 5;
    const { simd, js } = twinKernels(20000, 3);
    const out: Record<string, [Float32Array, Float32Array]> = {};
    const run = (name: string, at: number, n: number, op: (k: TransformerKernel) => number | void) => {
      const r = [simd, js].map((k) => op(k));
      out[name] = [read(simd, at, n), read(js, at, n)];
      if (typeof r[0] === 'number') expect(Math.abs((r[0] as number) - (r[1] as number)) / Math.abs(r[1] as number), name).toBeLessThan(1e-6);
    };
    const tok = 19000;
    for (const k of [simd, js]) for (let i = 0; i < rows + 1; i++) k.i32()[k.base + tok + i] = (i * 7) % V;
    run('embed', 3000, rows * d, (k) => k.ops.embed(k.base + tok, k.base, k.base + 200, k.base + 3000, rows, 6, d));
    run('embedBackward', 0, 400, (k) => k.ops.embedBackward(k.base + tok, k.base + 1000, k.base, k.base + 200, rows, 6, d));
    run('add', 3600, 100, (k) => k.ops.add(k.base, k.base + 150, k.base + 3600, 100));
    run('addBias', 3800, rows * d, (k) => k.ops.addBias(k.base + 3800, k.base + 10, rows, d));
    run('colSum', 4400, d, (k) => k.ops.colSum(k.base + 100, rows, d, k.base + 4400));
    run('layerNorm', 4500, rows * d + 2 * rows, (k) => k.ops.layerNorm(k.base + 100, k.base + 4500, k.base + 10, k.base + 30, k.base + 4500 + rows * d, rows, d, 1e-5));
    run('layerNormBackward', 6000, rows * d + 2 * d, (k) =>
      k.ops.layerNormBackward(k.base + 700, k.base + 100, k.base + 10, k.base + 4500 + rows * d, k.base + 6000, k.base + 6000 + rows * d, k.base + 6000 + rows * d + d, rows, d));
    run('causalSoftmax', 7000, count * T * T, (k) => k.ops.causalSoftmax(k.base + 7000, count, T, 0.7));
    run('causalSoftmaxBackward', 7500, count * T * T, (k) => k.ops.causalSoftmaxBackward(k.base + 7000, k.base + 7500, count, T, 0.7));
    run('gelu', 8000, 300, (k) => k.ops.gelu(k.base + 100, k.base + 8000, 300));
    run('geluBackward', 8400, 300, (k) => k.ops.geluBackward(k.base + 100, k.base + 400, k.base + 8400, 300));
    run('crossEntropy', 9000, rows * V, (k) => k.ops.crossEntropy(k.base + 2000, k.base + tok, k.base + 9000, rows, T, V, 0.01));
    for (const k of [simd, js]) k.f32().subarray(k.base + 11500, k.base + 12000).forEach((v, i, a) => (a[i] = Math.abs(v)));
    run('adam', 10000, 4 * 500, (k) => k.ops.adam(k.base + 10000, k.base + 10500, k.base + 11000, k.base + 11500, 500, 0.9, 0.999, 0.01, 0.3, 1e-8, 0.999));
    for (const [name, [s, j]] of Object.entries(out)) expect(maxRel(s, j), name).toBeLessThan(3e-6);
  });

  const shapes: [string, TransformerShape][] = [
    ['the default induction model', { layers: 2, heads: 2, dModel: 32, vocab: 65, ctx: 32, mlp: false, dMlp: 128, layerNorm: false }],
    ['odd sizes with MLP and LayerNorm', { layers: 3, heads: 3, dModel: 15, vocab: 13, ctx: 11, mlp: true, dMlp: 22, layerNorm: true }],
  ];
  for (const [name, shape] of shapes) {
    it(`${name}: the same gradients, and 30 Adam steps to the same weights`, () => {
      const B = 5;
      const rng = createRng(4);
      const batch = () => Int32Array.from({ length: B * shape.ctx }, (_, i) => (i % shape.ctx === 0 ? shape.vocab - 1 : Math.floor(rng.next() * (shape.vocab - 1))));
      const simd = new FusedTransformer(shape, { lr: 3e-3, seed: 2 });
      const js = new FusedTransformer(shape, { lr: 3e-3, seed: 2, simd: false });
      const tokens = batch();
      const gs = simd.gradientsOn(tokens, B), gj = js.gradientsOn(tokens, B);
      expect(Math.abs(gs.loss - gj.loss)).toBeLessThan(1e-6);
      expect([...gs.grads.keys()]).toEqual(namedParams(simd.params()).map((p) => p.name));
      for (const [name, g] of gs.grads) expect(maxRel(g, gj.grads.get(name)!), name).toBeLessThan(1e-5);
      for (let s = 0; s < 30; s++) {
        const t = batch();
        expect(Math.abs(simd.trainStep(t, B) - js.trainStep(t, B))).toBeLessThan(1e-4);
      }
      const pj = namedParams(js.params());
      for (const [i, p] of namedParams(simd.params()).entries()) expect(maxRel(p.data, pj[i].data), p.name).toBeLessThan(1e-3);
    });
  }
});
