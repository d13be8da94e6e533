// @ts-nocheck: AssemblyScript source, compiled into saeKernel and transformerKernel by buildKernels.ts.
//
// The GEMM core shared by the WebAssembly kernels: C (M×N) = A·B, or C += A·B, float32, for operands
// with any strides, so A·B, Aᵀ·B and A·Bᵀ are the same call with other strides. Goto/BLIS structure:
// B is packed in KC×NC blocks into strips of NR columns, A in MC×KC blocks into strips of MR rows,
// and a 4×8 register tile (8 f32x4 accumulators) runs over each strip pair, reading both packed
// strips contiguously. A KC×NR strip of B (8 KB) stays in L1 while the MC rows of A (128 KB, L2)
// stream past it. Edge tiles are computed on zero-padded strips into a small tile and copied out.
// madd is f32x4.relaxed_madd (fused multiply-add) in the relaxed-SIMD build and mul+add in the plain
// one (gemmMadd.as.ts, gemmMadd.relaxed.as.ts; buildKernels.ts compiles each kernel once per feature set).

import { madd } from './gemmMadd.as';

const MR = 4;
const NR = 8;
const KC = 256;
const MC = 128;
const NC = 512;

/** bytes of packing space gemmCore needs (set with gemmScratch) */
export const GEMM_SCRATCH_BYTES: usize = (KC * NC + MC * KC + MR * NR) * 4;

let packB: usize = 0;
let packA: usize = 0;
let tile: usize = 0;

/** Where gemmCore packs its operands: GEMM_SCRATCH_BYTES bytes from byte address `at` (16-byte aligned). */
export function gemmScratch(at: usize): void {
  packB = at;
  packA = at + <usize>(KC * NC * 4);
  tile = packA + <usize>(MC * KC * 4);
}

/** B[k0..k0+kc)[j0..j0+nc) into strips of NR columns, k-major inside a strip, zero past nc. */
function packBBlock(b: usize, bRow: usize, bCol: usize, k0: i32, kc: i32, j0: i32, nc: i32): void {
  let dst = packB;
  for (let j = 0; j < nc; j += NR) {
    const w = min(NR, nc - j);
    let src = b + <usize>k0 * bRow + <usize>(j0 + j) * bCol;
    if (w == NR && bCol == 4) {
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += NR * 4;
        src += bRow;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let jj = 0; jj < NR; jj++) store<f32>(dst + (<usize>jj << 2), jj < w ? load<f32>(src + <usize>jj * bCol) : 0);
        dst += NR * 4;
        src += bRow;
      }
    }
  }
}

/** A[i0..i0+mc)[k0..k0+kc) into strips of MR rows, k-major inside a strip, zero past mc. */
function packABlock(a: usize, aRow: usize, aCol: usize, i0: i32, mc: i32, k0: i32, kc: i32): void {
  let dst = packA;
  for (let i = 0; i < mc; i += MR) {
    const h = min(MR, mc - i);
    const src = a + <usize>(i0 + i) * aRow + <usize>k0 * aCol;
    if (h == MR) {
      const r1 = src + aRow, r2 = src + (aRow << 1), r3 = src + aRow * 3;
      for (let k: usize = 0; k < <usize>kc; k++) {
        const o = k * aCol;
        store<f32>(dst, load<f32>(src + o));
        store<f32>(dst, load<f32>(r1 + o), 4);
        store<f32>(dst, load<f32>(r2 + o), 8);
        store<f32>(dst, load<f32>(r3 + o), 12);
        dst += MR * 4;
      }
    } else {
      for (let k: usize = 0; k < <usize>kc; k++) {
        for (let ii = 0; ii < MR; ii++) store<f32>(dst + (<usize>ii << 2), ii < h ? load<f32>(src + <usize>ii * aRow + k * aCol) : 0);
        dst += MR * 4;
      }
    }
  }
}

/** The MR×NR register tile over one packed strip pair; writes (or adds) mr×nr values of C. */
@inline
function micro(pa: usize, pb: usize, kc: i32, c: usize, cRow: usize, acc: bool, mr: i32, nr: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(pa, 4);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(pa, 8);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(pa, 12);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    pa += MR * 4;
    pb += NR * 4;
  }
  const full = mr == MR && nr == NR;
  const p0 = full ? c : tile;
  const row = full ? cRow : <usize>(NR * 4);
  const p1 = p0 + row, p2 = p0 + (row << 1), p3 = p0 + row * 3;
  if (full && acc) {
    c00 = f32x4.add(c00, v128.load(p0));
    c01 = f32x4.add(c01, v128.load(p0, 16));
    c10 = f32x4.add(c10, v128.load(p1));
    c11 = f32x4.add(c11, v128.load(p1, 16));
    c20 = f32x4.add(c20, v128.load(p2));
    c21 = f32x4.add(c21, v128.load(p2, 16));
    c30 = f32x4.add(c30, v128.load(p3));
    c31 = f32x4.add(c31, v128.load(p3, 16));
  }
  v128.store(p0, c00);
  v128.store(p0, c01, 16);
  v128.store(p1, c10);
  v128.store(p1, c11, 16);
  v128.store(p2, c20);
  v128.store(p2, c21, 16);
  v128.store(p3, c30);
  v128.store(p3, c31, 16);
  if (!full) {
    for (let i = 0; i < mr; i++) {
      for (let j = 0; j < nr; j++) {
        const src = tile + <usize>(i * NR + j) * 4;
        const dst = c + <usize>i * cRow + (<usize>j << 2);
        store<f32>(dst, acc ? load<f32>(dst) + load<f32>(src) : load<f32>(src));
      }
    }
  }
}

/**
 * C (M×N) = A·B, or C += A·B when acc. Byte addresses and byte strides: A[i][k] at a + i·aRow + k·aCol,
 * B[k][j] at b + k·bRow + j·bCol, C[i][j] at c + i·cRow + 4j. C must not overlap A or B.
 */
export function gemmCore(M: i32, N: i32, K: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize, bCol: usize, c: usize, cRow: usize, acc: bool): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!acc) for (let i = 0; i < M; i++) memory.fill(c + <usize>i * cRow, 0, <usize>N << 2);
    return;
  }
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      packBBlock(b, bRow, bCol, pc, kc, jc, nc);
      const accHere = acc || pc > 0;
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packABlock(a, aRow, aCol, ic, mc, pc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pb = packB + <usize>jr * <usize>kc * 4;
          const cCol = c + (<usize>(jc + jr) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            micro(packA + <usize>ir * <usize>kc * 4, pb, kc, cCol + <usize>(ic + ir) * cRow, cRow, accHere, min(MR, mc - ir), nr);
          }
        }
      }
    }
  }
}

/**
 * The machine's multiply-add ceiling for this build: `iters` rounds of 12 madds into 12 independent
 * accumulators (acc += x·s, the GEMM tile's form: enough chains to cover the latency, no memory
 * traffic), counted as 96 FLOP a round; x moves by one add a round so nothing is hoisted. In the
 * relaxed build each madd is one fused instruction: this is the FMA peak. In the plain build the
 * compiler may share the one product x·s between the chains, so the loop measures add throughput
 * (bench/gemmMeasure.ts reports the relaxed figure as the peak wherever relaxed SIMD validates).
 */
export function maddPeakLoop(iters: i32, x0: f32): f32 {
  const s = f32x4.splat(0.999999), e = f32x4.splat(1e-7);
  let x = f32x4.splat(x0);
  let a0 = f32x4.splat(0.1), a1 = f32x4.splat(0.2), a2 = f32x4.splat(0.3), a3 = f32x4.splat(0.4);
  let a4 = f32x4.splat(0.5), a5 = f32x4.splat(0.6), a6 = f32x4.splat(0.7), a7 = f32x4.splat(0.8);
  let a8 = f32x4.splat(0.9), a9 = f32x4.splat(1.0), a10 = f32x4.splat(1.1), a11 = f32x4.splat(1.2);
  for (let i = 0; i < iters; i++) {
    a0 = madd(x, s, a0);
    a1 = madd(x, s, a1);
    a2 = madd(x, s, a2);
    a3 = madd(x, s, a3);
    a4 = madd(x, s, a4);
    a5 = madd(x, s, a5);
    a6 = madd(x, s, a6);
    a7 = madd(x, s, a7);
    a8 = madd(x, s, a8);
    a9 = madd(x, s, a9);
    a10 = madd(x, s, a10);
    a11 = madd(x, s, a11);
    x = f32x4.add(x, e);
  }
  const t = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  const u = f32x4.add(t, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  return f32x4.extract_lane(u, 0) + f32x4.extract_lane(u, 3);
}
