// Induction metrics on hand-built inputs (transformers.md I-2), the eigenvalue routine on matrices with
// known spectra, composition and copying scores on constructed weights.

import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/shared/rng';
import { eigenvalues, matMul } from '../../src/engine/transformer/linalg';
import {
  composition,
  compositionScore,
  copyingScores,
  copyLosses,
  headScores,
  tokenLosses,
} from '../../src/engine/transformer/metrics';
import { initParams, type TransformerShape } from '../../src/engine/transformer/model';

const L = 15;
const T = 2 * L + 1;

/** One head's pattern [1][1][T][T] whose row i is produced by `row(i)` (entries j ≤ i). */
function pattern(row: (i: number) => number[]): Float32Array {
  const A = new Float32Array(T * T);
  for (let i = 0; i < T; i++) A.set(row(i), i * T);
  return A;
}
const oneHotRow = (i: number, j: number) => Array.from({ length: i + 1 }, (_, k) => (k === j ? 1 : 0));
const scoresOf = (A: Float32Array) => headScores({ B: 1, T, patterns: [A] }, 1)[0];

describe('head scores on hand-built patterns (I-2)', () => {
  it('all mass on i−1: previous-token 1, induction 0', () => {
    const s = scoresOf(pattern((i) => oneHotRow(i, Math.max(0, i - 1))));
    expect(s.prevToken).toBe(1);
    expect(s.induction).toBe(0);
    expect(s.currentToken).toBe(0);
    expect(s.bos).toBeCloseTo(1 / (2 * L), 12); // only row 1 puts its mass on BOS
  });

  it('all mass on i−L+1 in the second half: induction 1', () => {
    const s = scoresOf(pattern((i) => oneHotRow(i, i > L ? i - L + 1 : 0)));
    expect(s.induction).toBe(1);
    expect(s.prevToken).toBeCloseTo(1 / (2 * L), 12); // row 1 attends to BOS, which is also i − 1
  });

  it('uniform causal attention: induction is the mean of 1/(i+1) over i = L+1 … 2L', () => {
    const s = scoresOf(pattern((i) => Array(i + 1).fill(1 / (i + 1))));
    let expected = 0;
    for (let i = L + 1; i <= 2 * L; i++) expected += 1 / (i + 1) / L;
    expect(s.induction).toBeCloseTo(expected, 6);
    expect(s.currentToken).toBeCloseTo(s.bos, 12);
  });

  it('all mass on the query itself and on BOS', () => {
    expect(scoresOf(pattern((i) => oneHotRow(i, i))).currentToken).toBe(1);
    expect(scoresOf(pattern((i) => oneHotRow(i, 0))).bos).toBe(1);
  });

  it('averages over the batch and separates layers and heads', () => {
    const H = 2;
    const B = 2;
    const A = new Float32Array(B * H * T * T);
    // sequence 0, head 1 is a perfect induction head; sequence 1, head 1 attends to BOS
    for (let i = 0; i < T; i++) {
      for (let b = 0; b < B; b++) A[(b * H + 0) * T * T + i * T + i] = 1;
      A[(0 * H + 1) * T * T + i * T + (i > L ? i - L + 1 : 0)] = 1;
      A[(1 * H + 1) * T * T + i * T] = 1;
    }
    const s = headScores({ B, T, patterns: [A, A] }, H);
    expect(s.map((h) => [h.layer, h.head])).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(s[1].induction).toBe(0.5);
    expect(s[3].induction).toBe(0.5);
    expect(s[0].currentToken).toBe(1);
  });

  it('rejects patterns that are not on the eval form', () => {
    expect(() => headScores({ B: 1, T: 30, patterns: [new Float32Array(900)] }, 1)).toThrow(/odd length/);
  });
});

describe('copy losses', () => {
  it('uniform logits give ln(vocab) everywhere', () => {
    const V = 65;
    const tokens = new Int32Array(2 * T).map((_, i) => i % 64);
    const nll = tokenLosses(new Float32Array(2 * T * V), tokens, 2, T, V);
    const c = copyLosses(nll, 2, T);
    expect(c.firstCopyLoss).toBeCloseTo(Math.log(V), 10);
    expect(c.secondCopyLoss).toBeCloseTo(Math.log(V), 10);
    expect(c.lossByPosition).toHaveLength(T - 1);
  });

  it('first copy = positions 1 … L−1 (targets r_2..r_L), second = L+1 … 2L−1 (r_1 excluded)', () => {
    const nll = Float64Array.from({ length: T - 1 }, (_, i) => i);
    const c = copyLosses(nll, 1, T);
    expect(c.firstCopyLoss).toBe((1 + (L - 1)) / 2);
    expect(c.secondCopyLoss).toBe((L + 1 + (2 * L - 1)) / 2);
    expect(c.lossByPosition[L]).toBe(L);
  });

  it('a confident correct prediction costs ≈ 0 and a wrong one its logit gap', () => {
    const V = 4;
    const logits = new Float32Array([10, 0, 0, 0, 0, 0, 0, 0]);
    const nll = tokenLosses(logits, new Int32Array([1, 0]), 1, 2, V);
    expect(nll[0]).toBeLessThan(1e-3);
    const wrong = tokenLosses(logits, new Int32Array([1, 2]), 1, 2, V);
    expect(wrong[0]).toBeCloseTo(10 + Math.log(1 + 3 * Math.exp(-10)), 5);
  });
});

/** Sorted eigenvalues as [re, im] pairs, for comparison. */
function sortedEigen(A: number[], n: number): [number, number][] {
  const { re, im } = eigenvalues(A, n);
  return Array.from(re, (r, i): [number, number] => [r, im[i]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Each expected eigenvalue is matched to the nearest unused computed one (so near-ties cannot misorder). */
function expectSpectrum(A: number[], n: number, expected: [number, number][], digits = 8) {
  const { re, im } = eigenvalues(A, n);
  expect(re).toHaveLength(expected.length);
  const unused = new Set(re.map((_, k) => k));
  for (const [r, i] of expected) {
    let best = -1;
    for (const k of unused) if (best < 0 || Math.hypot(re[k] - r, im[k] - i) < Math.hypot(re[best] - r, im[best] - i)) best = k;
    unused.delete(best);
    expect(re[best]).toBeCloseTo(r, digits);
    expect(im[best]).toBeCloseTo(i, digits);
  }
}

/** A random matrix and its inverse (Gauss–Jordan), n×n. */
function randomInvertible(n: number, seed: number): { S: number[]; Sinv: number[] } {
  const g = createRng(seed);
  const S = Array.from({ length: n * n }, (_, k) => g.normal() + (k % (n + 1) === 0 ? 3 : 0));
  const aug = Array.from({ length: n }, (_, i) => [...S.slice(i * n, (i + 1) * n), ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(aug[r][c]) > Math.abs(aug[piv][c])) piv = r;
    [aug[c], aug[piv]] = [aug[piv], aug[c]];
    const d = aug[c][c];
    for (let j = 0; j < 2 * n; j++) aug[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = aug[r][c];
      for (let j = 0; j < 2 * n; j++) aug[r][j] -= f * aug[c][j];
    }
  }
  return { S, Sinv: aug.flatMap((row) => row.slice(n)) };
}

/** det A by Gaussian elimination with partial pivoting. */
function determinant(A: number[], n: number): number {
  const M = Array.from({ length: n }, (_, i) => A.slice(i * n, (i + 1) * n));
  let det = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    if (piv !== c) [M[c], M[piv], det] = [M[piv], M[c], -det];
    det *= M[c][c];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let j = c; j < n; j++) M[r][j] -= f * M[c][j];
    }
  }
  return det;
}

describe('eigenvalues of real non-symmetric matrices', () => {
  it('diagonal and triangular matrices: the diagonal', () => {
    expectSpectrum([3, 0, 0, 0, -1, 0, 0, 0, 2], 3, [[3, 0], [-1, 0], [2, 0]]);
    expectSpectrum([1, 5, -7, 2, 0, 4, 9, 1, 0, 0, -3, 8, 0, 0, 0, 6], 4, [[1, 0], [4, 0], [-3, 0], [6, 0]]);
  });

  it('a rotation: ±i; a 2×2 with a complex pair', () => {
    expectSpectrum([0, -1, 1, 0], 2, [[0, 1], [0, -1]]);
    expectSpectrum([1, -2, 3, 1], 2, [[1, Math.sqrt(6)], [1, -Math.sqrt(6)]]);
  });

  it('the companion matrix of (x−1)(x−2)(x−3)(x²+1): its roots', () => {
    // x⁵ − 6x⁴ + 12x³ − 12x² + 11x − 6
    const c = [-6, 11, -12, 12, -6]; // a0 … a4 of x⁵ + a4 x⁴ + … + a0
    const n = 5;
    const A = new Array(n * n).fill(0);
    for (let i = 1; i < n; i++) A[i * n + i - 1] = 1;
    for (let i = 0; i < n; i++) A[i * n + n - 1] = -c[i];
    expectSpectrum(A, n, [[1, 0], [2, 0], [3, 0], [0, 1], [0, -1]], 7);
  });

  it('S D S⁻¹ with a known spectrum, including a complex block, 12×12', () => {
    const n = 12;
    const D = new Array(n * n).fill(0);
    const spectrum: [number, number][] = [];
    for (let i = 0; i < 8; i++) {
      D[i * n + i] = i - 3.5;
      spectrum.push([i - 3.5, 0]);
    }
    // two 2×2 blocks [[a, b], [−b, a]] with eigenvalues a ± ib
    for (const [k, a, b] of [[8, 0.5, 2], [10, -1, 0.25]]) {
      D[k * n + k] = a;
      D[(k + 1) * n + k + 1] = a;
      D[k * n + k + 1] = b;
      D[(k + 1) * n + k] = -b;
      spectrum.push([a, b], [a, -b]);
    }
    const { S, Sinv } = randomInvertible(n, 7);
    const A = Array.from(matMul(matMul(S, D, n, n, n), Sinv, n, n, n));
    expectSpectrum(A, n, spectrum, 7);
  });

  it('random matrices: Σλ = trace, Πλ = det, and the zero eigenvalues of a low-rank product', () => {
    const g = createRng(3);
    const n = 16;
    const A = Array.from({ length: n * n }, () => g.normal());
    const { re, im } = eigenvalues(A, n);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += A[i * n + i];
    expect(re.reduce((a, b) => a + b, 0)).toBeCloseTo(trace, 8);
    expect(Math.abs(im.reduce((a, b) => a + b, 0))).toBeLessThan(1e-9);
    let [pr, pi] = [1, 0];
    for (let k = 0; k < n; k++) [pr, pi] = [pr * re[k] - pi * im[k], pr * im[k] + pi * re[k]];
    expect(pr / determinant(A, n)).toBeCloseTo(1, 8);
    expect(Math.abs(pi / pr)).toBeLessThan(1e-9);
    // rank 3: 3 non-zero eigenvalues, equal to those of the 3×3 product in the other order
    const X = Array.from({ length: n * 3 }, () => g.normal());
    const Y = Array.from({ length: 3 * n }, () => g.normal());
    const big = sortedEigen(Array.from(matMul(X, Y, n, 3, n)), n).filter(([r, i]) => Math.hypot(r, i) > 1e-8);
    const small = sortedEigen(Array.from(matMul(Y, X, 3, n, 3)), 3);
    expect(big).toHaveLength(3);
    big.forEach(([r, i], k) => {
      expect(r).toBeCloseTo(small[k][0], 8);
      expect(i).toBeCloseTo(small[k][1], 8);
    });
  });

  it('a defective (Jordan) block and the zero matrix', () => {
    expectSpectrum([2, 1, 0, 0, 2, 1, 0, 0, 2], 3, [[2, 0], [2, 0], [2, 0]], 4);
    expectSpectrum(new Array(9).fill(0), 3, [[0, 0], [0, 0], [0, 0]]);
  });
});

describe('composition and copying scores', () => {
  const shape: TransformerShape = { layers: 2, heads: 2, dModel: 8, vocab: 9, ctx: 8, mlp: false, dMlp: 32, layerNorm: false };

  it('compositionScore: identity, orthogonal subspaces and scale invariance', () => {
    const d = 4;
    const I = Float64Array.from({ length: d * d }, (_, k) => (k % (d + 1) === 0 ? 1 : 0));
    expect(compositionScore(I, I, d)).toBeCloseTo(1 / Math.sqrt(d), 12);
    const P1 = new Float64Array(d * d);
    const P2 = new Float64Array(d * d);
    P1[0] = 1; // projects onto e0
    P2[d + 1] = 1; // projects onto e1
    expect(compositionScore(P1, P2, d)).toBe(0);
    expect(compositionScore(P1, P1, d)).toBe(1);
    const big = P1.map((x) => 7 * x);
    expect(compositionScore(big, P1, d)).toBe(1);
  });

  it('K-composition picks the head whose OV output lands where the next QK reads keys', () => {
    const p = initParams(shape, 1);
    const d = 8;
    for (const L of p.layers) for (const W of [L.Wq, L.Wk, L.Wv, L.Wo]) W.fill(0);
    // layer 0 head 0 writes e0 → e1 (OV), head 1 writes e2 → e3; dHead = 4, head h owns columns 4h … 4h+3
    p.layers[0].Wv[0 * d + 0] = 1;
    p.layers[0].Wo[0 * d + 1] = 1;
    p.layers[0].Wv[2 * d + 4] = 1;
    p.layers[0].Wo[4 * d + 3] = 1;
    // layer 1 head 1 reads keys from e1 (Wk) with queries from e5; head 0 reads keys from e6
    p.layers[1].Wq[5 * d + 4] = 1;
    p.layers[1].Wk[1 * d + 4] = 1;
    p.layers[1].Wq[5 * d + 0] = 1;
    p.layers[1].Wk[6 * d + 0] = 1;
    const c = composition(p, 0, 1);
    expect(c.k[0][1]).toBe(1);
    expect(c.k[0][0]).toBe(0);
    expect(c.k[1][0]).toBe(0);
    expect(c.k[1][1]).toBe(0);
    // the same head reads no queries from e1, so its Q-composition is 0
    expect(c.q[0][1]).toBe(0);
  });

  it('copying score: +1 for an OV circuit that copies tokens, −1 for one that suppresses them', () => {
    const p = initParams(shape, 2);
    const d = 8;
    const content = shape.vocab - 1;
    // E maps token t to e_t (t < 8); U reads e_t back to token t: W_E W_OV W_U = W_OV on the first 8 tokens
    p.E.fill(0);
    p.U.fill(0);
    for (let t = 0; t < content; t++) {
      p.E[t * d + t] = 1;
      p.U[t * shape.vocab + t] = 1;
    }
    for (const sign of [1, -1]) {
      p.layers[0].Wv.fill(0);
      p.layers[0].Wo.fill(0);
      for (let i = 0; i < 4; i++) {
        p.layers[0].Wv[i * d + i] = 1; // head 0 reads e0..e3 into its 4 dims
        p.layers[0].Wo[i * d + i] = sign * (i + 1); // and writes them back scaled
      }
      expect(copyingScores(p)[0][0]).toBeCloseTo(sign, 10);
    }
    // a head whose OV circuit rotates tokens into each other has eigenvalues ±i: score 0
    p.layers[0].Wv.fill(0);
    p.layers[0].Wo.fill(0);
    p.layers[0].Wv[0] = 1;
    p.layers[0].Wv[d + 1] = 1;
    p.layers[0].Wo[1] = 1;
    p.layers[0].Wo[d] = -1;
    expect(copyingScores(p)[0][0]).toBeCloseTo(0, 10);
  });
});
