// @ts-nocheck: AssemblyScript source, compiled to WebAssembly by buildKernels.ts (not part of the TS build).
//
// The fused SAE engine's pass (forward + backward of one instance on one batch, ../sae/fused.ts) with
// 128-bit SIMD over float32 lanes (f32x4). Same formulas as the JavaScript pass:
//   x̄ = h − b_dec, a = W_enc x̄ + b_enc, z = ReLU(a), ĥ = W_dec z + b_dec, e = ĥ − h, δ = scale·e,
//   ∂b_dec += δ − W_encᵀ g, ∂W_dec += δ zᵀ, g_l = (W_decᵀ δ)_l + λ/B for firing l, ∂W_enc += g x̄ᵀ, ∂b_enc += g.
// The whole batch goes through each product at once. The encoder, P = X̄·W_encᵀ, is one dense GEMM
// (gemm.as.ts; split over two threads in the shared-memory build, gemmThreads.as.ts). The decoder and
// the backward products touch only the firing latents: when many fire
// (early in training, fraction ≥ denseFrom) they run as four more GEMMs over the whole batch
// (Ĥ = Z·W_decᵀ, G = Δ·W_dec masked, ∂W_decᵀ = Zᵀ·Δ, ∂W_enc = Gᵀ·X̄, ∂X̄ = G·W_enc); when few fire they
// run example by example over the firing latents only, which is then less work.
// Layouts (byte offsets into this module's memory; dP = d rounded up to 4, LP = L rounded up to 4,
// padding lanes zero): h, X, E, dX [B][dP]; P, G [B][LP]; WencT [d][LP]; Wenc, WdecT and the gradients
// gWenc, gWdecT [L][dP]; benc, gbenc, fired [LP]; bdec, gbdec [dP]; actIdx [B][LP] i32 and rowData (B f64
// then B i32), the sparse backward's firing lists and row losses (sparseBackward).
// Arithmetic is float32 (like TF.js), with float64 loss sums.

import { GEMM_SCRATCH_BYTES, maddPeakLoop } from './gemm.as';
import {
  canSplit, claim, finished, gemm, gemmChunk, helped, helperEnter, helperNext, join, jobF32, jobHelperScratch, jobI32, JOB_GEMM, JOB_KERNEL,
  openJob, post, setJobF32, setJobI32, setOwnScratch,
} from './gemmThreads.as';
// the two-thread controls (no-ops in the single-thread builds): see gemmThreads.as.ts
export { helpedCount, helperReady, setHelperScratch, splitCount, stopHelper } from './gemmThreads.as';

let recOut: f64 = 0;
let l0Out: f64 = 0;

/** mean reconstruction (mean over d) of the last pass */
export function lastReconstruction(): f64 {
  return recOut;
}

/** mean number of firing latents per example in the last pass */
export function lastL0(): f64 {
  return l0Out;
}

@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** bytes of packing space the GEMM core needs (placed with setGemmScratch) */
export function gemmScratchBytes(): i32 {
  return <i32>GEMM_SCRATCH_BYTES;
}

export function setGemmScratch(at: usize): void {
  setOwnScratch(at);
}

/** C (M×N) (+)= A·B with float indices and float strides (A[i][k] = a[i·aRow + k·aCol], …): the GEMM core, exported for its tests and the bench */
export function matmul(M: i32, N: i32, K: i32, a: i32, aRow: i32, aCol: i32, b: i32, bRow: i32, bCol: i32, c: i32, cRow: i32, acc: i32): void {
  gemm(M, N, K, <usize>a << 2, <usize>aRow << 2, <usize>aCol << 2, <usize>b << 2, <usize>bRow << 2, <usize>bCol << 2, <usize>c << 2, <usize>cRow << 2, acc != 0);
}

/** the bench's SIMD ceiling: iters rounds of 96 FLOP in independent multiply-adds (gemm.as.ts) */
export function simdPeak(iters: i32, x: f32): f32 {
  return maddPeakLoop(iters, x);
}

/** columns of a [rows][n4·4] block summed into out (+= when acc, else =), n4 lanes of 4 */
function colSum(a: usize, rows: i32, rowBytes: usize, out: usize, acc: bool, sign: f32): void {
  const sv = f32x4.splat(sign);
  for (let j: usize = 0; j < rowBytes; j += 16) {
    let s = f32x4.splat(0);
    let p = a + j;
    for (let r = 0; r < rows; r++) {
      s = f32x4.add(s, v128.load(p));
      p += rowBytes;
    }
    s = f32x4.mul(s, sv);
    v128.store(out + j, acc ? f32x4.add(v128.load(out + j), s) : s);
  }
}

/** below this d·L the encoder runs row by row instead of in the GEMM core */
const SMALL_ENCODER = 1024;

/** P = X̄·W_encᵀ one example at a time: P_r = Σ_j x̄_rj · (row j of W_encᵀ) */
function encodeRows(B: i32, d: i32, X: usize, WencT: usize, P: usize, dBytes: usize, lBytes: usize): void {
  for (let r = 0; r < B; r++) {
    const xr = X + <usize>r * dBytes, pr = P + <usize>r * lBytes;
    memory.fill(pr, 0, lBytes);
    for (let j = 0; j < d; j++) {
      const x = load<f32>(xr + (<usize>j << 2));
      if (x == 0) continue;
      const xv = f32x4.splat(x);
      const row = WencT + <usize>j * lBytes;
      for (let l: usize = 0; l < lBytes; l += 16) v128.store(pr + l, f32x4.add(v128.load(pr + l), f32x4.mul(xv, v128.load(row + l))));
    }
  }
}

/**
 * One instance on B examples; gradients are overwritten, `fired[l]` set to 1 for latents with z > 1e-8.
 * The decoder and backward run as dense GEMMs when the fraction of (example, latent) pairs that fire
 * is at least denseFrom, else example by example. Returns the mean loss.
 */
export function pass(
  B: i32, d: i32, dP: i32, L: i32, LP: i32, lambda: f32, l1Grad: f32, scale: f32, denseFrom: f64,
  h: usize, WencT: usize, Wenc: usize, benc: usize, WdecT: usize, bdec: usize,
  gWenc: usize, gbenc: usize, gWdecT: usize, gbdec: usize, fired: usize,
  X: usize, P: usize, G: usize, E: usize, dX: usize, actIdx: usize, rowData: usize,
): f64 {
  const dBytes = <usize>dP << 2;
  const lBytes = <usize>LP << 2;
  memory.fill(fired, 0, lBytes);
  // tiny encoders run row by row over W_encᵀ, rebuilt here from the resident W_enc (cheap at that size)
  if (d * L < SMALL_ENCODER) {
    for (let l = 0; l < L; l++) for (let j = 0; j < d; j++) store<f32>(WencT + (<usize>j * lBytes) + (<usize>l << 2), load<f32>(Wenc + <usize>l * dBytes + (<usize>j << 2)));
  }
  const zero = f32x4.splat(0);
  const sv = f32x4.splat(scale);
  // X̄ = h − b_dec
  for (let r = 0; r < B; r++) {
    const hr = h + <usize>r * dBytes, xr = X + <usize>r * dBytes;
    for (let j: usize = 0; j < dBytes; j += 16) v128.store(xr + j, f32x4.sub(v128.load(hr + j), v128.load(bdec + j)));
  }
  // P = X̄·W_encᵀ + b_enc, then z = ReLU(P) in place; tiny encoders row by row (packing would cost more)
  // (W_encᵀ as the GEMM's B is W_enc [L][dP] read with swapped strides: the packing transposes it)
  if (d * L >= SMALL_ENCODER) gemm(B, L, d, X, dBytes, 4, Wenc, 4, dBytes, P, lBytes, false);
  else encodeRows(B, d, X, WencT, P, dBytes, lBytes);
  let sp: f64 = 0;
  let l0: i32 = 0;
  let nnz: i32 = 0;
  for (let r = 0; r < B; r++) {
    const pr = P + <usize>r * lBytes;
    for (let l: usize = 0; l < lBytes; l += 16) v128.store(pr + l, f32x4.max(f32x4.add(v128.load(pr + l), v128.load(benc + l)), zero));
    for (let l = 0; l < L; l++) {
      const a = load<f32>(pr + (<usize>l << 2));
      if (a > 0) {
        nnz++;
        sp += <f64>a;
        if (a > 1e-8) {
          l0++;
          store<i32>(fired + (<usize>l << 2), 1);
        }
      }
    }
  }
  const recSum = <f64>nnz >= denseFrom * <f64>B * <f64>L
    ? denseBackward(B, d, L, l1Grad, sv, h, Wenc, WdecT, bdec, gWenc, gbenc, gWdecT, gbdec, X, P, G, E, dX)
    : sparseBackward(B, d, L, l1Grad, sv, h, Wenc, WdecT, bdec, gWenc, gbenc, gWdecT, gbdec, X, P, G, E, dX, actIdx, rowData, <f64>nnz * <f64>d >= SPARSE_SPLIT_FROM);
  recOut = recSum / <f64>B;
  l0Out = <f64>l0 / <f64>B;
  return (recSum + <f64>lambda * sp) / <f64>B;
}

/** Ĥ = Z·W_decᵀ + b_dec, Δ = scale·(Ĥ − h) into E; returns Σ_rows mean_d (Ĥ − h)². */
function decodeError(B: i32, d: i32, sv: v128, h: usize, bdec: usize, E: usize, dBytes: usize): f64 {
  let recSum: f64 = 0;
  for (let r = 0; r < B; r++) {
    const hr = h + <usize>r * dBytes, er = E + <usize>r * dBytes;
    let recv = f32x4.splat(0);
    for (let j: usize = 0; j < dBytes; j += 16) {
      const e = f32x4.sub(f32x4.add(v128.load(er + j), v128.load(bdec + j)), v128.load(hr + j));
      recv = f32x4.add(recv, f32x4.mul(e, e));
      v128.store(er + j, f32x4.mul(sv, e));
    }
    recSum += <f64>hsum(recv) / <f64>d;
  }
  return recSum;
}

function denseBackward(
  B: i32, d: i32, L: i32, l1Grad: f32, sv: v128, h: usize, Wenc: usize, WdecT: usize, bdec: usize,
  gWenc: usize, gbenc: usize, gWdecT: usize, gbdec: usize, X: usize, P: usize, G: usize, E: usize, dX: usize,
): f64 {
  const dBytes = <usize>((d + 3) & ~3) << 2;
  const lBytes = <usize>((L + 3) & ~3) << 2;
  gemm(B, d, L, P, lBytes, 4, WdecT, dBytes, 4, E, dBytes, false);
  const recSum = decodeError(B, d, sv, h, bdec, E, dBytes);
  // G = Δ·W_dec (B×L), kept where z > 0, plus λ/B
  gemm(B, L, d, E, dBytes, 4, WdecT, 4, dBytes, G, lBytes, false);
  const zero = f32x4.splat(0), lg = f32x4.splat(l1Grad);
  for (let r = 0; r < B; r++) {
    const gr = G + <usize>r * lBytes, pr = P + <usize>r * lBytes;
    for (let l: usize = 0; l < lBytes; l += 16) {
      const on = f32x4.gt(v128.load(pr + l), zero);
      v128.store(gr + l, v128.and(f32x4.add(v128.load(gr + l), lg), on));
    }
  }
  colSum(G, B, lBytes, gbenc, false, 1);
  gemm(L, d, B, P, 4, lBytes, E, dBytes, 4, gWdecT, dBytes, false);
  gemm(L, d, B, G, 4, lBytes, X, dBytes, 4, gWenc, dBytes, false);
  gemm(B, d, L, G, lBytes, 4, Wenc, dBytes, 4, dX, dBytes, false);
  colSum(E, B, dBytes, gbdec, false, 1);
  colSum(dX, B, dBytes, gbdec, true, -1);
  return recSum;
}

/**
 * The same backward over the firing latents only (cheaper when few fire), in three phases that two
 * threads can share, each computing the same values in the same order as one thread would:
 * decode (rows: ĥ from the firing latents, δ into E, the row's loss, its firing list), latents (each
 * latent's gradient rows summed over the examples in order; g into G) and input (rows: ∂x̄ = Σ g_l W_enc,l);
 * then ∂b_dec and the loss are summed over the rows in order on this thread. Shared only when `large`.
 * actIdx [B][LP] holds each row's firing latents (increasing), rowData their count [B] i32 after the
 * rows' losses [B] f64.
 */
function sparseBackward(
  B: i32, d: i32, L: i32, l1Grad: f32, sv: v128, h: usize, Wenc: usize, WdecT: usize, bdec: usize,
  gWenc: usize, gbenc: usize, gWdecT: usize, gbdec: usize, X: usize, P: usize, G: usize, E: usize, dX: usize, actIdx: usize, rowData: usize,
  large: bool,
): f64 {
  const dBytes = <usize>((d + 3) & ~3) << 2;
  const lBytes = <usize>((L + 3) & ~3) << 2;
  const rowLoss = rowData, actCount = rowData + (<usize>B << 3);
  memory.fill(gWenc, 0, <usize>L * dBytes);
  memory.fill(gWdecT, 0, <usize>L * dBytes);
  memory.fill(gbenc, 0, lBytes);
  if (large && canSplit() && B >= 8) {
    openJob();
    setJobI32(2, d);
    setJobI32(3, L);
    setJobI32(4, B);
    setJobF32(5, f32x4.extract_lane(sv, 0));
    setJobF32(6, l1Grad);
    setJobI32(7, <i32>h);
    setJobI32(8, <i32>bdec);
    setJobI32(9, <i32>WdecT);
    setJobI32(10, <i32>Wenc);
    setJobI32(11, <i32>X);
    setJobI32(12, <i32>P);
    setJobI32(13, <i32>E);
    setJobI32(14, <i32>G);
    setJobI32(15, <i32>dX);
    setJobI32(17, <i32>gWdecT);
    setJobI32(18, <i32>gWenc);
    setJobI32(19, <i32>gbenc);
    setJobI32(20, <i32>rowLoss);
    setJobI32(21, <i32>actIdx);
    setJobI32(22, <i32>actCount);
    const rows = (B + SPARSE_CHUNKS - 1) / SPARSE_CHUNKS;
    const lats = (((L + SPARSE_CHUNKS - 1) / SPARSE_CHUNKS) + 3) & ~3;
    setJobI32(23, rows);
    share(JOB_DECODE, (B + rows - 1) / rows);
    openJob();
    setJobI32(23, lats);
    share(JOB_LATENTS, (L + lats - 1) / lats);
    openJob();
    setJobI32(23, rows);
    share(JOB_INPUT, (B + rows - 1) / rows);
  } else {
    decodeRows(0, B, d, L, sv, h, bdec, WdecT, P, E, rowLoss, actIdx, actCount);
    latentGradients(0, L, B, d, L, l1Grad, WdecT, X, P, E, G, gWdecT, gWenc, gbenc, actIdx, actCount);
    inputGradients(0, B, d, L, Wenc, G, dX, actIdx, actCount);
  }
  // ∂b_dec = Σ_r (δ_r − ∂x̄_r) and the loss, row by row in order
  memory.fill(gbdec, 0, dBytes);
  let recSum: f64 = 0;
  for (let r = 0; r < B; r++) {
    const er = E + <usize>r * dBytes, dxr = dX + <usize>r * dBytes;
    for (let j: usize = 0; j < dBytes; j += 16) v128.store(gbdec + j, f32x4.sub(f32x4.add(v128.load(gbdec + j), v128.load(er + j)), v128.load(dxr + j)));
    recSum += load<f64>(rowLoss + (<usize>r << 3));
  }
  return recSum;
}

/** the kernel's own job kinds (gemmThreads.as.ts numbers its own below JOB_KERNEL) */
const JOB_DECODE = JOB_KERNEL;
const JOB_LATENTS = JOB_KERNEL + 1;
const JOB_INPUT = JOB_KERNEL + 2;
const JOB_ADAM = JOB_KERNEL + 3;
/** the sparse backward is shared only from this many multiply-adds (firing pairs × d): below, a chunk costs about what sharing it does */
const SPARSE_SPLIT_FROM: f64 = 131072;
/** the sparse phases are cut into about this many chunks (of rows or of latents), Adam into ADAM_CHUNKS */
const SPARSE_CHUNKS = 16;
const ADAM_CHUNKS = 8;

/** Post the job written since openJob and run chunks of it here too until none is left; then wait for the helper's. */
function share(kind: i32, chunks: i32): void {
  post(kind, chunks);
  for (let i = claim(); i >= 0; i = claim()) {
    runChunk(kind, i, 0);
    finished();
  }
  join();
}

/** Chunk i of a job of this kernel's (scratch: the running thread's packing space, for GEMM chunks only). */
function runChunk(kind: i32, i: i32, scratch: usize): void {
  if (kind == JOB_GEMM) gemmChunk(i, scratch);
  else if (kind == JOB_ADAM) adamChunk(i);
  else sparseChunk(kind, i);
}

/** Rows [r0, r1): ĥ = b_dec + Σ_{firing l} z_l·(row l of W_decᵀ), δ = scale·(ĥ − h) into E, the row's loss, its firing list. */
function decodeRows(
  r0: i32, r1: i32, d: i32, L: i32, sv: v128, h: usize, bdec: usize, WdecT: usize, P: usize, E: usize, rowLoss: usize, actIdx: usize, actCount: usize,
): void {
  const dBytes = <usize>((d + 3) & ~3) << 2;
  const lBytes = <usize>((L + 3) & ~3) << 2;
  for (let r = r0; r < r1; r++) {
    const hr = h + <usize>r * dBytes, pr = P + <usize>r * lBytes, dh = E + <usize>r * dBytes, act = actIdx + <usize>r * lBytes;
    for (let j: usize = 0; j < dBytes; j += 16) v128.store(dh + j, v128.load(bdec + j));
    let nAct = 0;
    for (let l = 0; l < L; l++) {
      const a = load<f32>(pr + (<usize>l << 2));
      if (a > 0) {
        store<i32>(act + (<usize>nAct << 2), l);
        nAct++;
        const av = f32x4.splat(a);
        const row = WdecT + <usize>l * dBytes;
        for (let j: usize = 0; j < dBytes; j += 16) v128.store(dh + j, f32x4.add(v128.load(dh + j), f32x4.mul(av, v128.load(row + j))));
      }
    }
    store<i32>(actCount + (<usize>r << 2), nAct);
    let recv = f32x4.splat(0);
    for (let j: usize = 0; j < dBytes; j += 16) {
      const e = f32x4.sub(v128.load(dh + j), v128.load(hr + j));
      recv = f32x4.add(recv, f32x4.mul(e, e));
      v128.store(dh + j, f32x4.mul(sv, e));
    }
    store<f64>(rowLoss + (<usize>r << 3), <f64>hsum(recv) / <f64>d);
  }
}

/**
 * Latents [l0, l1), each over every example in order: g_l = (W_decᵀ δ)_l + λ/B where it fires (into G),
 * ∂b_enc,l += g_l, ∂(W_decᵀ)_l += z_l δ, ∂W_enc,l += g_l x̄.
 */
function latentGradients(
  l0: i32, l1: i32, B: i32, d: i32, L: i32, l1Grad: f32, WdecT: usize, X: usize, P: usize, E: usize, G: usize,
  gWdecT: usize, gWenc: usize, gbenc: usize, actIdx: usize, actCount: usize,
): void {
  const dBytes = <usize>((d + 3) & ~3) << 2;
  const lBytes = <usize>((L + 3) & ~3) << 2;
  const zero = f32x4.splat(0);
  for (let r = 0; r < B; r++) {
    const xc = X + <usize>r * dBytes, pr = P + <usize>r * lBytes, gr = G + <usize>r * lBytes, dh = E + <usize>r * dBytes;
    const act = actIdx + <usize>r * lBytes;
    const n = load<i32>(actCount + (<usize>r << 2));
    for (let i = 0; i < n; i++) {
      const l = load<i32>(act + (<usize>i << 2));
      if (l < l0) continue;
      if (l >= l1) break;
      const zv = f32x4.splat(load<f32>(pr + (<usize>l << 2)));
      const dro = WdecT + <usize>l * dBytes;
      const gdo = gWdecT + <usize>l * dBytes;
      let glv = zero;
      for (let j: usize = 0; j < dBytes; j += 16) {
        const dhj = v128.load(dh + j);
        glv = f32x4.add(glv, f32x4.mul(v128.load(dro + j), dhj));
        v128.store(gdo + j, f32x4.add(v128.load(gdo + j), f32x4.mul(dhj, zv)));
      }
      const gl: f32 = hsum(glv) + l1Grad;
      store<f32>(gr + (<usize>l << 2), gl);
      store<f32>(gbenc + (<usize>l << 2), load<f32>(gbenc + (<usize>l << 2)) + gl);
      const gv = f32x4.splat(gl);
      const geo = gWenc + <usize>l * dBytes;
      for (let j: usize = 0; j < dBytes; j += 16) v128.store(geo + j, f32x4.add(v128.load(geo + j), f32x4.mul(gv, v128.load(xc + j))));
    }
  }
}

/** Rows [r0, r1): ∂x̄_r = Σ_{firing l, in order} g_l·(row l of W_enc). */
function inputGradients(r0: i32, r1: i32, d: i32, L: i32, Wenc: usize, G: usize, dX: usize, actIdx: usize, actCount: usize): void {
  const dBytes = <usize>((d + 3) & ~3) << 2;
  const lBytes = <usize>((L + 3) & ~3) << 2;
  for (let r = r0; r < r1; r++) {
    const dxc = dX + <usize>r * dBytes, gr = G + <usize>r * lBytes, act = actIdx + <usize>r * lBytes;
    memory.fill(dxc, 0, dBytes);
    const n = load<i32>(actCount + (<usize>r << 2));
    for (let i = 0; i < n; i++) {
      const l = load<i32>(act + (<usize>i << 2));
      const gv = f32x4.splat(load<f32>(gr + (<usize>l << 2)));
      const eo = Wenc + <usize>l * dBytes;
      for (let j: usize = 0; j < dBytes; j += 16) v128.store(dxc + j, f32x4.add(v128.load(dxc + j), f32x4.mul(v128.load(eo + j), gv)));
    }
  }
}

/** Chunk i of a sparse phase: rows (decode, input) or latents [i·size, (i+1)·size), the rest as sparseBackward wrote it. */
function sparseChunk(kind: i32, i: i32): void {
  const d = jobI32(2), L = jobI32(3), B = jobI32(4), size = jobI32(23);
  const lo = i * size;
  const P = <usize>jobI32(12), E = <usize>jobI32(13), G = <usize>jobI32(14), actIdx = <usize>jobI32(21), actCount = <usize>jobI32(22);
  if (kind == JOB_DECODE) {
    decodeRows(lo, min(B, lo + size), d, L, f32x4.splat(jobF32(5)), <usize>jobI32(7), <usize>jobI32(8), <usize>jobI32(9), P, E, <usize>jobI32(20), actIdx, actCount);
  } else if (kind == JOB_LATENTS) {
    latentGradients(lo, min(L, lo + size), B, d, L, jobF32(6), <usize>jobI32(9), <usize>jobI32(11), P, E, G, <usize>jobI32(17), <usize>jobI32(18), <usize>jobI32(19), actIdx, actCount);
  } else {
    inputGradients(lo, min(B, lo + size), d, L, <usize>jobI32(10), G, <usize>jobI32(15), actIdx, actCount);
  }
}

/** The helper worker's loop (kernelThreads.ts runKernelHelper): take chunks until stopHelper. Returns at once in the single-thread builds. */
export function helperLoop(): void {
  helperEnter();
  while (helperNext()) {
    for (let i = claim(); i >= 0; i = claim()) {
      runChunk(jobI32(0), i, jobHelperScratch());
      helped();
      finished();
    }
  }
}

/**
 * The evaluation's firing counts: for B rows h ([B][dP]), P = (h − b_dec)·W_encᵀ + b_enc (the encoder GEMM), and
 * counts[l] += the rows where latent l fires (z > 1e-8, the trainer's SAE_ACTIVE). Returns the rows' total firings.
 */
export function fireCounts(B: i32, d: i32, dP: i32, L: i32, LP: i32, h: usize, Wenc: usize, benc: usize, bdec: usize, X: usize, P: usize, counts: usize): f64 {
  const dBytes = <usize>dP << 2;
  const lBytes = <usize>LP << 2;
  for (let r = 0; r < B; r++) {
    const hr = h + <usize>r * dBytes, xr = X + <usize>r * dBytes;
    for (let j: usize = 0; j < dBytes; j += 16) v128.store(xr + j, f32x4.sub(v128.load(hr + j), v128.load(bdec + j)));
  }
  gemm(B, L, d, X, dBytes, 4, Wenc, 4, dBytes, P, lBytes, false);
  let total: f64 = 0;
  for (let r = 0; r < B; r++) {
    const pr = P + <usize>r * lBytes;
    for (let l = 0; l < L; l++) {
      const at = <usize>l << 2;
      if (load<f32>(pr + at) + load<f32>(benc + at) > <f32>1e-8) {
        store<i32>(counts + at, load<i32>(counts + at) + 1);
        total += 1;
      }
    }
  }
  return total;
}

/**
 * AdamW over n floats (n a multiple of 4) of the parameters p with moments m, v (same layout) and
 * gradient g, in place: PyTorch's formula as in shared/adam.ts (stepSize = lr/(1 − β1^t),
 * sqrtBc2 = √(1 − β2^t), decay = 1 − lr·weightDecay), in float32.
 */
export function adam(n: i32, p: usize, m: usize, v: usize, g: usize, stepSize: f32, sqrtBc2: f32, decay: f32): void {
  // elementwise: both threads take chunks (the same values either way)
  if (canSplit() && n >= ADAM_SPLIT_FROM) {
    openJob();
    const chunk = (((n + ADAM_CHUNKS - 1) / ADAM_CHUNKS) + 3) & ~3;
    setJobI32(2, n);
    setJobI32(3, <i32>p);
    setJobI32(4, <i32>m);
    setJobI32(5, <i32>v);
    setJobI32(6, <i32>g);
    setJobF32(7, stepSize);
    setJobF32(8, sqrtBc2);
    setJobF32(9, decay);
    setJobI32(10, chunk);
    share(JOB_ADAM, (n + chunk - 1) / chunk);
  } else adamRange(n, p, m, v, g, stepSize, sqrtBc2, decay);
}

/** below this many floats Adam runs on one thread */
const ADAM_SPLIT_FROM = 65536;

/** Chunk i of a JOB_ADAM: floats [i·chunk, (i+1)·chunk) of the job's arrays. */
function adamChunk(i: i32): void {
  const n = jobI32(2), chunk = jobI32(10), at = i * chunk, off = <usize>at << 2;
  adamRange(min(chunk, n - at), <usize>jobI32(3) + off, <usize>jobI32(4) + off, <usize>jobI32(5) + off, <usize>jobI32(6) + off, jobF32(7), jobF32(8), jobF32(9));
}

function adamRange(n: i32, p: usize, m: usize, v: usize, g: usize, stepSize: f32, sqrtBc2: f32, decay: f32): void {
  const b1 = f32x4.splat(0.9), c1 = f32x4.splat(0.1), b2 = f32x4.splat(0.999), c2 = f32x4.splat(0.001);
  const ss = f32x4.splat(stepSize), bc = f32x4.splat(sqrtBc2), dec = f32x4.splat(decay), eps = f32x4.splat(1e-8);
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 16) {
    const gi = v128.load(g + i);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + i)), f32x4.mul(c1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + i)), f32x4.mul(c2, f32x4.mul(gi, gi)));
    v128.store(m + i, mi);
    v128.store(v + i, vi);
    const den = f32x4.add(f32x4.div(f32x4.sqrt(vi), bc), eps);
    v128.store(p + i, f32x4.sub(f32x4.mul(v128.load(p + i), dec), f32x4.mul(f32x4.div(mi, den), ss)));
  }
}

/** Each of the rows of W ([rows][dP], padding lanes zero) divided by (its norm + 1e-8): the decoder's unit-norm projection on W_decᵀ. */
export function normaliseRows(rows: i32, dP: i32, W: usize): void {
  const rowBytes = <usize>dP << 2;
  for (let r = 0; r < rows; r++) {
    const w = W + <usize>r * rowBytes;
    let s = f32x4.splat(0);
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const x = v128.load(w + j);
      s = f32x4.add(s, f32x4.mul(x, x));
    }
    const nv = f32x4.splat(<f32>(Math.sqrt(<f64>hsum(s)) + 1e-8));
    for (let j: usize = 0; j < rowBytes; j += 16) v128.store(w + j, f32x4.div(v128.load(w + j), nv));
  }
}

/**
 * The batch h ([B][dP]) from sparse terms: row r = Σ_{e ∈ [start[r], start[r+1])} coef[e] · truth[feature[e]]
 * (truth [G][d]), each term added in float64 and rounded to float32 in order, as the JavaScript sampler does,
 * so the batch is the same to the bit (f64x2: promote, multiply, add, demote).
 */
export function termsBatch(B: i32, d: i32, dP: i32, truth: usize, start: usize, feature: usize, coef: usize, h: usize): void {
  const dBytes = <usize>dP << 2;
  const pairs = <usize>(d & ~1) << 2;
  for (let r = 0; r < B; r++) {
    const hr = h + <usize>r * dBytes;
    memory.fill(hr, 0, dBytes);
    const e1 = load<i32>(start + (<usize>(r + 1) << 2));
    for (let e = load<i32>(start + (<usize>r << 2)); e < e1; e++) {
      const c = load<f64>(coef + (<usize>e << 3));
      const cv = f64x2.splat(c);
      const row = truth + (<usize>load<i32>(feature + (<usize>e << 2)) * (<usize>d << 2));
      for (let j: usize = 0; j < pairs; j += 8) {
        const t = f64x2.promote_low_f32x4(v128.load64_zero(row + j));
        const o = f64x2.promote_low_f32x4(v128.load64_zero(hr + j));
        v128.store64_lane(hr + j, f32x4.demote_f64x2_zero(f64x2.add(o, f64x2.mul(cv, t))), 0);
      }
      if (d & 1) {
        const j = pairs;
        store<f32>(hr + j, <f32>(<f64>load<f32>(hr + j) + c * <f64>load<f32>(row + j)));
      }
    }
  }
}
