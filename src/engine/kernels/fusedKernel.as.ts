// @ts-nocheck: AssemblyScript source, compiled to WebAssembly by buildKernels.ts (not part of the TS build).
//
// WebAssembly kernels of the fused trainer (../fusedTrainer.ts), driven by fusedKernel.ts:
// * sampleRows: the batch sampler of ../sparseBatch.ts (sfc32, same stream, same float32 values)
//   for independent features, writing sparse rows;
// * gramMatrix, rowsPass, finish: the Gram path for one instance, with 128-bit SIMD over float64
//   pairs (f64x2) and the same arithmetic as the JavaScript path, so the results agree to the last
//   bit except for the order of the loss sum.
// Vectors have length nPad = n rounded up to even and are zero in the padding lane; matrices are
// row-major with row stride nPad. All pointers are byte offsets into this module's memory.

/**
 * `rows` rows of n independent features into CSR (start[rows + 1], idx, val): feature i is active
 * when the next u32 draw is below thr[i] = density_i · 2^32 (⇔ u32 / 2^32 < density_i), and then
 * takes the next draw / 2^32 (or 2·that − 1 when signed), rounded to float32. The sfc32 state
 * [a, b, c, d] is read from and written back to `state`. Returns the number of entries.
 */
export function sampleRows(state: usize, thr: usize, n: i32, rows: i32, signed: bool, start: usize, idx: usize, val: usize): i32 {
  let a = load<i32>(state), b = load<i32>(state, 4), c = load<i32>(state, 8), d = load<i32>(state, 12);
  let nnz: i32 = 0;
  for (let r = 0; r < rows; r++) {
    store<i32>(start + (<usize>r << 2), nnz);
    for (let i = 0; i < n; i++) {
      let t = a + b + d;
      d = d + 1;
      a = b ^ (b >>> 9);
      b = c + (c << 3);
      c = (c << 21) | (c >>> 11);
      c = c + t;
      if (<f64><u32>t < load<f64>(thr + (<usize>i << 3))) {
        t = a + b + d;
        d = d + 1;
        a = b ^ (b >>> 9);
        b = c + (c << 3);
        c = (c << 21) | (c >>> 11);
        c = c + t;
        const u = <f64><u32>t * 2.3283064365386963e-10; // exact: t / 2^32
        store<i32>(idx + (<usize>nnz << 2), i);
        store<f32>(val + (<usize>nnz << 2), <f32>(signed ? 2 * u - 1 : u));
        nnz++;
      }
    }
  }
  store<i32>(start + (<usize>rows << 2), nnz);
  store<i32>(state, a);
  store<i32>(state, b, 4);
  store<i32>(state, c, 8);
  store<i32>(state, d, 12);
  return nnz;
}

let deltaSeen: f64 = 0;

/** Active outputs (δ ≠ 0 allowed) summed over the non-empty rows of the last rowsPass. */
export function lastDeltaCount(): f64 {
  return deltaSeen;
}

/** y[0..nPad) += a · x[0..nPad) */
@inline
function axpy(y: usize, a: f64, x: usize, nPad: i32): void {
  const av = f64x2.splat(a);
  const end = <usize>nPad << 3;
  for (let i: usize = 0; i < end; i += 16) {
    v128.store(y + i, f64x2.add(v128.load(y + i), f64x2.mul(av, v128.load(x + i))));
  }
}

/** G = WᵀW (W: m rows, G: n rows; both of stride nPad): G[i, :] = Σ_r W[r, i] · W[r, :]. */
export function gramMatrix(W: usize, G: usize, m: i32, n: i32, nPad: i32): void {
  const stride = <usize>nPad << 3;
  memory.fill(G, 0, <usize>n * stride);
  for (let r = 0; r < m; r++) {
    const wr = W + <usize>r * stride;
    for (let i = 0; i < n; i++) {
      const w = load<f64>(wr + (<usize>i << 3));
      if (w != 0) axpy(G + <usize>i * stride, w, wr, nPad);
    }
  }
}

/**
 * Loss and errors of one row from z and the dense input x: δ_i = I_i (x'_i − x_i), masked by
 * [z_i > 0] for relu; gb += weight · δ. Returns weight · Σ I_i (x'_i − x_i)².
 */
@inline
function outputErrors(relu: bool, z: usize, x: usize, imp: usize, delta: usize, gb: usize, nPad: i32, weight: f64): f64 {
  const zero = f64x2.splat(0);
  const one = f64x2.splat(1);
  const wv = f64x2.splat(weight);
  let lossV = zero;
  let countV = zero;
  const end = <usize>nPad << 3;
  for (let i: usize = 0; i < end; i += 16) {
    const zv = v128.load(z + i);
    let d: v128;
    if (relu) {
      const on = f64x2.gt(zv, zero); // all-ones lanes where z > 0
      const diff = f64x2.sub(v128.and(zv, on), v128.load(x + i));
      const wd = f64x2.mul(v128.load(imp + i), diff);
      lossV = f64x2.add(lossV, f64x2.mul(wd, diff));
      d = v128.and(wd, on);
      countV = f64x2.add(countV, v128.and(one, on));
    } else {
      const diff = f64x2.sub(zv, v128.load(x + i));
      const wd = f64x2.mul(v128.load(imp + i), diff);
      lossV = f64x2.add(lossV, f64x2.mul(wd, diff));
      d = wd;
    }
    v128.store(delta + i, d);
    v128.store(gb + i, f64x2.add(v128.load(gb + i), f64x2.mul(wv, d)));
  }
  if (weight == 1) deltaSeen += f64x2.extract_lane(countV, 0) + f64x2.extract_lane(countV, 1);
  return weight * (f64x2.extract_lane(lossV, 0) + f64x2.extract_lane(lossV, 1));
}

/**
 * One pass over an instance's sparse rows (CSR: start[rows + 1], idx/val): for each non-empty row
 * z = b + Σ_{j active} x_j G[j, :], errors, ∂b += δ, A[j, :] += x_j δ. Rows with no active input
 * all have z = b and are evaluated once, weighted by their count. Returns Σ_rows Σ_i I_i (x'_i − x_i)².
 * gb and A must be zeroed by the caller; x must be all zero (it is left so).
 */
export function rowsPass(relu: bool, n: i32, nPad: i32, rows: i32, start: usize, idx: usize, val: usize, G: usize, b: usize, imp: usize, z: usize, x: usize, delta: usize, A: usize, gb: usize): f64 {
  const stride = <usize>nPad << 3;
  let loss: f64 = 0;
  let empty: i32 = 0;
  deltaSeen = 0;
  for (let r = 0; r < rows; r++) {
    const s0 = load<i32>(start + (<usize>r << 2));
    const s1 = load<i32>(start + (<usize>(r + 1) << 2));
    if (s0 == s1) {
      empty++;
      continue;
    }
    memory.copy(z, b, stride);
    for (let p = s0; p < s1; p++) {
      const j = <usize>load<i32>(idx + (<usize>p << 2));
      const xj = <f64>load<f32>(val + (<usize>p << 2));
      store<f64>(x + (j << 3), xj);
      axpy(z, xj, G + j * stride, nPad);
    }
    loss += outputErrors(relu, z, x, imp, delta, gb, nPad, 1);
    for (let p = s0; p < s1; p++) {
      const j = <usize>load<i32>(idx + (<usize>p << 2));
      const xj = <f64>load<f32>(val + (<usize>p << 2));
      store<f64>(x + (j << 3), 0);
      axpy(A + j * stride, xj, delta, nPad);
    }
  }
  if (!relu) deltaSeen = <f64>(rows - empty) * <f64>n;
  if (empty > 0) {
    memory.copy(z, b, stride);
    loss += outputErrors(relu, z, x, imp, delta, gb, nPad, <f64>empty);
  }
  return loss;
}

/** ∂W = W (A + Aᵀ): symmetrise A (n×n) in place, then gW[r, :] = Σ_j W[r, j] · A[j, :]. */
export function finish(W: usize, A: usize, gW: usize, m: i32, n: i32, nPad: i32): void {
  const stride = <usize>nPad << 3;
  for (let i = 0; i < n; i++) {
    const ii = A + <usize>i * stride + (<usize>i << 3);
    store<f64>(ii, 2 * load<f64>(ii));
    for (let j = i + 1; j < n; j++) {
      const ij = A + <usize>i * stride + (<usize>j << 3);
      const ji = A + <usize>j * stride + (<usize>i << 3);
      const s = load<f64>(ij) + load<f64>(ji);
      store<f64>(ij, s);
      store<f64>(ji, s);
    }
  }
  memory.fill(gW, 0, <usize>m * stride);
  for (let r = 0; r < m; r++) {
    const wr = W + <usize>r * stride;
    const gr = gW + <usize>r * stride;
    for (let j = 0; j < n; j++) {
      const w = load<f64>(wr + (<usize>j << 3));
      if (w != 0) axpy(gr, w, A + <usize>j * stride, nPad);
    }
  }
}
