// The GEMM core of the WebAssembly kernels (gemm.as.ts) against a naive float64 reference, in both
// builds (plain SIMD mul+add and relaxed-SIMD fused multiply-add), on odd sizes that exercise every
// edge tile and block boundary, for A·B, Aᵀ·B and A·Bᵀ and with accumulation into C.

import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { SAE_KERNEL_RELAXED_WASM_BASE64, SAE_KERNEL_WASM_BASE64 } from '../../src/engine/kernels/saeKernelWasm';
import { TRANSFORMER_KERNEL_RELAXED_WASM_BASE64, TRANSFORMER_KERNEL_WASM_BASE64 } from '../../src/engine/kernels/transformerKernelWasm';
import { decodeBase64, relaxedSimdSupported } from '../../src/engine/kernels/relaxedSimd';
import { createRng } from '../../src/engine/shared/rng';

// Node 20 (V8 11.3) validates relaxed SIMD only behind this flag (Chromium ships it): the flag lets
// the test run the relaxed build here too.
const nodeHadRelaxed = relaxedSimdSupported();
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

interface GemmExports {
  memory: WebAssembly.Memory;
  gemmScratchBytes(): number;
  setGemmScratch(at: number): void;
  matmul(M: number, N: number, K: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, cRow: number, acc: number): void;
}

function instance(base64: string): GemmExports {
  const k = new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(base64)), { env: { abort: () => { throw new Error('abort'); } } }).exports as unknown as GemmExports;
  k.setGemmScratch(65536);
  k.memory.grow(Math.ceil((65536 + k.gemmScratchBytes() + 4096) / 65536));
  return k;
}

type Layout = 'AB' | 'AtB' | 'ABt';

/** C = A·B (+ C0) for A M×K, B K×N given in `layout`, through the kernel; also the float64 reference */
function product(k: GemmExports, M: number, N: number, K: number, layout: Layout, acc: boolean, seed: number) {
  const rng = createRng(seed);
  const A = Float32Array.from({ length: M * K }, () => rng.normal());
  const B = Float32Array.from({ length: K * N }, () => rng.normal());
  const C0 = Float32Array.from({ length: M * N }, () => rng.normal());
  const cRow = N + 3; // a C row stride wider than N: columns past N must stay untouched
  const base = (65536 + k.gemmScratchBytes()) / 4 + 16;
  const a = base, b = a + M * K + 4, c = b + K * N + 4;
  const need = (c + M * cRow + 16) * 4;
  if (need > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((need - k.memory.buffer.byteLength) / 65536));
  const f = new Float32Array(k.memory.buffer);
  // A stored as given (row-major M×K) or transposed (K×M); B likewise
  for (let i = 0; i < M; i++) for (let t = 0; t < K; t++) f[a + (layout === 'AtB' ? t * M + i : i * K + t)] = A[i * K + t];
  for (let t = 0; t < K; t++) for (let j = 0; j < N; j++) f[b + (layout === 'ABt' ? j * K + t : t * N + j)] = B[t * N + j];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) f[c + i * cRow + j] = C0[i * N + j];
    for (let j = N; j < cRow; j++) f[c + i * cRow + j] = 7;
  }
  const [aRow, aCol] = layout === 'AtB' ? [1, M] : [K, 1];
  const [bRow, bCol] = layout === 'ABt' ? [1, K] : [N, 1];
  k.matmul(M, N, K, a, aRow, aCol, b, bRow, bCol, c, cRow, acc ? 1 : 0);
  const out = new Float32Array(k.memory.buffer);
  let maxErr = 0, pads = true;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = acc ? C0[i * N + j] : 0, mag = Math.abs(s);
      for (let t = 0; t < K; t++) {
        s += A[i * K + t] * B[t * N + j];
        mag += Math.abs(A[i * K + t] * B[t * N + j]);
      }
      // float32 rounding of a K-term sum is bounded by ≈ K·ε·Σ|terms|; allow 4·√K·ε·Σ|terms| (+ a floor)
      const tol = 4 * Math.sqrt(K + 1) * 1.2e-7 * mag + 1e-6;
      maxErr = Math.max(maxErr, Math.abs(out[c + i * cRow + j] - s) / tol);
    }
    for (let j = N; j < cRow; j++) pads &&= out[c + i * cRow + j] === 7;
  }
  return { maxErr, pads, C: out.slice(c, c + M * cRow) };
}

const SIZES: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [17, 3, 1], [1, 17, 255], [17, 255, 3], [255, 17, 257], [257, 9, 33], [33, 257, 300], [130, 520, 260],
];

describe('GEMM core (gemm.as.ts)', () => {
  it('reports whether this Node validates relaxed SIMD without a flag (Node 20: no)', () => {
    expect(typeof nodeHadRelaxed).toBe('boolean');
    if (process.versions.node.startsWith('20.')) expect(nodeHadRelaxed).toBe(false);
    expect(relaxedSimdSupported()).toBe(nodeHadRelaxed); // detection is cached: flags set later do not change the choice
  });

  const builds = [
    ['SAE kernel, plain SIMD', SAE_KERNEL_WASM_BASE64],
    ['SAE kernel, relaxed SIMD', SAE_KERNEL_RELAXED_WASM_BASE64],
    ['transformer kernel, plain SIMD', TRANSFORMER_KERNEL_WASM_BASE64],
    ['transformer kernel, relaxed SIMD', TRANSFORMER_KERNEL_RELAXED_WASM_BASE64],
  ] as const;
  for (const [name, b64] of builds) {
    it.each(SIZES)(`${name}: %i×%i×%i in every layout matches the float64 reference`, (M, N, K) => {
      const k = instance(b64);
      for (const layout of ['AB', 'AtB', 'ABt'] as const) {
        for (const acc of [false, true]) {
          const r = product(k, M, N, K, layout, acc, M * 1000 + N + K);
          expect(r.maxErr, `${layout} acc=${acc}`).toBeLessThan(1);
          expect(r.pads, `${layout}: columns past N untouched`).toBe(true);
        }
      }
    });
  }

  it('plain and relaxed builds agree to float32 tolerance, and K = 0 clears C', () => {
    const plain = instance(SAE_KERNEL_WASM_BASE64), relaxed = instance(SAE_KERNEL_RELAXED_WASM_BASE64);
    for (const [M, N, K] of [[255, 257, 17], [64, 512, 256]] as const) {
      const p = product(plain, M, N, K, 'AB', false, 9).C, r = product(relaxed, M, N, K, 'AB', false, 9).C;
      let diff = 0, scale = 0;
      for (let i = 0; i < p.length; i++) {
        diff = Math.max(diff, Math.abs(p[i] - r[i]));
        scale = Math.max(scale, Math.abs(p[i]));
      }
      expect(diff / scale).toBeLessThan(1e-5);
    }
    const k = instance(SAE_KERNEL_WASM_BASE64);
    const f = new Float32Array(k.memory.buffer);
    const c = (65536 + k.gemmScratchBytes()) / 4;
    f.fill(5, c, c + 12);
    k.matmul(3, 4, 0, c + 100, 1, 1, c + 200, 1, 1, c, 4, 0);
    expect(Array.from(new Float32Array(k.memory.buffer, c * 4, 12))).toEqual(Array(12).fill(0));
  });
});
