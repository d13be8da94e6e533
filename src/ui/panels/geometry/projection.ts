// Pure math for drawing feature directions when m ≠ 2: the principal plane of W's columns
// (m > 3) and an orthographic 3-D rotation (m = 3).

/** A point per feature in a 2-D picture. */
export type Point2 = [number, number];

/** The columns of an m×n row-major W as 2-D points; m = 1 puts them on the x axis. */
export function columns2d(W: ArrayLike<number>, m: number, n: number): Point2[] {
  return Array.from({ length: n }, (_, i) => [W[i], m > 1 ? W[n + i] : 0] as Point2);
}

export interface PrincipalPlane {
  u1: Float64Array;
  u2: Float64Array;
  /** share of ‖W‖_F² that lies in the plane, 0..1 */
  explained: number;
}

/**
 * The 2-D subspace of the hidden space that holds most of the columns' squared length:
 * the top two eigenvectors of W Wᵀ (m×m), by power iteration. `previous` keeps the signs
 * steady from frame to frame.
 */
export function principalPlane(W: ArrayLike<number>, m: number, n: number, previous?: PrincipalPlane | null): PrincipalPlane {
  const M = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = a; b < m; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += W[a * n + i] * W[b * n + i];
      M[a * m + b] = s;
      M[b * m + a] = s;
    }
  let trace = 0;
  for (let a = 0; a < m; a++) trace += M[a * m + a];
  const u1 = topEigenvector(M, m, null, previous?.u1);
  const l1 = rayleigh(M, m, u1);
  const u2 = topEigenvector(M, m, u1, previous?.u2);
  const l2 = rayleigh(M, m, u2);
  for (const [u, prev] of [[u1, previous?.u1], [u2, previous?.u2]] as const) {
    if (prev && prev.length === m && dot(u, prev) < 0) u.forEach((v, j) => (u[j] = -v));
  }
  return { u1, u2, explained: trace > 0 ? Math.min(1, (l1 + l2) / trace) : 0 };
}

export function project(W: ArrayLike<number>, m: number, n: number, plane: PrincipalPlane): Point2[] {
  return Array.from({ length: n }, (_, i) => {
    let x = 0;
    let y = 0;
    for (let j = 0; j < m; j++) {
      x += plane.u1[j] * W[j * n + i];
      y += plane.u2[j] * W[j * n + i];
    }
    return [x, y] as Point2;
  });
}

function topEigenvector(M: Float64Array, m: number, orthogonalTo: Float64Array | null, start?: Float64Array): Float64Array {
  let v = new Float64Array(m);
  if (start && start.length === m) v.set(start);
  else for (let j = 0; j < m; j++) v[j] = 1 + 0.1 * j;
  for (let it = 0; it < 60; it++) {
    if (orthogonalTo) removeComponent(v, orthogonalTo);
    normalise(v);
    const next = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      let s = 0;
      for (let b = 0; b < m; b++) s += M[a * m + b] * v[b];
      next[a] = s;
    }
    if (orthogonalTo) removeComponent(next, orthogonalTo);
    if (normalise(next) === 0) break;
    v = next;
  }
  if (orthogonalTo) removeComponent(v, orthogonalTo);
  if (normalise(v) === 0) {
    // W has rank < 2: any unit vector orthogonal to the first will do
    v = new Float64Array(m);
    v[orthogonalTo && Math.abs(orthogonalTo[0]) > 0.9 ? 1 : 0] = 1;
    if (orthogonalTo) removeComponent(v, orthogonalTo);
    normalise(v);
  }
  return v;
}

function rayleigh(M: Float64Array, m: number, v: Float64Array): number {
  let s = 0;
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) s += v[a] * M[a * m + b] * v[b];
  return s;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

function removeComponent(v: Float64Array, u: Float64Array): void {
  const d = dot(v, u);
  for (let j = 0; j < v.length; j++) v[j] -= d * u[j];
}

function normalise(v: Float64Array): number {
  const len = Math.sqrt(dot(v, v));
  if (len < 1e-12) return 0;
  for (let j = 0; j < v.length; j++) v[j] /= len;
  return len;
}

/** Orientation of the 3-D view, radians. */
export interface Rotation {
  yaw: number;
  pitch: number;
}

export const DEFAULT_ROTATION: Rotation = { yaw: -0.6, pitch: 0.45 };

/** Rotate (x, y, z) by yaw (around the vertical axis) then pitch; returns screen x, screen y (up), depth (towards viewer). */
export function rotate3d([x, y, z]: readonly [number, number, number], r: Rotation): [number, number, number] {
  const cy = Math.cos(r.yaw);
  const sy = Math.sin(r.yaw);
  const x1 = cy * x + sy * z;
  const z1 = -sy * x + cy * z;
  const cp = Math.cos(r.pitch);
  const sp = Math.sin(r.pitch);
  const y2 = cp * y - sp * z1;
  const z2 = sp * y + cp * z1;
  return [x1, y2, z2];
}
