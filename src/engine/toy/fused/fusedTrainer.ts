// The fused trainer of the toy models: data, forward, hand-derived backward and AdamW in plain
// loops over typed arrays, with no tensors and no per-op dispatch (the passes and their maths are in
// passes.ts). It reproduces TfjsTrainer exactly in exact arithmetic (same initial weights, same
// batches, same loss, same AdamW) and to float32 rounding in practice (tests/unit/fused.test.ts).


import type { LabConfig } from '../config';
import { dataSpecFromConfig, type DataSpec } from '../data';
import { initialParams } from '../init';
import { createRng } from '../../shared/rng';
import type { Snapshot } from '../snapshot';
import { FusedKernel } from '../../kernels/fusedKernel';
import { forkSeed } from '../../shared/rng';
import { allocSparseRows, sparseFromDense, SparseSampler, type SparseRows } from '../sparseBatch';
import type { Trainer } from '../trainer';
import { adamStep, adamUpdate, type AdamStep } from '../../shared/adam';
import { transposeInto } from '../../shared/arrays';
import { countEmptyRows, directPass, gramPass, hiddenPass } from './passes';
import { Workspace, type PassResult } from './workspace';

/** Which evaluation scheme the ReLU-output / linear models use ('auto' picks per instance and step). */
export type FusedPath = 'auto' | 'gram' | 'direct';

export interface FusedOptions {
  path?: FusedPath;
  /** use the WebAssembly kernels (sampler, SIMD Gram path) when the runtime has wasm SIMD (default true) */
  simd?: boolean;
  /** per-instance densities and importances [K][n] in place of the config's (the grid's cells: engine/grid/cells.ts) */
  data?: Pick<DataSpec, 'density' | 'importance'>;
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
    this.spec = { ...dataSpecFromConfig(config), ...options.data };
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
    return config.model === 'relu-output' || config.model === 'linear' || config.model === 'relu-hidden' || config.model === 'relu-hidden-tied';
  }

  step(k: number): Float32Array {
    if (this.disposed) throw new Error('trainer was disposed');
    if (!Number.isInteger(k) || k < 1) throw new Error(`step count must be a positive integer; got ${k}`);
    const { instances: K, batch, n } = this.config;
    this.lossSum.fill(0);
    for (let s = 0; s < k; s++) {
      const c = adamStep(++this.stepsDone, this.config.lr, this.config.weightDecay);
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
    } else if (model === 'relu-hidden-tied') {
      // x' = ReLU(Wᵀ ReLU(W x) + b) is the hidden pass with W₂ = Wᵀ (W2T = W); W's gradient is the sum of both layers'
      ws.W2T.set(ws.W);
      pass = hiddenPass(ws, rows, imp);
      for (let i = 0; i < mn; i++) ws.gW[i] += ws.gW2T[i];
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

  /** AdamW (PyTorch's formula, as TfjsTrainer applies it); the pass accumulates I·(x' − target) sums, so the gradient is scaled by 2/(B·n). */
  private applyAdam(k: number, s: AdamStep): void {
    const { n, m, batch } = this.config;
    const gradScale = 2 / (batch * n);
    adamUpdate(this.W, this.adam.W.m, this.adam.W.v, k * m * n, this.ws.gW, s, gradScale);
    adamUpdate(this.b, this.adam.b.m, this.adam.b.v, k * n, this.ws.gb, s, gradScale);
    if (this.W2 && this.adam.W2) adamUpdate(this.W2, this.adam.W2.m, this.adam.W2.v, k * n * m, this.gW2, s, gradScale);
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
    if (this.disposed) return;
    this.disposed = true;
    this.kernel?.release();
  }
}

/** dst[c][r] = src[off + r·cols + c] for an rows×cols block of src (float32 → float64). */
function transpose(src: Float32Array, off: number, rows: number, cols: number, dst: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[c * rows + r] = src[off + r * cols + c];
}
