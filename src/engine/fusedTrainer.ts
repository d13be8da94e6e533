// The fused trainer: data, forward, hand-derived backward and AdamW for the toy models in plain
// loops over typed arrays, with no tensors and no per-op dispatch. It reproduces TfjsTrainer
// exactly in exact arithmetic (same initial weights, same batches, same loss, same AdamW) and to
// float32 rounding in practice (tests/unit/fused.test.ts).
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
// stored as float32 like the TF.js engine stores them.

import type { LabConfig } from './config';
import { dataSpecFromConfig, type DataSpec } from './data';
import { initialParams } from './init';
import { createRng } from './rng';
import type { Snapshot } from './snapshot';
import { FusedKernel } from './kernels/fusedKernel';
import { forkSeed } from './rng';
import { allocSparseRows, sparseFromDense, SparseSampler, type SparseRows } from './sparseBatch';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPS, type Trainer } from './trainer';

/** Which evaluation scheme the ReLU-output / linear models use ('auto' picks per instance and step). */
export type FusedPath = 'auto' | 'gram' | 'direct';

export interface FusedOptions {
  path?: FusedPath;
  /** use the WebAssembly kernels (sampler, SIMD Gram path) when the runtime has wasm SIMD (default true) */
  simd?: boolean;
}

export interface FusedGradients {
  /** per-instance loss, [K] */
  loss: Float32Array;
  /** [K][m][n] */
  W: Float32Array;
  /** [K][n] */
  b: Float32Array;
  /** relu-hidden only: [K][n][m] */
  W2: Float32Array | null;
}

/** Scratch buffers for one instance, reused for every instance and step. */
class Workspace {
  /** float64 copies of instance k's parameters: W [m][n], b [n], W2 transposed to [m][n] */
  readonly W: Float64Array;
  readonly b: Float64Array;
  readonly W2T: Float64Array;
  /** gradient accumulators (unscaled: δ is I·(x' − target), the 2/(B·n) comes at the end) */
  readonly gW: Float64Array;
  readonly gb: Float64Array;
  readonly gW2T: Float64Array;
  /** gram path: G = WᵀW and A = Σ x δᵀ, both [n][n] */
  readonly G: Float64Array;
  readonly A: Float64Array;
  /** one row: dense x (zero except the active entries), pre-activation z, active δ list */
  readonly x: Float64Array;
  readonly z: Float64Array;
  readonly dIdx: Int32Array;
  readonly dVal: Float64Array;
  /** the same δ as a dense vector (zero where no gradient passes) */
  readonly delta: Float64Array;
  /** number of entries in dIdx/dVal after outputErrors */
  nd = 0;
  /** hidden vector h and its pre-activation */
  readonly h: Float64Array;
  readonly pre: Float64Array;

  constructor(readonly n: number, readonly m: number) {
    const mn = m * n;
    this.W = new Float64Array(mn);
    this.b = new Float64Array(n);
    this.W2T = new Float64Array(mn);
    this.gW = new Float64Array(mn);
    this.gb = new Float64Array(n);
    this.gW2T = new Float64Array(mn);
    this.G = new Float64Array(n * n);
    this.A = new Float64Array(n * n);
    this.x = new Float64Array(n);
    this.z = new Float64Array(n);
    this.dIdx = new Int32Array(n);
    this.dVal = new Float64Array(n);
    this.delta = new Float64Array(n);
    this.h = new Float64Array(m);
    this.pre = new Float64Array(m);
  }
}

/** What one instance's pass over its batch produced (besides the gradients in the workspace). */
interface PassResult {
  /** Σ_batch Σ_i I_i (target_i − x'_i)² */
  lossSum: number;
  /** active δ entries summed over the non-empty rows (drives the path choice) */
  deltaCount: number;
}

// ---------------------------------------------------------------------------------------------
// Per-row pieces shared by all paths.

/**
 * Loss and output errors of one row from its pre-activation z and its dense input ws.x.
 * Lists δ_i = I_i (x'_i − target_i) for every output that passes a gradient (z_i > 0 with a ReLU,
 * every output without) in ws.dIdx/dVal, count in ws.nd; returns Σ_i I_i (x'_i − target_i)².
 * The list append is branch-free (the slot is always written, the count advances only for z_i > 0):
 * whether z_i > 0 is a coin flip early in training, and mispredicted branches cost more than the stores.
 */
function outputErrors(ws: Workspace, imp: Float64Array, relu: boolean, absTarget: boolean): number {
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
function linearErrors(ws: Workspace, imp: Float64Array): number {
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
function addEmptyRows(ws: Workspace, count: number, imp: Float64Array, relu: boolean): number {
  if (count === 0) return 0;
  ws.z.set(ws.b);
  ws.x.fill(0);
  const loss = outputErrors(ws, imp, relu, false);
  for (let q = 0; q < ws.nd; q++) ws.gb[ws.dIdx[q]] += count * ws.dVal[q];
  return count * loss;
}

function countEmptyRows(rows: SparseRows): number {
  let empty = 0;
  for (let r = 0; r < rows.rows; r++) if (rows.start[r] === rows.start[r + 1]) empty++;
  return empty;
}

/** Scatter a row's active entries into the dense ws.x (set = true) or clear them again (set = false). */
function scatterRow(ws: Workspace, rows: SparseRows, r: number, set: boolean): void {
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
function gramMatrix(ws: Workspace): void {
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

function gramPass(ws: Workspace, rows: SparseRows, imp: Float64Array, relu: boolean): PassResult {
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
function gramFinish(ws: Workspace): void {
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

function directPass(ws: Workspace, rows: SparseRows, imp: Float64Array, relu: boolean): PassResult {
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

function hiddenPass(ws: Workspace, rows: SparseRows, imp: Float64Array): PassResult {
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

// ---------------------------------------------------------------------------------------------
// AdamW, PyTorch's formula with decoupled weight decay (science.md §3.3), as TfjsTrainer applies it.

interface AdamConsts {
  /** gradient scale 2/(B·n) turning the accumulated I·(x' − target) sums into ∂L */
  gradScale: number;
  /** 1 − lr·wd */
  decay: number;
  /** lr / (1 − β1^t) */
  stepSize: number;
  /** sqrt(1 − β2^t) */
  sqrtBc2: number;
}

/** Update p[off + i] for i < g.length with gradient gradScale·g[i]; m and v share p's layout. */
function adamW(p: Float32Array, mom: Float32Array, vel: Float32Array, off: number, g: Float64Array, c: AdamConsts): void {
  const { gradScale, decay, stepSize, sqrtBc2 } = c;
  for (let i = 0; i < g.length; i++) {
    const gi = g[i] * gradScale;
    const at = off + i;
    mom[at] = ADAM_BETA1 * mom[at] + (1 - ADAM_BETA1) * gi;
    vel[at] = ADAM_BETA2 * vel[at] + (1 - ADAM_BETA2) * gi * gi;
    const denom = Math.sqrt(vel[at]) / sqrtBc2 + ADAM_EPS;
    p[at] = p[at] * decay - (mom[at] / denom) * stepSize;
  }
}

interface Moments {
  m: Float32Array;
  v: Float32Array;
}

/** Cost of the SIMD kernel's Gram pass relative to the JavaScript one (measured 0.22–0.33 on n = 20…100). */
const WASM_GRAM_COST = 0.3;

const moments = (len: number): Moments => ({ m: new Float32Array(len), v: new Float32Array(len) });

// ---------------------------------------------------------------------------------------------

export class FusedTrainer implements Trainer {
  readonly engine = 'fused' as const;
  stepsDone = 0;
  private readonly spec: DataSpec;
  private readonly sampler: SparseSampler;
  private readonly rows: SparseRows;
  private readonly ws: Workspace;
  /** [K][m][n], [K][n], relu-hidden: [K][n][m] */
  private readonly W: Float32Array;
  private readonly b: Float32Array;
  private readonly W2: Float32Array | null;
  private readonly adam: { W: Moments; b: Moments; W2: Moments | null };
  /** importance per instance, float64 */
  private readonly importance: Float64Array[];
  /** W2's gradient in parameter layout [n][m] (the pass accumulates it transposed) */
  private readonly gW2: Float64Array;
  /** active δ per non-empty row in each instance's last pass; starts at n (pessimistic) */
  private readonly deltaPerRow: Float64Array;
  private readonly lossSum: Float64Array;
  private lastLosses: Float32Array;
  private disposed = false;
  private readonly path: FusedPath;
  private readonly pathUsed: ('gram' | 'direct' | 'hidden')[] = [];
  /** the WebAssembly kernels (sampler, SIMD Gram path), or null (JavaScript throughout) */
  private readonly kernel: FusedKernel | null;

  constructor(readonly config: LabConfig, options: FusedOptions = {}) {
    if (!FusedTrainer.supports(config)) throw new Error(`the fused engine does not cover model ${config.model}`);
    const { instances: K, n, m } = config;
    const init = initialParams(config, createRng(config.seed).fork(1));
    this.W = init.W;
    this.b = init.b;
    this.W2 = init.W2;
    this.adam = { W: moments(K * m * n), b: moments(K * n), W2: init.W2 ? moments(K * m * n) : null };
    this.spec = dataSpecFromConfig(config);
    this.kernel = options.simd !== false ? FusedKernel.create(K, n, m, config.batch) : null;
    // with the kernel, batches are drawn by it (or by the JS sampler for correlated sets) into its memory
    this.sampler = new SparseSampler(this.spec, forkSeed(config.seed, 2), this.kernel);
    this.rows = this.kernel ? this.kernel.rows : allocSparseRows(config.batch, n);
    this.ws = new Workspace(n, m);
    this.importance = Array.from({ length: K }, (_, k) => Float64Array.from(this.spec.importance.subarray(k * n, (k + 1) * n)));
    this.gW2 = new Float64Array(n * m);
    this.deltaPerRow = new Float64Array(K).fill(n);
    this.lossSum = new Float64Array(K);
    this.lastLosses = new Float32Array(K).fill(NaN);
    this.path = options.path ?? 'auto';
  }

  static supports(config: Pick<LabConfig, 'model'>): boolean {
    // relu-hidden-tied (the privileged-basis model) has no fused pass: 'auto' trains it with TF.js
    return config.model === 'relu-output' || config.model === 'linear' || config.model === 'relu-hidden';
  }

  step(k: number): Float32Array {
    if (this.disposed) throw new Error('trainer was disposed');
    if (!Number.isInteger(k) || k < 1) throw new Error(`step count must be a positive integer; got ${k}`);
    const { instances: K, batch, n } = this.config;
    this.lossSum.fill(0);
    for (let s = 0; s < k; s++) {
      const c = this.adamConsts(++this.stepsDone, batch);
      for (let inst = 0; inst < K; inst++) {
        this.sampler.sampleInstance(inst, this.rows);
        const pass = this.instancePass(inst, this.rows);
        this.lossSum[inst] += pass.lossSum / (batch * n);
        this.applyAdam(inst, c);
      }
    }
    this.lastLosses = Float32Array.from(this.lossSum, (l) => l / k);
    return this.lastLosses.slice();
  }

  /** Loss and gradients of the summed loss on a given batch [K][B][n], current parameters (as TfjsTrainer.gradientsOn). */
  gradientsOn(batch: Float32Array, options: { keepZeros?: boolean } = {}): FusedGradients {
    if (this.disposed) throw new Error('trainer was disposed');
    const { instances: K, n, m } = this.config;
    const B = batch.length / (K * n);
    const out: FusedGradients = {
      loss: new Float32Array(K),
      W: new Float32Array(K * m * n),
      b: new Float32Array(K * n),
      W2: this.W2 ? new Float32Array(K * n * m) : null,
    };
    const scale = 2 / (B * n);
    const copyScaled = (src: Float64Array, dst: Float32Array, off: number) => {
      for (let i = 0; i < src.length; i++) dst[off + i] = src[i] * scale;
    };
    for (let k = 0; k < K; k++) {
      const pass = this.instancePass(k, sparseFromDense(batch, K, n, k, options.keepZeros), false);
      out.loss[k] = pass.lossSum / (B * n);
      copyScaled(this.ws.gW, out.W, k * m * n);
      copyScaled(this.ws.gb, out.b, k * n);
      if (out.W2) copyScaled(this.gW2, out.W2, k * n * m);
    }
    return out;
  }

  /** Whether the WebAssembly kernels run (batch sampling; the Gram path with SIMD). */
  get simd(): boolean {
    return this.kernel !== null;
  }

  /** The scheme the latest pass over instance k used (for benchmarks and tests). */
  lastPath(k: number): 'gram' | 'direct' | 'hidden' | null {
    return this.pathUsed[k] ?? null;
  }

  /**
   * Load instance k's parameters into the workspace and run one pass over its rows: fills
   * ws.gW, ws.gb (and gW2) with unscaled gradients. `learn` records the δ density for the path choice.
   */
  private instancePass(k: number, rows: SparseRows, learn = true): PassResult {
    const { n, m, model } = this.config;
    const ws = this.ws;
    const mn = m * n;
    for (let i = 0; i < mn; i++) ws.W[i] = this.W[k * mn + i];
    for (let i = 0; i < n; i++) ws.b[i] = this.b[k * n + i];
    ws.gb.fill(0);
    const imp = this.importance[k];
    const empty = countEmptyRows(rows);
    let pass: PassResult;
    if (model === 'relu-hidden') {
      transpose(this.W2!, k * mn, n, m, ws.W2T);
      pass = hiddenPass(ws, rows, imp);
      transposeInto(ws.gW2T, m, n, this.gW2);
      this.pathUsed[k] = 'hidden';
    } else {
      const relu = model === 'relu-output';
      const path = this.path !== 'auto' ? this.path : this.cheaperPath(k, rows.start[rows.rows], rows.rows - empty);
      if (path === 'direct') pass = directPass(ws, rows, imp, relu);
      else pass = this.kernel?.gramPass(ws.W, ws.b, imp, relu, rows, ws.gW, ws.gb) ?? gramPass(ws, rows, imp, relu);
      this.pathUsed[k] = path;
    }
    if (learn && rows.rows > empty) this.deltaPerRow[k] = pass.deltaCount / (rows.rows - empty);
    return pass;
  }

  /**
   * Cost estimate in multiply-adds for one pass over `nnz` active inputs in `rows` non-empty rows,
   * with d = active δ per row as seen in the previous step:
   * gram ≈ nnz·(n + d) + 2·m·n² (G and the final W·(A + Aᵀ)), direct ≈ 2·m·nnz + rows·m·(n + 2d).
   */
  private cheaperPath(k: number, nnz: number, rows: number): 'gram' | 'direct' {
    const { n, m } = this.config;
    const d = this.deltaPerRow[k];
    const gram = (nnz * (n + d) + 2 * m * n * n) * (this.kernel ? WASM_GRAM_COST : 1);
    const direct = 2 * m * nnz + rows * m * (n + 2 * d);
    return gram <= direct ? 'gram' : 'direct';
  }

  private adamConsts(t: number, batch: number): AdamConsts {
    const { lr, weightDecay, n } = this.config;
    return {
      gradScale: 2 / (batch * n),
      decay: 1 - lr * weightDecay,
      stepSize: lr / (1 - ADAM_BETA1 ** t),
      sqrtBc2: Math.sqrt(1 - ADAM_BETA2 ** t),
    };
  }

  private applyAdam(k: number, c: AdamConsts): void {
    const { n, m } = this.config;
    adamW(this.W, this.adam.W.m, this.adam.W.v, k * m * n, this.ws.gW, c);
    adamW(this.b, this.adam.b.m, this.adam.b.v, k * n, this.ws.gb, c);
    if (this.W2 && this.adam.W2) adamW(this.W2, this.adam.W2.m, this.adam.W2.v, k * n * m, this.gW2, c);
  }

  snapshot(): Snapshot {
    if (this.disposed) throw new Error('trainer was disposed');
    const { instances: K, n, m, model } = this.config;
    return {
      step: this.stepsDone,
      model, K, n, m,
      W: this.W.slice(),
      b: this.b.slice(),
      W2: this.W2 ? this.W2.slice() : null,
      losses: this.lastLosses.slice(),
    };
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** dst[c][r] = src[off + r·cols + c] for an rows×cols block of src (float32 → float64). */
function transpose(src: Float32Array, off: number, rows: number, cols: number, dst: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[c * rows + r] = src[off + r * cols + c];
}

/** dst[c][r] = src[r][c] for a rows×cols float64 matrix. */
function transposeInto(src: Float64Array, rows: number, cols: number, dst: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
}
