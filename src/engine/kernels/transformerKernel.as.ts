// @ts-nocheck: AssemblyScript source, compiled to WebAssembly by buildKernels.ts (not part of the TS build).
//
// The fused transformer's operations (../transformer/fusedPasses.ts drives them; transformerKernel.ts
// binds them; transformerKernelJs.ts is the plain-JavaScript twin that computes the same numbers).
// Every buffer argument is a float (or int32) index into this module's memory: byte address = index · 4.
// Parameters, gradients, Adam moments and the whole activation workspace live in this memory, so no
// operation copies its inputs in or its outputs out.
//
// gemm is the only hot loop: the GEMM core (gemm.as.ts: packed panels, cache blocks, 4×8 f32x4 register
// tiles, fused multiply-add in the relaxed-SIMD build) for full products, and the direct 4×8 tiles
// below for the triangular ones (attention), which skip the known-zero half. Float32 sums.
// The others are scalar loops with float64 sums where a sum runs over many terms.

import { gemmCore, gemmScratch, GEMM_SCRATCH_BYTES } from './gemm.as';

/** byte address of the packing area (≥ K·N floats of the largest transposed B, and ≥ the GEMM core's) */
let scratch: usize = 0;

export function setScratch(at: i32): void {
  scratch = <usize>at << 2;
  gemmScratch(scratch);
}

/** bytes of packing space the GEMM core needs */
export function gemmScratchBytes(): i32 {
  return <i32>GEMM_SCRATCH_BYTES;
}

export function setGemmScratch(at: usize): void {
  gemmScratch(at);
}

/** C (M×N) (+)= A·B in the GEMM core, float indices and strides (its tests and the bench) */
export function matmul(M: i32, N: i32, K: i32, a: i32, aRow: i32, aCol: i32, b: i32, bRow: i32, bCol: i32, c: i32, cRow: i32, acc: i32): void {
  gemmCore(M, N, K, <usize>a << 2, <usize>aRow << 2, <usize>aCol << 2, <usize>b << 2, <usize>bRow << 2, <usize>bCol << 2, <usize>c << 2, <usize>cRow << 2, acc != 0);
}

// tri: which triangle of a square (T×T) operand is known to be zero, so its work can be skipped
const TRI_NONE = 0;
/** only C's lower triangle (j ≤ i) is needed; tiles wholly above the diagonal are not computed */
const TRI_C_LOWER = 1;
/** A is lower triangular (A[i][k] = 0 for k > i): the sum over k stops at the row block's end */
const TRI_A_LOWER = 2;
/** A is upper triangular (A[i][k] = 0 for k < i): the sum over k starts at the row block's start */
const TRI_A_UPPER = 3;

@inline
function tile4x8(pa: usize, aRow: usize, aCol: usize, pb: usize, bRow: usize, pc: usize, cRow: usize, k0: i32, k1: i32, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const aRow2 = aRow << 1, aRow3 = aRow * 3;
  for (let k = k0; k < k1; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(pa + aRow);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(pa + aRow2);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(pa + aRow3);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    pa += aCol;
    pb += bRow;
  }
  const p1 = pc + cRow, p2 = pc + (cRow << 1), p3 = pc + cRow * 3;
  if (acc) {
    c00 = f32x4.add(c00, v128.load(pc));
    c01 = f32x4.add(c01, v128.load(pc, 16));
    c10 = f32x4.add(c10, v128.load(p1));
    c11 = f32x4.add(c11, v128.load(p1, 16));
    c20 = f32x4.add(c20, v128.load(p2));
    c21 = f32x4.add(c21, v128.load(p2, 16));
    c30 = f32x4.add(c30, v128.load(p3));
    c31 = f32x4.add(c31, v128.load(p3, 16));
  }
  v128.store(pc, c00);
  v128.store(pc, c01, 16);
  v128.store(p1, c10);
  v128.store(p1, c11, 16);
  v128.store(p2, c20);
  v128.store(p2, c21, 16);
  v128.store(p3, c30);
  v128.store(p3, c31, 16);
}

@inline
function tile4x4(pa: usize, aRow: usize, aCol: usize, pb: usize, bRow: usize, pc: usize, cRow: usize, k0: i32, k1: i32, acc: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  const aRow2 = aRow << 1, aRow3 = aRow * 3;
  for (let k = k0; k < k1; k++) {
    const b0 = v128.load(pb);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), b0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa + aRow), b0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa + aRow2), b0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa + aRow3), b0));
    pa += aCol;
    pb += bRow;
  }
  const p1 = pc + cRow, p2 = pc + (cRow << 1), p3 = pc + cRow * 3;
  if (acc) {
    c0 = f32x4.add(c0, v128.load(pc));
    c1 = f32x4.add(c1, v128.load(p1));
    c2 = f32x4.add(c2, v128.load(p2));
    c3 = f32x4.add(c3, v128.load(p3));
  }
  v128.store(pc, c0);
  v128.store(p1, c1);
  v128.store(p2, c2);
  v128.store(p3, c3);
}

/** One output row from column j on, 8 then 4 then 1 columns at a time (the row tail of M). */
@inline
function row1(pa: usize, aCol: usize, pb: usize, bRow: usize, pc: usize, j: i32, jEnd: i32, k0: i32, k1: i32, acc: bool): void {
  for (; j + 8 <= jEnd; j += 8) {
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
    let a = pa, b = pb + (<usize>j << 2);
    for (let k = k0; k < k1; k++) {
      const x = v128.load32_splat(a);
      c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b)));
      c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 16)));
      a += aCol;
      b += bRow;
    }
    const p = pc + (<usize>j << 2);
    if (acc) {
      c0 = f32x4.add(c0, v128.load(p));
      c1 = f32x4.add(c1, v128.load(p, 16));
    }
    v128.store(p, c0);
    v128.store(p, c1, 16);
  }
  for (; j + 4 <= jEnd; j += 4) {
    let c0 = f32x4.splat(0);
    let a = pa, b = pb + (<usize>j << 2);
    for (let k = k0; k < k1; k++) {
      c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a), v128.load(b)));
      a += aCol;
      b += bRow;
    }
    const p = pc + (<usize>j << 2);
    if (acc) c0 = f32x4.add(c0, v128.load(p));
    v128.store(p, c0);
  }
  for (; j < jEnd; j++) {
    let s: f32 = 0;
    let a = pa, b = pb + (<usize>j << 2);
    for (let k = k0; k < k1; k++) {
      s += load<f32>(a) * load<f32>(b);
      a += aCol;
      b += bRow;
    }
    const p = pc + (<usize>j << 2);
    store<f32>(p, acc ? s + load<f32>(p) : s);
  }
}

/** C (M×N, row stride cRow bytes) (+)= A·B for one matrix; A[i][k] at a + i·aRow + k·aCol, B[k][j] at b + k·bRow + 4j. */
function gemm1(M: i32, N: i32, K: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize, c: usize, cRow: usize, acc: bool, tri: i32): void {
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const k0 = tri == TRI_A_UPPER ? i : 0;
    const k1 = tri == TRI_A_LOWER ? min(K, i + 4) : K;
    const jEnd = tri == TRI_C_LOWER ? min(N, i + 4) : N;
    const pa = a + <usize>i * aRow + <usize>k0 * aCol;
    const pb = b + <usize>k0 * bRow;
    const pc = c + <usize>i * cRow;
    let j = 0;
    for (; j + 8 <= jEnd; j += 8) tile4x8(pa, aRow, aCol, pb + (<usize>j << 2), bRow, pc + (<usize>j << 2), cRow, k0, k1, acc);
    for (; j + 4 <= jEnd; j += 4) tile4x4(pa, aRow, aCol, pb + (<usize>j << 2), bRow, pc + (<usize>j << 2), cRow, k0, k1, acc);
    if (j < jEnd) {
      for (let r = 0; r < 4; r++) row1(pa + <usize>r * aRow, aCol, pb, bRow, pc + <usize>r * cRow, j, jEnd, k0, k1, acc);
    }
  }
  for (; i < M; i++) {
    const k0 = tri == TRI_A_UPPER ? i : 0;
    const k1 = tri == TRI_A_LOWER ? min(K, i + 1) : K;
    const jEnd = tri == TRI_C_LOWER ? min(N, i + 1) : N;
    row1(a + <usize>i * aRow + <usize>k0 * aCol, aCol, b + <usize>k0 * bRow, bRow, c + <usize>i * cRow, 0, jEnd, k0, k1, acc);
  }
}

/** M·N·K from which a full product runs in the GEMM core (bench: the default config's per-head products stay below) */
const CORE_FROM: i64 = 1 << 17;

/**
 * For each of `batch` matrices: C (M×N) = A·B, or C += A·B when accumulate. Strides are in floats:
 * A[i][k] = a[i·aRow + k·aCol], B[k][j] = b[k·bRow + j·bCol], C[i][j] = c[i·cRow + j]; matrix n of the
 * batch starts n·aBatch (bBatch, cBatch) floats further. A large product without a triangle (tri = TRI_NONE)
 * runs in the GEMM core; a small one, or one with a triangle, a B with bCol ≠ 1 (a transposed operand) is first packed row-major into the
 * scratch area and the direct tiles skip the known-zero triangle (TRI_* above).
 */
export function gemm(
  M: i32, N: i32, K: i32,
  a: i32, aRow: i32, aCol: i32, aBatch: i32,
  b: i32, bRow: i32, bCol: i32, bBatch: i32,
  c: i32, cRow: i32, cBatch: i32,
  batch: i32, accumulate: i32, tri: i32,
): void {
  const acc = accumulate != 0;
  // small products (the per-head T×T×dHead ones) cost more to pack than they save: direct tiles
  if (tri == TRI_NONE && <i64>M * <i64>N * <i64>K >= CORE_FROM) {
    for (let n = 0; n < batch; n++) {
      gemmCore(
        M, N, K, (<usize>a + <usize>n * aBatch) << 2, <usize>aRow << 2, <usize>aCol << 2, (<usize>b + <usize>n * bBatch) << 2, <usize>bRow << 2, <usize>bCol << 2,
        (<usize>c + <usize>n * cBatch) << 2, <usize>cRow << 2, acc,
      );
    }
    return;
  }
  for (let n = 0; n < batch; n++) {
    const pa = (<usize>a + <usize>n * aBatch) << 2;
    let pb = (<usize>b + <usize>n * bBatch) << 2;
    let bRowBytes = <usize>bRow << 2;
    if (bCol != 1) {
      const colBytes = <usize>bCol << 2;
      let dst = scratch;
      for (let k = 0; k < K; k++) {
        let src = pb + <usize>k * bRowBytes;
        for (let j = 0; j < N; j++) {
          store<f32>(dst, load<f32>(src));
          dst += 4;
          src += colBytes;
        }
      }
      pb = scratch;
      bRowBytes = <usize>N << 2;
    }
    gemm1(M, N, K, pa, <usize>aRow << 2, <usize>aCol << 2, pb, bRowBytes, (<usize>c + <usize>n * cBatch) << 2, <usize>cRow << 2, acc, tri);
  }
}

/** x[b][t] = E[token] + P[t] (rows of d) */
export function embed(tokens: i32, E: i32, P: i32, x: i32, rows: i32, T: i32, d: i32): void {
  const dBytes = <usize>d << 2;
  for (let r = 0; r < rows; r++) {
    const tok = load<i32>(<usize>(tokens + r) << 2);
    const e = (<usize>E << 2) + <usize>tok * dBytes;
    const p = (<usize>P << 2) + <usize>(r % T) * dBytes;
    const o = (<usize>x << 2) + <usize>r * dBytes;
    let j: usize = 0;
    for (; j + 16 <= dBytes; j += 16) v128.store(o + j, f32x4.add(v128.load(e + j), v128.load(p + j)));
    for (; j < dBytes; j += 4) store<f32>(o + j, load<f32>(e + j) + load<f32>(p + j));
  }
}

/** gE[token] += dx[b][t], gP[t] += dx[b][t] */
export function embedBackward(tokens: i32, dx: i32, gE: i32, gP: i32, rows: i32, T: i32, d: i32): void {
  const dBytes = <usize>d << 2;
  for (let r = 0; r < rows; r++) {
    const tok = load<i32>(<usize>(tokens + r) << 2);
    const e = (<usize>gE << 2) + <usize>tok * dBytes;
    const p = (<usize>gP << 2) + <usize>(r % T) * dBytes;
    const g = (<usize>dx << 2) + <usize>r * dBytes;
    let j: usize = 0;
    for (; j + 16 <= dBytes; j += 16) {
      const v = v128.load(g + j);
      v128.store(e + j, f32x4.add(v128.load(e + j), v));
      v128.store(p + j, f32x4.add(v128.load(p + j), v));
    }
    for (; j < dBytes; j += 4) {
      const v = load<f32>(g + j);
      store<f32>(e + j, load<f32>(e + j) + v);
      store<f32>(p + j, load<f32>(p + j) + v);
    }
  }
}

/** out = x + y over n floats */
export function add(x: i32, y: i32, out: i32, n: i32): void {
  const px = <usize>x << 2, py = <usize>y << 2, po = <usize>out << 2;
  const end = <usize>n << 2;
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) v128.store(po + i, f32x4.add(v128.load(px + i), v128.load(py + i)));
  for (; i < end; i += 4) store<f32>(po + i, load<f32>(px + i) + load<f32>(py + i));
}

/** x[r] += bias for each of `rows` rows of n */
export function addBias(x: i32, bias: i32, rows: i32, n: i32): void {
  const pb = <usize>bias << 2;
  for (let r = 0; r < rows; r++) {
    const px = (<usize>x + <usize>r * n) << 2;
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(px + o, load<f32>(px + o) + load<f32>(pb + o));
    }
  }
}

/** out[j] += Σ_r x[r][j] (float64 sums) */
export function colSum(x: i32, rows: i32, n: i32, out: i32): void {
  const rowBytes = <usize>n << 2;
  for (let j = 0; j < n; j++) {
    let s: f64 = 0;
    let p = (<usize>x + j) << 2;
    for (let r = 0; r < rows; r++) {
      s += <f64>load<f32>(p);
      p += rowBytes;
    }
    const o = (<usize>out + j) << 2;
    store<f32>(o, <f32>(<f64>load<f32>(o) + s));
  }
}

/** y = (x − mean) / √(var + eps) · g + b per row of d; stats[2r] = mean, stats[2r + 1] = 1/√(var + eps) */
export function layerNorm(x: i32, y: i32, g: i32, b: i32, stats: i32, rows: i32, d: i32, eps: f64): void {
  const pg = <usize>g << 2, pbias = <usize>b << 2;
  for (let r = 0; r < rows; r++) {
    const px = (<usize>x + <usize>r * d) << 2;
    const py = (<usize>y + <usize>r * d) << 2;
    let s: f64 = 0;
    for (let j = 0; j < d; j++) s += <f64>load<f32>(px + (<usize>j << 2));
    const mean = s / d;
    let v: f64 = 0;
    for (let j = 0; j < d; j++) {
      const c = <f64>load<f32>(px + (<usize>j << 2)) - mean;
      v += c * c;
    }
    const rstd = 1 / Math.sqrt(v / d + eps);
    for (let j = 0; j < d; j++) {
      const o = <usize>j << 2;
      store<f32>(py + o, <f32>((<f64>load<f32>(px + o) - mean) * rstd * <f64>load<f32>(pg + o) + <f64>load<f32>(pbias + o)));
    }
    const ps = (<usize>stats + (<usize>r << 1)) << 2;
    store<f32>(ps, <f32>mean);
    store<f32>(ps, <f32>rstd, 4);
  }
}

/**
 * LayerNorm backward: dx += rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ x̂)) with ĝ = dy · g, x̂ = (x − mean) · rstd;
 * dg += Σ_r dy x̂, db += Σ_r dy (float64 sums).
 */
export function layerNormBackward(dy: i32, x: i32, g: i32, stats: i32, dx: i32, dg: i32, db: i32, rows: i32, d: i32): void {
  const pg = <usize>g << 2;
  for (let r = 0; r < rows; r++) {
    const px = (<usize>x + <usize>r * d) << 2;
    const pdy = (<usize>dy + <usize>r * d) << 2;
    const pdx = (<usize>dx + <usize>r * d) << 2;
    const ps = (<usize>stats + (<usize>r << 1)) << 2;
    const mean = <f64>load<f32>(ps), rstd = <f64>load<f32>(ps, 4);
    let sg: f64 = 0, sgx: f64 = 0;
    for (let j = 0; j < d; j++) {
      const o = <usize>j << 2;
      const gh = <f64>load<f32>(pdy + o) * <f64>load<f32>(pg + o);
      sg += gh;
      sgx += gh * (<f64>load<f32>(px + o) - mean) * rstd;
    }
    sg /= d;
    sgx /= d;
    for (let j = 0; j < d; j++) {
      const o = <usize>j << 2;
      const gh = <f64>load<f32>(pdy + o) * <f64>load<f32>(pg + o);
      const xh = (<f64>load<f32>(px + o) - mean) * rstd;
      store<f32>(pdx + o, <f32>(<f64>load<f32>(pdx + o) + rstd * (gh - sg - xh * sgx)));
    }
  }
  const rowBytes = <usize>d << 2;
  for (let j = 0; j < d; j++) {
    let sdg: f64 = 0, sdb: f64 = 0;
    let px = (<usize>x + j) << 2, pdy = (<usize>dy + j) << 2, ps = <usize>stats << 2;
    for (let r = 0; r < rows; r++) {
      const v = <f64>load<f32>(pdy);
      sdg += v * (<f64>load<f32>(px) - <f64>load<f32>(ps)) * <f64>load<f32>(ps, 4);
      sdb += v;
      px += rowBytes;
      pdy += rowBytes;
      ps += 8;
    }
    const og = (<usize>dg + j) << 2, ob = (<usize>db + j) << 2;
    store<f32>(og, <f32>(<f64>load<f32>(og) + sdg));
    store<f32>(ob, <f32>(<f64>load<f32>(ob) + sdb));
  }
}

// exp on f32x4 (Cephes expf: e^x = 2^n · e^r, |r| ≤ ln2/2, degree-6 polynomial; ≈ 1 ulp): the
// softmax and the cross-entropy spend most of their time in exp, and Mathf.exp is scalar.
const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** 1.5 · 2^23: adding it rounds a float of magnitude < 2^22 to an integer held in the low mantissa bits */
const ROUNDER: f32 = 12582912.0;

@inline
function expv(x: v128): v128 {
  // pmin/pmax are single instructions (min/max would add NaN handling)
  x = f32x4.pmax(f32x4.pmin(x, f32x4.splat(88.0)), f32x4.splat(-87.3365447504019));
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const n = f32x4.sub(t, f32x4.splat(ROUNDER));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2^n from the integer in t's bits: (n + 127) << 23
  const pow2n = i32x4.shl(i32x4.add(t, i32x4.splat(127 - 0x4b400000)), 23);
  return f32x4.mul(y, pow2n);
}

/** max of n floats at p (n ≥ 1) */
@inline
function maxOf(p: usize, n: i32): f32 {
  let m = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= n; j += 4) m = f32x4.pmax(m, v128.load(p + (<usize>j << 2)));
  let mx = max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
  for (; j < n; j++) mx = max(mx, load<f32>(p + (<usize>j << 2)));
  return mx;
}

/**
 * dst[j] = exp((src[j] − shift) · scale) for j < n; returns Σ_j dst[j] in float64. The last n mod 4
 * values go through one vector exp too, gathered and scattered lane by lane (nothing outside [0, n)
 * is read or written).
 */
@inline
function expShifted(src: usize, dst: usize, n: i32, shift: f32, scale: f32): f64 {
  const sh = f32x4.splat(shift), sc = f32x4.splat(scale);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    const e = expv(f32x4.mul(f32x4.sub(v128.load(src + o), sh), sc));
    v128.store(dst + o, e);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 2, 3)));
  }
  const s = f64x2.add(s0, s1);
  let sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  const rest = n - j;
  if (rest > 0) {
    const ps = src + (<usize>j << 2), pd = dst + (<usize>j << 2);
    let v = f32x4.splat(shift);
    v = f32x4.replace_lane(v, 0, load<f32>(ps));
    if (rest > 1) v = f32x4.replace_lane(v, 1, load<f32>(ps, 4));
    if (rest > 2) v = f32x4.replace_lane(v, 2, load<f32>(ps, 8));
    const e = expv(f32x4.mul(f32x4.sub(v, sh), sc));
    const e0 = f32x4.extract_lane(e, 0);
    store<f32>(pd, e0);
    sum += <f64>e0;
    if (rest > 1) {
      const e1 = f32x4.extract_lane(e, 1);
      store<f32>(pd, e1, 4);
      sum += <f64>e1;
    }
    if (rest > 2) {
      const e2 = f32x4.extract_lane(e, 2);
      store<f32>(pd, e2, 8);
      sum += <f64>e2;
    }
  }
  return sum;
}

/** n floats of zeros at p (memory.fill is a call; these runs are short) */
@inline
function zeros(p: usize, n: i32): void {
  let j = 0;
  const z = f32x4.splat(0);
  for (; j + 4 <= n; j += 4) v128.store(p + (<usize>j << 2), z);
  for (; j < n; j++) store<f32>(p + (<usize>j << 2), 0);
}

/** p[j] *= factor for j < n */
@inline
function scaleRow(p: usize, n: i32, factor: f32): void {
  const fv = f32x4.splat(factor);
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(p + (<usize>j << 2), f32x4.mul(v128.load(p + (<usize>j << 2)), fv));
  for (; j < n; j++) store<f32>(p + (<usize>j << 2), load<f32>(p + (<usize>j << 2)) * factor);
}

/**
 * In place on `count` T×T score matrices: row i becomes softmax_j≤i(scale · s[i][j]) (max-subtracted),
 * zero for j > i.
 */
export function causalSoftmax(s: i32, count: i32, T: i32, scale: f32): void {
  const rowBytes = <usize>T << 2;
  let p = <usize>s << 2;
  for (let m = 0; m < count; m++) {
    for (let i = 0; i < T; i++) {
      const n = i + 1;
      const sum = expShifted(p, p, n, maxOf(p, n), scale);
      scaleRow(p, n, <f32>(1 / sum));
      zeros(p + (<usize>n << 2), T - n);
      p += rowBytes;
    }
  }
}

/** In place: da[i][j] := scale · a[i][j] · (da[i][j] − Σ_j' a[i][j'] da[i][j']) for j ≤ i, 0 above (reads only j ≤ i). */
export function causalSoftmaxBackward(a: i32, da: i32, count: i32, T: i32, scale: f32): void {
  const rowBytes = <usize>T << 2;
  let pa = <usize>a << 2, pd = <usize>da << 2;
  for (let m = 0; m < count; m++) {
    for (let i = 0; i < T; i++) {
      let dot: f64 = 0;
      for (let j = 0; j <= i; j++) {
        const o = <usize>j << 2;
        dot += <f64>load<f32>(pa + o) * <f64>load<f32>(pd + o);
      }
      const d = <f32>dot;
      for (let j = 0; j <= i; j++) {
        const o = <usize>j << 2;
        store<f32>(pd + o, scale * load<f32>(pa + o) * (load<f32>(pd + o) - d));
      }
      for (let j = i + 1; j < T; j++) store<f32>(pd + (<usize>j << 2), 0);
      pa += rowBytes;
      pd += rowBytes;
    }
  }
}

const GELU_C: f64 = 0.7978845608028654; // √(2/π)
const GELU_A: f64 = 0.044715;

/** y = 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³))) */
export function gelu(x: i32, y: i32, n: i32): void {
  const px = <usize>x << 2, py = <usize>y << 2;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = <f64>load<f32>(px + o);
    store<f32>(py + o, <f32>(0.5 * v * (1 + Math.tanh(GELU_C * (v + GELU_A * v * v * v)))));
  }
}

/** dx = dy · GELU'(x) (dx may be dy) */
export function geluBackward(x: i32, dy: i32, dx: i32, n: i32): void {
  const px = <usize>x << 2, pdy = <usize>dy << 2, pdx = <usize>dx << 2;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = <f64>load<f32>(px + o);
    const t = Math.tanh(GELU_C * (v + GELU_A * v * v * v));
    const grad = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * v * v);
    store<f32>(pdx + o, <f32>(<f64>load<f32>(pdy + o) * grad));
  }
}

/**
 * Next-token cross-entropy on rows = B·T logits rows of V: the row at position t < T − 1 is scored
 * against tokens[row + 1]; dlogits = gradScale · (softmax − onehot), zero at t = T − 1.
 * Returns the sum of the (B·(T − 1)) losses.
 */
export function crossEntropy(logits: i32, tokens: i32, dlogits: i32, rows: i32, T: i32, V: i32, gradScale: f64): f64 {
  const rowBytes = <usize>V << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const pl = (<usize>logits << 2) + <usize>r * rowBytes;
    const pd = (<usize>dlogits << 2) + <usize>r * rowBytes;
    if (r % T == T - 1) {
      zeros(pd, V);
      continue;
    }
    const mx = maxOf(pl, V);
    const sum = expShifted(pl, pd, V, mx, 1);
    const target = load<i32>(<usize>(tokens + r + 1) << 2);
    total += Math.log(sum) + <f64>mx - <f64>load<f32>(pl + (<usize>target << 2));
    scaleRow(pd, V, <f32>(gradScale / sum));
    const ot = pd + (<usize>target << 2);
    store<f32>(ot, <f32>(<f64>load<f32>(ot) - gradScale));
  }
  return total;
}

/**
 * Adam(W) in place over n floats, PyTorch's formula: m = β1 m + (1 − β1) g, v = β2 v + (1 − β2) g²,
 * p = p · decay − stepSize · m / (√v / sqrtBc2 + eps), with stepSize = lr / (1 − β1^t), sqrtBc2 = √(1 − β2^t),
 * decay = 1 − lr · weightDecay.
 */
export function adam(p: i32, g: i32, m: i32, v: i32, n: i32, beta1: f64, beta2: f64, stepSize: f64, sqrtBc2: f64, eps: f64, decay: f64): void {
  const pp = <usize>p << 2, pg = <usize>g << 2, pm = <usize>m << 2, pv = <usize>v << 2;
  // two lanes at a time in float64 (f64x2): the same numbers as one at a time
  const b1 = f64x2.splat(beta1), c1 = f64x2.splat(1 - beta1), b2 = f64x2.splat(beta2), c2 = f64x2.splat(1 - beta2);
  const step = f64x2.splat(stepSize), bc2 = f64x2.splat(sqrtBc2), ep = f64x2.splat(eps), dec = f64x2.splat(decay);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 2;
    const gi = f64x2.promote_low_f32x4(v128.load64_zero(pg + o));
    const mf = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(b1, f64x2.promote_low_f32x4(v128.load64_zero(pm + o))), f64x2.mul(c1, gi)));
    const vf = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(b2, f64x2.promote_low_f32x4(v128.load64_zero(pv + o))), f64x2.mul(f64x2.mul(c2, gi), gi)));
    v128.store64_lane(pm + o, mf, 0);
    v128.store64_lane(pv + o, vf, 0);
    const mi = f64x2.promote_low_f32x4(mf), vi = f64x2.promote_low_f32x4(vf);
    const upd = f64x2.div(f64x2.mul(step, mi), f64x2.add(f64x2.div(f64x2.sqrt(vi), bc2), ep));
    const pnew = f64x2.sub(f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(pp + o)), dec), upd);
    v128.store64_lane(pp + o, f32x4.demote_f64x2_zero(pnew), 0);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = <f64>load<f32>(pg + o);
    const mi = <f64><f32>(beta1 * <f64>load<f32>(pm + o) + (1 - beta1) * gi);
    const vi = <f64><f32>(beta2 * <f64>load<f32>(pv + o) + (1 - beta2) * gi * gi);
    store<f32>(pm + o, <f32>mi);
    store<f32>(pv + o, <f32>vi);
    store<f32>(pp + o, <f32>(<f64>load<f32>(pp + o) * decay - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + eps)));
  }
}
