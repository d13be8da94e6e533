// Small dense float64 linear algebra for the circuit metrics: products, Frobenius norms and the
// eigenvalues of a real non-symmetric matrix (Householder reduction to Hessenberg form, then Francis
// double-shift QR, as EISPACK's hqr). Matrices are row-major.

/** C = A B with A [n][k], B [k][m]. */
export function matMul(A: ArrayLike<number>, B: ArrayLike<number>, n: number, k: number, m: number): Float64Array {
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      if (a === 0) continue;
      for (let j = 0; j < m; j++) C[i * m + j] += a * B[p * m + j];
    }
  }
  return C;
}

/** Aᵀ of A [n][m]. */
export function transpose(A: ArrayLike<number>, n: number, m: number): Float64Array {
  const T = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) T[j * n + i] = A[i * m + j];
  return T;
}

export function frobenius(A: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < A.length; i++) s += A[i] * A[i];
  return Math.sqrt(s);
}

/** Rows r0 … r1−1 and columns c0 … c1−1 of A [·][cols]. */
export function block(A: ArrayLike<number>, cols: number, r0: number, r1: number, c0: number, c1: number): Float64Array {
  const w = c1 - c0;
  const out = new Float64Array((r1 - r0) * w);
  for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) out[(i - r0) * w + (j - c0)] = A[i * cols + j];
  return out;
}

export interface Eigenvalues {
  re: Float64Array;
  im: Float64Array;
}

/** Eigenvalues of the real n×n matrix A (complex ones come in conjugate pairs). */
export function eigenvalues(A: ArrayLike<number>, n: number): Eigenvalues {
  if (A.length !== n * n) throw new Error(`eigenvalues: expected ${n * n} entries; got ${A.length}`);
  const H = Float64Array.from(A);
  reduceToHessenberg(H, n);
  return hessenbergEigenvalues(H, n);
}

/** In place: H := Q H Qᵀ upper Hessenberg (zero below the first subdiagonal), by Householder reflections. */
export function reduceToHessenberg(H: Float64Array, n: number): void {
  const v = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    let norm = 0;
    for (let i = k + 1; i < n; i++) norm += H[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    // reflect column k (rows k+1 …) onto −sign·‖x‖·e_{k+1}; v = x + sign·‖x‖·e_{k+1}
    const alpha = H[(k + 1) * n + k] > 0 ? -norm : norm;
    v.fill(0);
    for (let i = k + 1; i < n; i++) v[i] = H[i * n + k];
    v[k + 1] -= alpha;
    let vv = 0;
    for (let i = k + 1; i < n; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    // left: H := (I − 2vvᵀ/vᵀv) H, rows k+1 …
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = k + 1; i < n; i++) s += v[i] * H[i * n + j];
      s = (2 * s) / vv;
      for (let i = k + 1; i < n; i++) H[i * n + j] -= s * v[i];
    }
    // right: H := H (I − 2vvᵀ/vᵀv), columns k+1 …
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += H[i * n + j] * v[j];
      s = (2 * s) / vv;
      for (let j = k + 1; j < n; j++) H[i * n + j] -= s * v[j];
    }
    for (let i = k + 2; i < n; i++) H[i * n + k] = 0;
  }
}

const MAX_QR_ITERATIONS = 100;

/** Eigenvalues of an upper Hessenberg matrix (destroyed): Francis double-shift QR with deflation. */
export function hessenbergEigenvalues(H: Float64Array, n: number): Eigenvalues {
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const at = (i: number, j: number) => H[i * n + j];
  const set = (i: number, j: number, x: number) => {
    H[i * n + j] = x;
  };
  const sign = (a: number, b: number) => (b >= 0 ? Math.abs(a) : -Math.abs(a));
  let anorm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(at(i, j));
  let nn = n - 1; // the active block is rows/columns l … nn
  let shift = 0; // exceptional shifts accumulated so far
  let p = 0, q = 0, r = 0, s = 0, w = 0, x = 0, y = 0, z = 0;
  while (nn >= 0) {
    let its = 0;
    let l: number;
    do {
      // deflate at a negligible subdiagonal entry
      for (l = nn; l >= 1; l--) {
        s = Math.abs(at(l - 1, l - 1)) + Math.abs(at(l, l));
        if (s === 0) s = anorm;
        if (Math.abs(at(l, l - 1)) + s === s) {
          set(l, l - 1, 0);
          break;
        }
      }
      x = at(nn, nn);
      if (l === nn) {
        // a 1×1 block: one real eigenvalue
        re[nn] = x + shift;
        im[nn] = 0;
        nn--;
      } else {
        y = at(nn - 1, nn - 1);
        w = at(nn, nn - 1) * at(nn - 1, nn);
        if (l === nn - 1) {
          // a 2×2 block: two real eigenvalues or a conjugate pair
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += shift;
          if (q >= 0) {
            z = p + sign(z, p);
            re[nn - 1] = re[nn] = x + z;
            if (z !== 0) re[nn] = x - w / z;
            im[nn - 1] = im[nn] = 0;
          } else {
            re[nn - 1] = re[nn] = x + p;
            im[nn - 1] = z;
            im[nn] = -z;
          }
          nn -= 2;
        } else {
          if (its === MAX_QR_ITERATIONS) throw new Error('eigenvalues: QR iteration did not converge');
          if (its === 10 || its === 20) {
            // exceptional shift, to break a cycle
            shift += x;
            for (let i = 0; i <= nn; i++) set(i, i, at(i, i) - x);
            s = Math.abs(at(nn, nn - 1)) + Math.abs(at(nn - 1, nn - 2));
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          its++;
          // find where two consecutive subdiagonal entries are small enough to start the bulge
          let m: number;
          for (m = nn - 2; m >= l; m--) {
            z = at(m, m);
            r = x - z;
            s = y - z;
            p = (r * s - w) / at(m + 1, m) + at(m, m + 1);
            q = at(m + 1, m + 1) - z - r - s;
            r = at(m + 2, m + 1);
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m === l) break;
            const u = Math.abs(at(m, m - 1)) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(at(m - 1, m - 1)) + Math.abs(z) + Math.abs(at(m + 1, m + 1)));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            set(i, i - 2, 0);
            if (i !== m + 2) set(i, i - 3, 0);
          }
          // chase the bulge down with 3×3 Householder reflections
          for (let k = m; k <= nn - 1; k++) {
            const notLast = k !== nn - 1;
            if (k !== m) {
              p = at(k, k - 1);
              q = at(k + 1, k - 1);
              r = notLast ? at(k + 2, k - 1) : 0;
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) {
                p /= x;
                q /= x;
                r /= x;
              }
            }
            s = sign(Math.sqrt(p * p + q * q + r * r), p);
            if (s === 0) continue;
            if (k === m) {
              if (l !== m) set(k, k - 1, -at(k, k - 1));
            } else set(k, k - 1, -s * x);
            p += s;
            x = p / s;
            y = q / s;
            z = r / s;
            q /= p;
            r /= p;
            for (let j = k; j <= nn; j++) {
              p = at(k, j) + q * at(k + 1, j);
              if (notLast) {
                p += r * at(k + 2, j);
                set(k + 2, j, at(k + 2, j) - p * z);
              }
              set(k + 1, j, at(k + 1, j) - p * y);
              set(k, j, at(k, j) - p * x);
            }
            const last = Math.min(nn, k + 3);
            for (let i = l; i <= last; i++) {
              p = x * at(i, k) + y * at(i, k + 1);
              if (notLast) {
                p += z * at(i, k + 2);
                set(i, k + 2, at(i, k + 2) - p * r);
              }
              set(i, k + 1, at(i, k + 1) - p * q);
              set(i, k, at(i, k) - p);
            }
          }
        }
      }
    } while (l < nn - 1);
  }
  return { re, im };
}
