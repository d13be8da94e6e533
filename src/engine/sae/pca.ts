// Principal components of a data matrix, pure: the covariance of (a sample of) the rows, then its top
// eigenvectors by power iteration with deflation (the covariance is symmetric positive semi-definite, so the
// iteration converges to the largest eigenvalues in turn). Used to draw d > 3 directions in 3 dimensions.

import { createRng } from '../shared/rng';

export interface Pca {
  /** unit rows [k][d], by decreasing variance */
  components: Float32Array;
  /** variance along each component */
  variances: number[];
  /** total variance (trace of the covariance) */
  total: number;
  k: number;
  d: number;
}

/** rows used for the covariance: at most 2048, and fewer when d is large (d²/2 per row; ~10⁸ in all) */
export const pcaRows = (n: number, d: number) => Math.min(n, 2048, Math.max(64, Math.floor(1e8 / (d * d))));

/** Covariance [d][d] (float64) of rows of x ([n][d]); uses up to maxRows rows picked evenly. */
export function covariance(x: ArrayLike<number>, n: number, d: number, maxRows = pcaRows(n, d)): Float64Array {
  const take = Math.min(n, maxRows);
  const pick = (i: number) => (take === n ? i : Math.floor((i * n) / take));
  const mean = new Float64Array(d);
  for (let i = 0; i < take; i++) for (let j = 0; j < d; j++) mean[j] += x[pick(i) * d + j] / take;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < take; i++) {
    const r = pick(i);
    for (let j = 0; j < d; j++) row[j] = x[r * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += ra * row[b];
    }
  }
  const div = Math.max(1, take - 1);
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= div;
  return cov;
}

/** Top-k eigenpairs of a symmetric PSD matrix [d][d] by power iteration with deflation. */
export function topEigen(m: Float64Array, d: number, k: number, opts: { iterations?: number; tol?: number; seed?: number } = {}): { vectors: Float64Array; values: number[] } {
  const iterations = opts.iterations ?? 150, tol = opts.tol ?? 1e-8;
  const a = Float64Array.from(m);
  const rng = createRng(opts.seed ?? 7);
  const vectors = new Float64Array(k * d);
  const values: number[] = [];
  const v = new Float64Array(d), w = new Float64Array(d);
  for (let c = 0; c < Math.min(k, d); c++) {
    for (let j = 0; j < d; j++) v[j] = rng.normal();
    normalise(v);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += a[i * d + j] * v[j];
        w[i] = s;
      }
      const norm = normalise(w);
      let change = 0;
      for (let j = 0; j < d; j++) change = Math.max(change, Math.abs(Math.abs(w[j]) - Math.abs(v[j])));
      v.set(w);
      lambda = norm;
      if (norm === 0 || change < tol) break;
    }
    // a fixed sign: the largest component positive, so the same data always gives the same picture
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    if (v[big] < 0) for (let j = 0; j < d; j++) v[j] = -v[j];
    vectors.set(v, c * d);
    values.push(lambda);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] -= lambda * v[i] * v[j];
  }
  return { vectors, values };
}

function normalise(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  if (n > 0) for (let j = 0; j < v.length; j++) v[j] /= n;
  return n;
}

/** The top k principal components of x ([n][d]). */
export function pca(x: ArrayLike<number>, n: number, d: number, k = 3): Pca {
  const cov = covariance(x, n, d);
  let total = 0;
  for (let j = 0; j < d; j++) total += cov[j * d + j];
  const kk = Math.min(k, d);
  const { vectors, values } = topEigen(cov, d, kk);
  return { components: Float32Array.from(vectors), variances: values, total, k: kk, d };
}

/** Coordinates of a d-vector in the components' basis ([k]). */
export function project(p: Pick<Pca, 'components' | 'k' | 'd'>, v: ArrayLike<number>): number[] {
  return Array.from({ length: p.k }, (_, c) => {
    let s = 0;
    for (let j = 0; j < p.d; j++) s += p.components[c * p.d + j] * v[j];
    return s;
  });
}
