// The operations of the transformer kernel, implemented by the WebAssembly module and by its
// JavaScript twin alike (indices and strides in floats into one shared memory).

/** Which triangle of a square T×T gemm operand is known to be zero (work there is skipped). */
export const TRI = {
  none: 0,
  /** only C's lower triangle (j ≤ i) is needed */
  cLower: 1,
  /** A is lower triangular: A[i][k] = 0 for k > i */
  aLower: 2,
  /** A is upper triangular: A[i][k] = 0 for k < i */
  aUpper: 3,
} as const;

/** The operations, with the signatures of the kernel's exports (indices and strides in floats). */
export interface TransformerOps {
  setScratch(at: number): void;
  /**
   * For each of `batch` matrices: C (M×N) = A·B, or += when accumulate = 1. A[i][k] = a[i·aRow + k·aCol],
   * B[k][j] = b[k·bRow + j·bCol], C[i][j] = c[i·cRow + j]; matrix n starts n·aBatch (bBatch, cBatch) further.
   * Full products run in the GEMM core (packing its panels in the scratch area); triangular ones
   * (tri ≠ 0) pack a B with bCol ≠ 1 into the scratch area (K·N floats) first.
   */
  gemm(
    M: number, N: number, K: number,
    a: number, aRow: number, aCol: number, aBatch: number,
    b: number, bRow: number, bCol: number, bBatch: number,
    c: number, cRow: number, cBatch: number,
    batch: number, accumulate: number, tri: number,
  ): void;
  /** x[r] = E[tokens[r]] + P[r mod T] */
  embed(tokens: number, E: number, P: number, x: number, rows: number, T: number, d: number): void;
  /** gE[tokens[r]] += dx[r], gP[r mod T] += dx[r] */
  embedBackward(tokens: number, dx: number, gE: number, gP: number, rows: number, T: number, d: number): void;
  /** out = x + y */
  add(x: number, y: number, out: number, n: number): void;
  /** x[r] += bias */
  addBias(x: number, bias: number, rows: number, n: number): void;
  /** out += Σ_r x[r] */
  colSum(x: number, rows: number, n: number, out: number): void;
  /** y = LN(x)·g + b; stats[2r], stats[2r + 1] = mean, 1/√(var + eps) */
  layerNorm(x: number, y: number, g: number, b: number, stats: number, rows: number, d: number, eps: number): void;
  /** dx += LN backward of dy; dg += Σ dy·x̂; db += Σ dy */
  layerNormBackward(dy: number, x: number, g: number, stats: number, dx: number, dg: number, db: number, rows: number, d: number): void;
  /** in place on count T×T matrices: causal softmax of scale·s, zeros above the diagonal */
  causalSoftmax(s: number, count: number, T: number, scale: number): void;
  /** in place: da := scale · a ⊙ (da − rowsum(a ⊙ da)) on j ≤ i, zeros above */
  causalSoftmaxBackward(a: number, da: number, count: number, T: number, scale: number): void;
  gelu(x: number, y: number, n: number): void;
  /** dx = dy · GELU'(x) (dx may be dy) */
  geluBackward(x: number, dy: number, dx: number, n: number): void;
  /** next-token cross-entropy; dlogits = gradScale·(softmax − onehot), 0 at t = T − 1; returns the loss sum */
  crossEntropy(logits: number, tokens: number, dlogits: number, rows: number, T: number, V: number, gradScale: number): number;
  adam(p: number, g: number, m: number, v: number, n: number, beta1: number, beta2: number, stepSize: number, sqrtBc2: number, eps: number, decay: number): void;
}
