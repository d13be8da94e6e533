// The small float64 linear algebra ROME needs: the key second moment C, a Cholesky solve of (C + λI)x = k, the
// closed-form rank-one update (row-vector convention, W_r = Wᵀ ∈ R^{dMlp×d}) and the checks of R-6.

/** Uncentred second moment C = (1/N) Σ k kᵀ of N keys (rows of `keys`, width n), plus the ridge λ = ridge·tr(C)/n. */
export function secondMoment(keys: ArrayLike<number>, n: number, ridge = 1e-4): { C: Float64Array; lambda: number; count: number } {
  const N = keys.length / n;
  const C = new Float64Array(n * n);
  const row = new Float64Array(n);
  for (let r = 0; r < N; r++) {
    for (let i = 0; i < n; i++) row[i] = keys[r * n + i];
    for (let i = 0; i < n; i++) {
      const ri = row[i];
      if (ri === 0) continue;
      const at = i * n;
      for (let j = i; j < n; j++) C[at + j] += ri * row[j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) C[j * n + i] = C[i * n + j] /= N;
  let tr = 0;
  for (let i = 0; i < n; i++) tr += C[i * n + i];
  const lambda = (ridge * tr) / n;
  for (let i = 0; i < n; i++) C[i * n + i] += lambda;
  return { C, lambda, count: N };
}

/** The lower Cholesky factor of a symmetric positive-definite n×n matrix. */
export function cholesky(A: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error('cholesky: the matrix is not positive definite');
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  return L;
}

/** Solve (L Lᵀ) x = b. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** k W_r (+ bias): the MLP output of key k with W_r [n][d]. */
export function applyRows(W: ArrayLike<number>, k: ArrayLike<number>, n: number, d: number, bias?: ArrayLike<number> | null): Float64Array {
  const out = new Float64Array(d);
  if (bias) for (let j = 0; j < d; j++) out[j] = bias[j];
  for (let i = 0; i < n; i++) {
    const ki = k[i];
    if (ki === 0) continue;
    for (let j = 0; j < d; j++) out[j] += ki * W[i * d + j];
  }
  return out;
}

export interface RankOneUpdate {
  /** the direction in key space (C⁻¹k* for ROME, k* for the naive update), [n] */
  u: Float64Array;
  /** Λ, [d]: ΔW_r = u Λᵀ */
  Lambda: Float64Array;
}

/**
 * The closed form of Meng et al. §3 in the consistent-key form: ΔW_r = u Λᵀ with u = C⁻¹k*,
 * Λ = (v* − b − k* W_r) / (uᵀk*), so that k* Ŵ_r + b = v* exactly. With `Cinv` null, u = k* (the naive update
 * ΔW = (v* − W k*) k*ᵀ / ‖k*‖²).
 */
export function rankOneUpdate(
  W: ArrayLike<number>, bias: ArrayLike<number> | null, kStar: ArrayLike<number>, vStar: ArrayLike<number>, n: number, d: number,
  cholC: Float64Array | null,
): RankOneUpdate {
  const u = cholC ? choleskySolve(cholC, n, kStar) : Float64Array.from(kStar);
  const cur = applyRows(W, kStar, n, d, bias);
  const denom = dot(u, kStar);
  const Lambda = new Float64Array(d);
  for (let j = 0; j < d; j++) Lambda[j] = (vStar[j] - cur[j]) / denom;
  return { u, Lambda };
}

/** W_r + u Λᵀ as float32. */
export function applyUpdate(W: Float32Array, up: RankOneUpdate, n: number, d: number): Float32Array {
  const out = W.slice();
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] += up.u[i] * up.Lambda[j];
  return out;
}

export function frobenius(a: ArrayLike<number>): number {
  return norm(a);
}

/**
 * Singular values of an n×d matrix (d small), from the eigenvalues of its d×d Gram matrix by cyclic Jacobi,
 * in decreasing order.
 */
export function singularValues(A: ArrayLike<number>, n: number, d: number): number[] {
  const G = new Float64Array(d * d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) G[a * d + b] += A[i * d + a] * A[i * d + b];
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += G[p * d + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = G[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (G[q * d + q] - G[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < d; k++) {
          const gkp = G[k * d + p], gkq = G[k * d + q];
          G[k * d + p] = c * gkp - s * gkq;
          G[k * d + q] = s * gkp + c * gkq;
        }
        for (let k = 0; k < d; k++) {
          const gpk = G[p * d + k], gqk = G[q * d + k];
          G[p * d + k] = c * gpk - s * gqk;
          G[q * d + k] = s * gpk + c * gqk;
        }
      }
    }
  }
  return Array.from({ length: d }, (_, i) => Math.sqrt(Math.max(0, G[i * d + i]))).sort((a, b) => b - a);
}
