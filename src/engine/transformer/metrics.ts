// Induction-head metrics (transformers.md §1.3), pure functions of a forward pass's output or of the
// parameters, so they read the same from either engine.
// Eval form: x = [BOS, r_1..r_L, r_1..r_L], indices 0 … 2L; r_k sits at k (first copy) and L + k (second).

import { dHead, type ForwardResult, type TransformerParams } from './model';
import { block, eigenvalues, frobenius, matMul, transpose } from './linalg';

/** ARENA's detector threshold for induction and previous-token heads. */
export const HEAD_THRESHOLD = 0.4;

export interface HeadScores {
  layer: number;
  head: number;
  /** mean of A[i, i−L+1] over i = L+1 … 2L: attention to the token after the previous occurrence */
  induction: number;
  /** mean of A[i, i−1] over i ≥ 1 */
  prevToken: number;
  /** mean of A[i, i] over i ≥ 1 (row 0 can only attend to itself, so it is left out) */
  currentToken: number;
  /** mean of A[i, 0] over i ≥ 1 */
  bos: number;
}

/** The repeat length of an eval-form sequence of length T = 2L + 1. */
export function repeatLengthOf(T: number): number {
  if (T < 5 || T % 2 !== 1) throw new Error(`the eval form [BOS, r, r] has odd length ≥ 5; got T = ${T}`);
  return (T - 1) / 2;
}

/** Mean over sequences and the given query rows of A[b, h, i, col(i)]; pattern is [B][H][T][T]. */
function meanAttention(pattern: Float32Array, B: number, H: number, T: number, h: number, rows: number[], col: (i: number) => number): number {
  let sum = 0;
  for (let b = 0; b < B; b++) {
    const base = (b * H + h) * T * T;
    for (const i of rows) sum += pattern[base + i * T + col(i)];
  }
  return sum / (B * rows.length);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

/** Induction, previous-token, current-token and BOS scores of every head on the eval form. */
export function headScores(result: Pick<ForwardResult, 'B' | 'T' | 'patterns'>, heads: number): HeadScores[] {
  const { B, T, patterns } = result;
  const L = repeatLengthOf(T);
  const out: HeadScores[] = [];
  patterns.forEach((pattern, layer) => {
    if (pattern.length !== B * heads * T * T) throw new Error(`pattern of layer ${layer} holds ${pattern.length} values; expected B·H·T·T = ${B * heads * T * T}`);
    for (let h = 0; h < heads; h++) {
      const mean = (rows: number[], col: (i: number) => number) => meanAttention(pattern, B, heads, T, h, rows, col);
      const afterFirst = range(1, 2 * L);
      out.push({
        layer,
        head: h,
        induction: mean(range(L + 1, 2 * L), (i) => i - L + 1),
        prevToken: mean(afterFirst, (i) => i - 1),
        currentToken: mean(afterFirst, (i) => i),
        bos: mean(afterFirst, () => 0),
      });
    }
  });
  return out;
}

/** −log p(x_{i+1} | x_≤i) for every sequence and position i = 0 … T−2, [B][T−1], in float64. */
export function tokenLosses(logits: Float32Array, tokens: Int32Array, B: number, T: number, vocab: number): Float64Array {
  if (logits.length !== B * T * vocab) throw new Error(`logits hold ${logits.length} values; expected B·T·vocab = ${B * T * vocab}`);
  const nll = new Float64Array(B * (T - 1));
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < T - 1; i++) {
      const row = (b * T + i) * vocab;
      let max = -Infinity;
      for (let v = 0; v < vocab; v++) max = Math.max(max, logits[row + v]);
      let sum = 0;
      for (let v = 0; v < vocab; v++) sum += Math.exp(logits[row + v] - max);
      nll[b * (T - 1) + i] = max + Math.log(sum) - logits[row + tokens[b * T + i + 1]];
    }
  }
  return nll;
}

export interface CopyLosses {
  /** mean loss predicting r_2..r_L inside the first copy (positions 1 … L−1); ≈ ln V for any model */
  firstCopyLoss: number;
  /** mean loss predicting r_2..r_L inside the second copy (positions L+1 … 2L−1; r_1 excluded) */
  secondCopyLoss: number;
  /** mean loss at each position i = 0 … T−2 (predicting x_{i+1}) */
  lossByPosition: number[];
}

/** First- and second-copy losses on the eval form from per-token losses [B][T−1]. */
export function copyLosses(nll: Float64Array, B: number, T: number): CopyLosses {
  const L = repeatLengthOf(T);
  const byPosition = new Array<number>(T - 1).fill(0);
  for (let b = 0; b < B; b++) for (let i = 0; i < T - 1; i++) byPosition[i] += nll[b * (T - 1) + i] / B;
  const mean = (from: number, to: number) => range(from, to).reduce((a, i) => a + byPosition[i], 0) / (to - from + 1);
  return { firstCopyLoss: mean(1, L - 1), secondCopyLoss: mean(L + 1, 2 * L - 1), lossByPosition: byPosition };
}

// ---- circuits from the weights (row-vector convention: a head maps x to x W_OV, scores x_i W_QK x_jᵀ) ----

/** W_OV = W_V^h W_O^h ([d][d]) of one head. */
export function ovMatrix(p: TransformerParams, layer: number, head: number): Float64Array {
  const { dModel: d } = p.shape;
  const dh = dHead(p.shape);
  const L = p.layers[layer];
  const Wv = block(L.Wv, d, 0, d, head * dh, (head + 1) * dh);
  const Wo = block(L.Wo, d, head * dh, (head + 1) * dh, 0, d);
  return matMul(Wv, Wo, d, dh, d);
}

/** W_QK = W_Q^h (W_K^h)ᵀ ([d][d]) of one head. */
export function qkMatrix(p: TransformerParams, layer: number, head: number): Float64Array {
  const { dModel: d } = p.shape;
  const dh = dHead(p.shape);
  const L = p.layers[layer];
  const Wq = block(L.Wq, d, 0, d, head * dh, (head + 1) * dh);
  const Wk = block(L.Wk, d, 0, d, head * dh, (head + 1) * dh);
  return matMul(Wq, transpose(Wk, d, dh), d, dh, d);
}

/** Elhage's composition score ‖W_A W_B‖_F / (‖W_A‖_F ‖W_B‖_F) of two [d][d] matrices. */
export function compositionScore(A: Float64Array, B: Float64Array, d: number): number {
  const denominator = frobenius(A) * frobenius(B);
  return denominator === 0 ? 0 : frobenius(matMul(A, B, d, d, d)) / denominator;
}

export interface Composition {
  fromLayer: number;
  toLayer: number;
  /** [head of fromLayer][head of toLayer]: W_A = W_OV(from), W_B = W_QK(to)ᵀ */
  k: number[][];
  /** W_B = W_QK(to) */
  q: number[][];
  /** W_B = W_OV(to) */
  v: number[][];
}

/** K-, Q- and V-composition between every head of `fromLayer` and every head of a later `toLayer`. */
export function composition(p: TransformerParams, fromLayer: number, toLayer: number): Composition {
  const { heads: H, dModel: d } = p.shape;
  if (!(fromLayer < toLayer && toLayer < p.shape.layers)) throw new Error(`composition needs 0 ≤ fromLayer < toLayer < ${p.shape.layers}`);
  const out: Composition = { fromLayer, toLayer, k: [], q: [], v: [] };
  for (let a = 0; a < H; a++) {
    const ov = ovMatrix(p, fromLayer, a);
    const rows = { k: [] as number[], q: [] as number[], v: [] as number[] };
    for (let b = 0; b < H; b++) {
      const qk = qkMatrix(p, toLayer, b);
      rows.k.push(compositionScore(ov, transpose(qk, d, d), d));
      rows.q.push(compositionScore(ov, qk, d));
      rows.v.push(compositionScore(ov, ovMatrix(p, toLayer, b), d));
    }
    out.k.push(rows.k);
    out.q.push(rows.q);
    out.v.push(rows.v);
  }
  return out;
}

/**
 * Copying score Σλ / Σ|λ| of the eigenvalues λ of the OV circuit W_E W_OV W_U over the content tokens
 * (BOS left out), per [layer][head]. That vocab×vocab matrix is (E Wv^h)(Wo^h U), whose non-zero
 * eigenvalues are those of (Wo^h U)(E Wv^h), dHead×dHead (AB and BA share them), so the small one is
 * decomposed; the zero eigenvalues add nothing to either sum.
 */
export function copyingScores(p: TransformerParams): number[][] {
  const { dModel: d, vocab, heads: H } = p.shape;
  const dh = dHead(p.shape);
  const content = vocab - 1;
  const E = block(p.E, d, 0, content, 0, d); // [content][d]
  const U = block(p.U, vocab, 0, d, 0, content); // [d][content]
  return p.layers.map((L) =>
    Array.from({ length: H }, (_, h) => {
      const EWv = matMul(E, block(L.Wv, d, 0, d, h * dh, (h + 1) * dh), content, d, dh); // [content][dh]
      const WoU = matMul(block(L.Wo, d, h * dh, (h + 1) * dh, 0, d), U, dh, d, content); // [dh][content]
      const { re, im } = eigenvalues(matMul(WoU, EWv, dh, content, dh), dh);
      let sum = 0;
      let sumAbs = 0;
      for (let i = 0; i < dh; i++) {
        sum += re[i];
        sumAbs += Math.hypot(re[i], im[i]);
      }
      return sumAbs === 0 ? 0 : sum / sumAbs;
    }),
  );
}
