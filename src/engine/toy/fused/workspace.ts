// Scratch buffers of the fused toy-model passes: one instance's parameters, gradients and row
// vectors in float64, allocated once per trainer and reused for every instance and step.

/** Scratch buffers for one instance, reused for every instance and step. */
export class Workspace {
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
export interface PassResult {
  /** Σ_batch Σ_i I_i (target_i − x'_i)² */
  lossSum: number;
  /** active δ entries summed over the non-empty rows (drives the path choice) */
  deltaCount: number;
}
