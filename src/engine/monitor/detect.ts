// Detector statistics, pure functions of scores and labels: ROC curve, AUROC (ties counted half, which
// matters here: ReLU detectors sit at exactly 0 on most inputs), the alarm threshold that catches 90% of
// the strong target activations, the false-alarm rate, and a logistic-regression probe (the supervised
// ceiling) fitted by Newton's method.

/** The alarm threshold catches this fraction of the strong target activations… */
export const CATCH_FRACTION = 0.9;
/** …where a target activation is strong when the feature's value exceeds this. */
export const STRONG_ACTIVATION = 0.1;

/** Area under the ROC curve: P(score of a positive > score of a negative) + ½ P(tie). NaN without both classes. */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0, neg = 0, rankSum = 0;
  for (let k = 0; k < idx.length; ) {
    let e = k;
    while (e + 1 < idx.length && scores[idx[e + 1]] === scores[idx[k]]) e++;
    const midRank = (k + e) / 2 + 1;
    for (let j = k; j <= e; j++) {
      if (positive[idx[j]]) {
        pos++;
        rankSum += midRank;
      } else neg++;
    }
    k = e + 1;
  }
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** The ROC curve as [fpr, tpr] points from (0,0) to (1,1), one per distinct threshold, thinned to about `points`. */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>, points = 60): [number, number][] {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let P = 0;
  for (let i = 0; i < scores.length; i++) if (positive[i]) P++;
  const N = scores.length - P;
  if (P === 0 || N === 0) return [[0, 0], [1, 1]];
  const all: [number, number][] = [[0, 0]];
  let tp = 0, fp = 0;
  for (let k = 0; k < idx.length; ) {
    let e = k;
    while (e + 1 < idx.length && scores[idx[e + 1]] === scores[idx[k]]) e++;
    for (let j = k; j <= e; j++) positive[idx[j]] ? tp++ : fp++;
    all.push([fp / N, tp / P]);
    k = e + 1;
  }
  if (all.length <= points) return all;
  // keep the corners of the curve and an even spread of the rest
  const out: [number, number][] = [];
  const stride = (all.length - 1) / (points - 1);
  for (let i = 0; i < points; i++) out.push(all[Math.round(i * stride)]);
  return out;
}

export interface AlarmStats {
  /** scores ≥ threshold raise an alarm (and a ReLU detector never alarms at exactly 0) */
  threshold: number;
  /** fraction of the strong target activations that raise an alarm (0.9 unless the detector is 0 on more than a tenth of them) */
  recall: number;
  /** fraction of the inputs with the target absent and another feature present that raise an alarm */
  falseAlarms: number;
}

/** Whether a score raises an alarm at a threshold; `nonNegative` detectors (ReLU outputs) never alarm at 0. */
export function alarms(score: number, threshold: number, nonNegative: boolean): boolean {
  return score >= threshold && !(nonNegative && score <= 0);
}

/**
 * The threshold that catches CATCH_FRACTION of the strong target activations (the 10% quantile of their
 * scores), that threshold's recall, and the false-alarm rate on inputs where the target is absent and
 * another feature present. `strong` and `otherOnly` are masks over the same inputs as `scores`.
 */
export function alarmStats(scores: ArrayLike<number>, strong: ArrayLike<boolean | number>, otherOnly: ArrayLike<boolean | number>, nonNegative: boolean): AlarmStats {
  const pos: number[] = [];
  for (let i = 0; i < scores.length; i++) if (strong[i]) pos.push(scores[i]);
  if (pos.length === 0) return { threshold: NaN, recall: NaN, falseAlarms: NaN };
  pos.sort((a, b) => a - b);
  const threshold = pos[Math.floor((1 - CATCH_FRACTION) * pos.length + 1e-9)]; // (1 − 0.9)·10 is 0.999…
  let caught = 0;
  for (const s of pos) if (alarms(s, threshold, nonNegative)) caught++;
  let neg = 0, fired = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!otherOnly[i]) continue;
    neg++;
    if (alarms(scores[i], threshold, nonNegative)) fired++;
  }
  return { threshold, recall: caught / pos.length, falseAlarms: neg ? fired / neg : NaN };
}

export interface Probe {
  /** weights over the d inputs */
  w: Float64Array;
  bias: number;
}

/** Solve A x = b (d×d, row-major, symmetric positive definite after the ridge) by Gaussian elimination with pivoting. */
function solve(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r * d + c]) > Math.abs(M[p * d + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < d; k++) [M[c * d + k], M[p * d + k]] = [M[p * d + k], M[c * d + k]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    const piv = M[c * d + c] || 1e-12;
    for (let r = c + 1; r < d; r++) {
      const f = M[r * d + c] / piv;
      if (!f) continue;
      for (let k = c; k < d; k++) M[r * d + k] -= f * M[c * d + k];
      x[r] -= f * x[c];
    }
  }
  for (let c = d - 1; c >= 0; c--) {
    let s = x[c];
    for (let k = c + 1; k < d; k++) s -= M[c * d + k] * x[k];
    x[c] = s / (M[c * d + c] || 1e-12);
  }
  return x;
}

/**
 * Logistic regression of `label` on the rows of X ([N][d]) with a small ridge, by Newton's method
 * (iteratively reweighted least squares). Deterministic; the score of a row is w·x + bias (a logit).
 */
export function fitProbe(X: ArrayLike<number>, N: number, d: number, label: ArrayLike<boolean | number>, { ridge = 1e-3, iterations = 25 } = {}): Probe {
  const D = d + 1; // the bias is the last weight
  let beta = new Float64Array(D);
  const row = new Float64Array(D);
  for (let it = 0; it < iterations; it++) {
    const H = new Float64Array(D * D);
    const g = new Float64Array(D);
    for (let r = 0; r < N; r++) {
      for (let j = 0; j < d; j++) row[j] = X[r * d + j];
      row[d] = 1;
      let z = 0;
      for (let j = 0; j < D; j++) z += beta[j] * row[j];
      const p = 1 / (1 + Math.exp(-z));
      const y = label[r] ? 1 : 0;
      const wgt = Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j < D; j++) {
        g[j] += (p - y) * row[j];
        for (let k = 0; k < D; k++) H[j * D + k] += wgt * row[j] * row[k];
      }
    }
    for (let j = 0; j < D; j++) {
      g[j] = g[j] / N + ridge * (j < d ? beta[j] : 0);
      for (let k = 0; k < D; k++) H[j * D + k] /= N;
      H[j * D + j] += ridge;
    }
    const step = solve(H, g, D);
    let change = 0;
    const next = new Float64Array(D);
    for (let j = 0; j < D; j++) {
      next[j] = beta[j] - step[j];
      change = Math.max(change, Math.abs(step[j]));
    }
    beta = next;
    if (change < 1e-8) break;
  }
  return { w: beta.slice(0, d), bias: beta[d] };
}

/** The probe's score (logit) of each row of X ([N][d]). */
export function probeScores(p: Probe, X: ArrayLike<number>, N: number, d: number): Float32Array {
  const out = new Float32Array(N);
  for (let r = 0; r < N; r++) {
    let z = p.bias;
    for (let j = 0; j < d; j++) z += p.w[j] * X[r * d + j];
    out[r] = z;
  }
  return out;
}
