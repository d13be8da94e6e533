// The fused toy-model passes: forward and hand-derived backward of one instance on one batch, in
// plain loops over typed arrays (the trainer around them is fusedTrainer.ts).
//
// Work is proportional to the NON-ZERO inputs. Per instance, with W (m×n, column i = feature i),
// z = WᵀW x + b, x' = ReLU(z) (or z for the linear model), and per sample (science.md §3.4)
//   e_i = 2 I_i (x'_i − x_i) / (B·n),   δ_i = e_i · [z_i > 0]   (δ_i = e_i for linear)
//   ∂L/∂b = Σ_batch δ,   ∂L/∂W = Σ_batch (W x) δᵀ + (W δ) xᵀ.
// Only features with x_j ≠ 0 contribute to W x and to the xᵀ terms, and only outputs with
// δ_i ≠ 0 (z_i > 0 for ReLU) contribute to the δ terms. Two ways to evaluate this, chosen per
// instance and step by a cost estimate (both give the same numbers up to rounding):
//
// * direct: h = W x over the active inputs (m·a), z = b + Wᵀh (m·n), then the two outer
//   products over the active δ's and active inputs (m·(2d + a)).
// * gram:   precompute G = WᵀW once per step (n²m), so z = b + Σ_{j active} x_j G_j (n·a per
//   row); and since ∂W = W · Σ_batch (x δᵀ + δ xᵀ), accumulate A = Σ_batch x δᵀ over active
//   (input, output) pairs only (a·d per row) and finish with ∂W = W (A + Aᵀ) once per step (m·n²).
//   When a ≪ m this beats the direct path: at S = 0.95, n = 5 a row costs ~n instead of ~m·n.
//
// A row with no active input gives z = b whatever W is, so all such rows (77% of them in the
// pentagon setting) are handled at once: one evaluation times their count.
//
// The batch sampler and the Gram path also exist as WebAssembly kernels (kernels/fusedKernel.as.ts;
// the Gram path with f64x2 SIMD and the same arithmetic): 2–2.7× (sampler) and 3–4.5× (Gram pass)
// faster than the JavaScript loops, which stay as the fallback for runtimes without wasm SIMD and
// compute the same numbers. AdamW, the direct path and relu-hidden's pass run in JavaScript.
//
// relu-hidden (h = ReLU(W x), y = ReLU(W2 h + b), target |x|) has no Gram shortcut; it uses the
// direct scheme, skipping inactive inputs and inactive hidden units:
//   δ_i = 2 I_i (y_i − |x_i|)/(B·n) · [z_i > 0],  ∂b = Σ δ,  ∂W2 = Σ δ hᵀ,
//   g = (W2ᵀ δ) ⊙ [W x > 0],  ∂W = Σ g xᵀ.
//
// Arithmetic is float64 (JS numbers) with float64 accumulators; parameters and Adam moments are

import type { SparseRows } from '../sparseBatch';
import type { PassResult, Workspace } from './workspace';
// ---------------------------------------------------------------------------------------------
// Per-row pieces shared by all paths.

/**
 * Loss and output errors of one row from its pre-activation z and its dense input ws.x.
 * Lists δ_i = I_i (x'_i − target_i) for every output that passes a gradient (z_i > 0 with a ReLU,
 * every output without) in ws.dIdx/dVal, count in ws.nd; returns Σ_i I_i (x'_i − target_i)².
 * The list append is branch-free (the slot is always written, the count advances only for z_i > 0):
 * whether z_i > 0 is a coin flip early in training, and mispredicted branches cost more than the stores.
 */
export function outputErrors(ws: Workspace, imp: Float64Array, relu: boolean, absTarget: boolean): number {
  if (!relu) return linearErrors(ws, imp);
  const { z, x, dIdx, dVal, delta, n } = ws;
  let loss = 0;
  let nd = 0;
  for (let i = 0; i < n; i++) {
    const zi = z[i];
    const on = zi > 0 ? 1 : 0;
    const diff = on * zi - (absTarget ? Math.abs(x[i]) : x[i]);
    const wDiff = imp[i] * diff;
    loss += wDiff * diff;
    delta[i] = on * wDiff;
    dIdx[nd] = i;
    dVal[nd] = wDiff;
    nd += on;
  }
  ws.nd = nd;
  return loss;
}

/** outputErrors for the linear model: x' = z, every output passes its error. */
export function linearErrors(ws: Workspace, imp: Float64Array): number {
  const { z, x, dIdx, dVal, delta, n } = ws;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const diff = z[i] - x[i];
    const wDiff = imp[i] * diff;
    loss += wDiff * diff;
    delta[i] = wDiff;
    dIdx[i] = i;
    dVal[i] = wDiff;
  }
  ws.nd = n;
  return loss;
}

/** Rows with no active input all have z = b: evaluate that once, weight the loss and ∂b by their count. */
export function addEmptyRows(ws: Workspace, count: number, imp: Float64Array, relu: boolean): number {
  if (count === 0) return 0;
  ws.z.set(ws.b);
  ws.x.fill(0);
  const loss = outputErrors(ws, imp, relu, false);
  for (let q = 0; q < ws.nd; q++) ws.gb[ws.dIdx[q]] += count * ws.dVal[q];
  return count * loss;
}

export function countEmptyRows(rows: SparseRows): number {
  let empty = 0;
  for (let r = 0; r < rows.rows; r++) if (rows.start[r] === rows.start[r + 1]) empty++;
  return empty;
}

/** Scatter a row's active entries into the dense ws.x (set = true) or clear them again (set = false). */
export function scatterRow(ws: Workspace, rows: SparseRows, r: number, set: boolean): void {
  const { idx, val } = rows;
  for (let p = rows.start[r]; p < rows.start[r + 1]; p++) ws.x[idx[p]] = set ? val[p] : 0;
}

/** y[yOff + i] += alpha · x[xOff + i] for i < len, unrolled by 4 (V8 does not unroll; ~25% faster on long rows). */
function axpy(y: Float64Array, yOff: number, alpha: number, x: Float64Array, xOff: number, len: number): void {
  let i = 0;
  for (; i + 3 < len; i += 4) {
    y[yOff + i] += alpha * x[xOff + i];
    y[yOff + i + 1] += alpha * x[xOff + i + 1];
    y[yOff + i + 2] += alpha * x[xOff + i + 2];
    y[yOff + i + 3] += alpha * x[xOff + i + 3];
  }
  for (; i < len; i++) y[yOff + i] += alpha * x[xOff + i];
}

/**
 * The δ terms of one hidden unit k (row `off` = k·n of M and gM): gM[off + i] += h_k·δ_i for every
 * output that passes a gradient; returns (M δ)_k = Σ_i M[off + i]·δ_i. With `dense`, loops over all
 * n outputs (zeros included), which is faster than the indexed list once most outputs are active.
 */
function deltaRow(ws: Workspace, M: Float64Array, gM: Float64Array, off: number, hk: number, dense: boolean): number {
  let s = 0;
  if (dense) {
    const { delta, n } = ws;
    for (let i = 0; i < n; i++) {
      const d = delta[i];
      s += M[off + i] * d;
      gM[off + i] += hk * d;
    }
  } else {
    const { dIdx, dVal, nd } = ws;
    for (let q = 0; q < nd; q++) {
      const i = dIdx[q], d = dVal[q];
      s += M[off + i] * d;
      gM[off + i] += hk * d;
    }
  }
  return s;
}

/** g[i] += δ_i (∂b). */
function addDelta(ws: Workspace, g: Float64Array, dense: boolean): void {
  if (dense) axpy(g, 0, 1, ws.delta, 0, ws.n);
  else for (let q = 0; q < ws.nd; q++) g[ws.dIdx[q]] += ws.dVal[q];
}

// ---------------------------------------------------------------------------------------------
// Gram path (relu-output, linear).

/** G = WᵀW, n×n (symmetric). */
export function gramMatrix(ws: Workspace): void {
  const { W, G, n, m } = ws;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += W[r * n + i] * W[r * n + j];
      G[i * n + j] = s;
      G[j * n + i] = s;
    }
  }
}

export function gramPass(ws: Workspace, rows: SparseRows, imp: Float64Array, relu: boolean): PassResult {
  const { n, z, x, G, A, dIdx, dVal, delta, gb, b } = ws;
  const { start, idx, val } = rows;
  gramMatrix(ws);
  A.fill(0);
  let lossSum = 0;
  let deltaCount = 0;
  let empty = 0;
  for (let r = 0; r < rows.rows; r++) {
    const s0 = start[r], s1 = start[r + 1];
    if (s0 === s1) {
      empty++;
      continue;
    }
    // forward: z = b + Σ_{j active} x_j G[j, :] (the first term also initialises z)
    const j0 = idx[s0], x0 = val[s0];
    x[j0] = x0;
    for (let i = 0; i < n; i++) z[i] = b[i] + x0 * G[j0 * n + i];
    for (let p = s0 + 1; p < s1; p++) {
      const j = idx[p];
      x[j] = val[p];
      axpy(z, 0, val[p], G, j * n, n);
    }
    lossSum += outputErrors(ws, imp, relu, false);
    const nd = ws.nd;
    deltaCount += nd;
    // backward: ∂b += δ; A += x δᵀ over active inputs × active outputs. When most outputs are
    // active, contiguous loops over all n (zeros included) beat the indexed scatter.
    const denseDelta = 2 * nd > n;
    addDelta(ws, gb, denseDelta);
    for (let p = s0; p < s1; p++) {
      const xj = val[p], off = idx[p] * n;
      x[idx[p]] = 0;
      if (denseDelta) axpy(A, off, xj, delta, 0, n);
      else for (let q = 0; q < nd; q++) A[off + dIdx[q]] += xj * dVal[q];
    }
  }
  lossSum += addEmptyRows(ws, empty, imp, relu);
  gramFinish(ws);
  return { lossSum, deltaCount };
}

/** ∂W = W (A + Aᵀ): symmetrise A in place, then gW[r, :] = Σ_j W[r, j] A[j, :]. */
export function gramFinish(ws: Workspace): void {
  const { A, W, gW, n, m } = ws;
  for (let i = 0; i < n; i++) {
    A[i * n + i] *= 2;
    for (let j = i + 1; j < n; j++) {
      const s = A[i * n + j] + A[j * n + i];
      A[i * n + j] = s;
      A[j * n + i] = s;
    }
  }
  gW.fill(0);
  for (let r = 0; r < m; r++) {
    const rowOff = r * n;
    for (let j = 0; j < n; j++) {
      const w = W[rowOff + j];
      if (w === 0) continue;
      axpy(gW, rowOff, w, A, j * n, n);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Direct path (relu-output, linear).

export function directPass(ws: Workspace, rows: SparseRows, imp: Float64Array, relu: boolean): PassResult {
  const { n, m, z, W, h, gW, gb, b } = ws;
  const { start, idx, val } = rows;
  gW.fill(0);
  let lossSum = 0;
  let deltaCount = 0;
  let empty = 0;
  for (let r = 0; r < rows.rows; r++) {
    const s0 = start[r], s1 = start[r + 1];
    if (s0 === s1) {
      empty++;
      continue;
    }
    // forward: h = W x over the active inputs, then z = b + Wᵀ h
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let p = s0; p < s1; p++) s += W[k * n + idx[p]] * val[p];
      h[k] = s;
    }
    z.set(b);
    for (let k = 0; k < m; k++) axpy(z, 0, h[k], W, k * n, n);
    scatterRow(ws, rows, r, true);
    lossSum += outputErrors(ws, imp, relu, false);
    scatterRow(ws, rows, r, false);
    const nd = ws.nd;
    deltaCount += nd;
    // backward: ∂b += δ; ∂W += h δᵀ + (W δ) xᵀ, touching only active outputs and inputs
    const dense = 2 * nd > n;
    addDelta(ws, gb, dense);
    for (let k = 0; k < m; k++) {
      const wd = deltaRow(ws, W, gW, k * n, h[k], dense);
      for (let p = s0; p < s1; p++) gW[k * n + idx[p]] += wd * val[p];
    }
  }
  lossSum += addEmptyRows(ws, empty, imp, relu);
  return { lossSum, deltaCount };
}

// ---------------------------------------------------------------------------------------------
// relu-hidden (|x| task).

export function hiddenPass(ws: Workspace, rows: SparseRows, imp: Float64Array): PassResult {
  const { n, m, z, W, W2T, h, pre, gW, gW2T, gb, b } = ws;
  const { start, idx, val } = rows;
  gW.fill(0);
  gW2T.fill(0);
  let lossSum = 0;
  let deltaCount = 0;
  let empty = 0;
  for (let r = 0; r < rows.rows; r++) {
    const s0 = start[r], s1 = start[r + 1];
    if (s0 === s1) {
      empty++;
      continue;
    }
    // forward: pre = W x over active inputs, h = ReLU(pre), z = b + W2 h over active hidden units
    z.set(b);
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let p = s0; p < s1; p++) s += W[k * n + idx[p]] * val[p];
      pre[k] = s;
      const hk = s > 0 ? s : 0;
      h[k] = hk;
      if (hk !== 0) axpy(z, 0, hk, W2T, k * n, n);
    }
    scatterRow(ws, rows, r, true);
    lossSum += outputErrors(ws, imp, true, true);
    scatterRow(ws, rows, r, false);
    const nd = ws.nd;
    deltaCount += nd;
    // backward: ∂b += δ; ∂W2 += δ hᵀ; g = W2ᵀδ ⊙ [pre > 0]; ∂W += g xᵀ
    const dense = 2 * nd > n;
    addDelta(ws, gb, dense);
    for (let k = 0; k < m; k++) {
      if (!(pre[k] > 0)) continue;
      const g = deltaRow(ws, W2T, gW2T, k * n, h[k], dense);
      for (let p = s0; p < s1; p++) gW[k * n + idx[p]] += g * val[p];
    }
  }
  lossSum += addEmptyRows(ws, empty, imp, true);
  return { lossSum, deltaCount };
}
