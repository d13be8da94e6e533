// @ts-nocheck: AssemblyScript source, compiled to WebAssembly by buildKernels.ts (not part of the TS build).
//
// The fused transformer's operations (../transformer/fusedPasses.ts drives them; transformerKernel.ts
// binds them; transformerKernelJs.ts is the plain-JavaScript twin that computes the same numbers).
// Every buffer argument is a float (or int32) index into this module's memory: byte address = index · 4.
// Parameters, gradients, Adam moments and the whole activation workspace live in this memory, so no
// operation copies its inputs in or its outputs out.
//
// gemm is the only hot loop: f32x4 register tiles of 4 rows × 8 columns (8 accumulators), float32 sums.
// The others are scalar loops with float64 sums where a sum runs over many terms.

/** byte address of the packing area (≥ K·N floats of the largest transposed B) */
let scratch: usize = 0;

export function setScratch(at: i32): void {
  scratch = <usize>at << 2;
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

/**
 * For each of `batch` matrices: C (M×N) = A·B, or C += A·B when accumulate. Strides are in floats:
 * A[i][k] = a[i·aRow + k·aCol], B[k][j] = b[k·bRow + j·bCol], C[i][j] = c[i·cRow + j]; matrix n of the
 * batch starts n·aBatch (bBatch, cBatch) floats further. A B with bCol ≠ 1 (a transposed operand) is
 * first packed row-major into the scratch area. `tri` skips known-zero triangles (TRI_* above).
 */
export function gemm(
  M: i32, N: i32, K: i32,
  a: i32, aRow: i32, aCol: i32, aBatch: i32,
  b: i32, bRow: i32, bCol: i32, bBatch: i32,
  c: i32, cRow: i32, cBatch: i32,
  batch: i32, accumulate: i32, tri: i32,
): void {
  const acc = accumulate != 0;
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
    for (let j: usize = 0; j < dBytes; j += 4) store<f32>(o + j, load<f32>(e + j) + load<f32>(p + j));
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
    for (let j: usize = 0; j < dBytes; j += 4) {
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

/**
 * In place on `count` T×T score matrices: row i becomes softmax_j≤i(scale · s[i][j]) (max-subtracted),
 * zero for j > i.
 */
export function causalSoftmax(s: i32, count: i32, T: i32, scale: f32): void {
  const rowBytes = <usize>T << 2;
  let p = <usize>s << 2;
  for (let m = 0; m < count; m++) {
    for (let i = 0; i < T; i++) {
      let mx: f32 = -Infinity;
      for (let j = 0; j <= i; j++) mx = max(mx, load<f32>(p + (<usize>j << 2)));
      let sum: f64 = 0;
      for (let j = 0; j <= i; j++) {
        const o = p + (<usize>j << 2);
        const e = Mathf.exp((load<f32>(o) - mx) * scale);
        store<f32>(o, e);
        sum += e;
      }
      const inv = <f32>(1 / sum);
      for (let j = 0; j <= i; j++) {
        const o = p + (<usize>j << 2);
        store<f32>(o, load<f32>(o) * inv);
      }
      for (let j = i + 1; j < T; j++) store<f32>(p + (<usize>j << 2), 0);
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
      memory.fill(pd, 0, rowBytes);
      continue;
    }
    let mx: f32 = -Infinity;
    for (let j = 0; j < V; j++) mx = max(mx, load<f32>(pl + (<usize>j << 2)));
    let sum: f64 = 0;
    for (let j = 0; j < V; j++) {
      const e = Mathf.exp(load<f32>(pl + (<usize>j << 2)) - mx);
      store<f32>(pd + (<usize>j << 2), e);
      sum += e;
    }
    const target = load<i32>(<usize>(tokens + r + 1) << 2);
    total += Math.log(sum) + <f64>mx - <f64>load<f32>(pl + (<usize>target << 2));
    const scale = gradScale / sum;
    for (let j = 0; j < V; j++) {
      const o = pd + (<usize>j << 2);
      store<f32>(o, <f32>(<f64>load<f32>(o) * scale));
    }
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
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const gi = <f64>load<f32>(pg + o);
    const mi = <f64><f32>(beta1 * <f64>load<f32>(pm + o) + (1 - beta1) * gi);
    const vi = <f64><f32>(beta2 * <f64>load<f32>(pv + o) + (1 - beta2) * gi * gi);
    store<f32>(pm + o, <f32>mi);
    store<f32>(pv + o, <f32>vi);
    store<f32>(pp + o, <f32>(<f64>load<f32>(pp + o) * decay - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + eps)));
  }
}
