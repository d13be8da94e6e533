// Pure functions of one instance's W (m×n row-major, column i = feature i). Shared by the
// worker, the CLI, the tests and the panels. Definitions follow science.md §4.

/** ‖W_i‖ for every feature. */
export function featureNorms(W: ArrayLike<number>, m: number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += W[j * n + i] ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** WᵀW, n×n row-major. */
export function gram(W: ArrayLike<number>, m: number, n: number): Float32Array {
  const G = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += W[j * n + i] * W[j * n + k];
      G[i * n + k] = s;
      G[k * n + i] = s;
    }
  }
  return G;
}

const NORM_FLOOR = 1e-6;

/** Σ_{j≠i} (Ŵ_i·W_j)², from the Gram matrix and the norms. */
function interference(G: Float32Array, norms: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const inv = 1 / Math.max(norms[i], NORM_FLOOR);
    let s = 0;
    for (let j = 0; j < n; j++) if (j !== i) s += (G[i * n + j] * inv) ** 2;
    out[i] = s;
  }
  return out;
}

/** superposition_i = Σ_{j≠i} (Ŵ_i·W_j)² (the paper's formula; 0 when W_i is orthogonal to all others). */
export function superposition(W: ArrayLike<number>, m: number, n: number): Float32Array {
  return interference(gram(W, m, n), featureNorms(W, m, n), n);
}

/** D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)², j over all features; 0 for a feature with no weight. */
export function featureDimensionality(W: ArrayLike<number>, m: number, n: number): Float32Array {
  const norms = featureNorms(W, m, n);
  return dimensionalityFrom(norms, interference(gram(W, m, n), norms, n));
}

function dimensionalityFrom(norms: Float32Array, inter: Float32Array): Float32Array {
  return norms.map((norm, i) => (norm < NORM_FLOOR ? 0 : norm ** 2 / (norm ** 2 + inter[i])));
}

/** m / ‖W‖_F²: hidden dimensions used per (represented) feature. */
export function dimsPerFeature(W: ArrayLike<number>, m: number, n: number): number {
  let f = 0;
  for (let i = 0; i < m * n; i++) f += W[i] ** 2;
  return f === 0 ? Infinity : m / f;
}

export interface StickyFraction {
  value: number;
  label: string;
  /** features per polytope */
  size: number;
  /** dimensions the polytope spans */
  dims: number;
}

/** Uniform polytopes and their feature dimensionality d/k (science.md §4.5). Sorted high to low. */
export const STICKY_FRACTIONS: readonly StickyFraction[] = [
  { value: 1, label: 'dedicated', size: 1, dims: 1 },
  { value: 3 / 4, label: 'tetrahedron', size: 4, dims: 3 },
  { value: 2 / 3, label: 'triangle', size: 3, dims: 2 },
  { value: 1 / 2, label: 'digon', size: 2, dims: 1 },
  { value: 2 / 5, label: 'pentagon', size: 5, dims: 2 },
  { value: 3 / 8, label: 'square antiprism', size: 8, dims: 3 },
  { value: 1 / 3, label: 'hexagon', size: 6, dims: 2 },
  { value: 2 / 7, label: 'heptagon', size: 7, dims: 2 },
];

/** A feature counts as represented when its norm is at least this (a dropped feature has ‖W_i‖ ≈ 0). */
export const REPRESENTED_NORM = 0.5;
/** A represented feature counts as superposed when Σ_{j≠i}(Ŵ_i·W_j)² exceeds this (it shares its direction). */
export const SUPERPOSED_ABOVE = 0.1;

/** How many features are represented, and how many of those are superposed. */
export function representedCounts(norms: ArrayLike<number>, superposition: ArrayLike<number>): { represented: number; superposed: number } {
  let represented = 0;
  let superposed = 0;
  for (let i = 0; i < norms.length; i++) {
    if (norms[i] < REPRESENTED_NORM) continue;
    represented++;
    if (superposition[i] > SUPERPOSED_ABOVE) superposed++;
  }
  return { represented, superposed };
}
/** How close D_i must be to a sticky fraction to carry its name. */
export const STICKY_TOLERANCE = 0.02;

export type PolytopeLabel = StickyFraction['label'] | 'not represented' | 'irregular';

/** The polytope a feature sits on, from its norm and D_i; only polytopes that fit in m dimensions are candidates. */
export function polytopeLabel(norm: number, dimensionality: number, m = Infinity): PolytopeLabel {
  if (norm < REPRESENTED_NORM) return 'not represented';
  let best: StickyFraction | null = null;
  for (const f of STICKY_FRACTIONS) {
    if (f.dims > m) continue;
    if (Math.abs(dimensionality - f.value) <= STICKY_TOLERANCE && (!best || Math.abs(dimensionality - f.value) < Math.abs(dimensionality - best.value))) best = f;
  }
  return best ? best.label : 'irregular';
}

export function polytopeLabels(W: ArrayLike<number>, m: number, n: number): PolytopeLabel[] {
  const norms = featureNorms(W, m, n);
  const dims = featureDimensionality(W, m, n);
  return Array.from(norms, (norm, i) => polytopeLabel(norm, dims[i], m));
}

/** One phrase for a whole instance, e.g. "pentagon", "2 antipodal pairs", "2 dedicated + 1 digon". */
export function describeGeometry(labels: readonly PolytopeLabel[]): string {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const parts: string[] = [];
  for (const f of STICKY_FRACTIONS) {
    const c = counts.get(f.label) ?? 0;
    if (!c) continue;
    const groups = c / f.size;
    const whole = Number.isInteger(groups);
    if (f.label === 'dedicated') parts.push(`${c} dedicated ${c === 1 ? 'dimension' : 'dimensions'}`);
    else if (f.label === 'digon') parts.push(whole && groups === 1 ? 'antipodal pair' : whole ? `${groups} antipodal pairs` : c === 1 ? '1 feature in an antipodal pair' : `${c} features in antipodal pairs`);
    else parts.push(whole && groups === 1 ? f.label : whole ? `${groups} ${f.label}s` : c === 1 ? `1 feature on a ${f.label}` : `${c} features on ${f.label}s`);
  }
  const irregular = counts.get('irregular') ?? 0;
  if (irregular) parts.push(`${irregular} irregular`);
  if (!parts.length) return 'nothing represented';
  return parts.join(' + ');
}

/** |cos| below this counts as orthogonal when splitting the represented features into orthogonal groups. */
export const ORTHOGONAL_COS = 0.2;
/** A feature adds a dimension to its group's span when its unit vector leaves at least this much outside it. */
const NEW_DIMENSION_RESIDUAL = 0.25;
/** Angles of a named polytope may be this far (degrees) from the ideal ones. */
export const ANGLE_TOLERANCE_DEG = 10;

const POLYGON_NAMES: Record<number, string> = { 3: 'triangle', 5: 'pentagon', 6: 'hexagon', 7: 'heptagon', 8: 'octagon' };

/** One orthogonal group of represented features: its members, the dimensions it spans and its name. */
export interface GeometryGroup {
  features: number[];
  dims: number;
  /** 'dedicated', 'antipodal pair', 'pentagon', 'tetrahedron', … or 'irregular' */
  name: string;
}

/**
 * The represented features (‖W_i‖ ≥ REPRESENTED_NORM; weaker ones are ignored entirely) split into groups that are
 * orthogonal to each other (the paper's tegum factors: |cos| < ORTHOGONAL_COS across groups), each named from its
 * member count, the dimensions it spans and its angles: one feature = a dedicated dimension; two opposite = an
 * antipodal pair; k ≥ 3 in a plane with equal gaps of 360°/k = a k-gon; four in 3-D at 109.5° = a tetrahedron;
 * eight in 3-D with Dᵢ ≈ 3/8 (within the group) = a square antiprism. Anything else is 'irregular'. A polygon is named
 * only when its features truly span two dimensions, whatever m is.
 */
export function geometryGroups(W: ArrayLike<number>, m: number, n: number): GeometryGroup[] {
  const norms = featureNorms(W, m, n);
  const rep = Array.from(norms.keys()).filter((i) => norms[i] >= REPRESENTED_NORM);
  const unit = (i: number) => Array.from({ length: m }, (_, j) => W[j * n + i] / norms[i]);
  const U = new Map(rep.map((i) => [i, unit(i)]));
  const dot = (a: number[], b: number[]) => a.reduce((t, x, j) => t + x * b[j], 0);
  const cos = (i: number, k: number) => dot(U.get(i)!, U.get(k)!);
  // connected components of "not orthogonal"
  const seen = new Set<number>();
  const groups: GeometryGroup[] = [];
  for (const start of rep) {
    if (seen.has(start)) continue;
    const members: number[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length) {
      const i = stack.pop()!;
      members.push(i);
      for (const k of rep) if (!seen.has(k) && Math.abs(cos(i, k)) >= ORTHOGONAL_COS) (seen.add(k), stack.push(k));
    }
    members.sort((a, b) => a - b);
    // an orthonormal basis of the group's span (Gram–Schmidt with a tolerance)
    const basis: number[][] = [];
    for (const i of members) {
      const r = U.get(i)!.slice();
      for (const e of basis) {
        const c = dot(r, e);
        for (let j = 0; j < m; j++) r[j] -= c * e[j];
      }
      const len = Math.sqrt(dot(r, r));
      if (len >= NEW_DIMENSION_RESIDUAL) basis.push(r.map((x) => x / len));
    }
    groups.push({ features: members, dims: basis.length, name: nameGroup(members, basis, U, cos) });
  }
  return groups;
}

function nameGroup(members: number[], basis: number[][], U: Map<number, number[]>, cos: (i: number, k: number) => number): string {
  const k = members.length;
  const d = basis.length;
  const deg = (c: number) => (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
  if (k === 1) return 'dedicated';
  if (k === 2 && d === 1) return deg(cos(members[0], members[1])) >= 180 - ANGLE_TOLERANCE_DEG ? 'antipodal pair' : 'irregular';
  if (d === 2 && k >= 3 && POLYGON_NAMES[k]) {
    const angles = members.map((i) => {
      const u = U.get(i)!;
      const x = u.reduce((t, v, j) => t + v * basis[0][j], 0);
      const y = u.reduce((t, v, j) => t + v * basis[1][j], 0);
      return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
    }).sort((a, b) => a - b);
    const gaps = angles.map((a, i) => (i + 1 < k ? angles[i + 1] - a : angles[0] + 360 - a));
    return gaps.every((g) => Math.abs(g - 360 / k) <= ANGLE_TOLERANCE_DEG) ? POLYGON_NAMES[k] : 'irregular';
  }
  if (d === 3 && k === 4) {
    const ideal = deg(-1 / 3);
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) if (Math.abs(deg(cos(members[a], members[b])) - ideal) > ANGLE_TOLERANCE_DEG) return 'irregular';
    return 'tetrahedron';
  }
  if (d === 3 && k === 8) {
    // Dᵢ within the group (unit vectors): 1 / Σ_j cos²
    const ok = members.every((i) => Math.abs(1 / members.reduce((t, j) => t + cos(i, j) ** 2, 0) - 3 / 8) <= 0.05);
    return ok ? 'square antiprism' : 'irregular';
  }
  return 'irregular';
}

/**
 * One phrase for an instance's geometry from its represented features only, e.g. "pentagon", "2 antipodal pairs",
 * "antipodal pair + 1 dedicated dimension", "tetrahedron", "3 features in 2 dimensions, irregular".
 */
export function nameGeometry(W: ArrayLike<number>, m: number, n: number): string {
  const groups = geometryGroups(W, m, n);
  if (!groups.length) return 'nothing represented';
  const order = ['antipodal pair', ...Object.values(POLYGON_NAMES), 'tetrahedron', 'square antiprism', 'dedicated'];
  const counts = new Map<string, number>();
  for (const g of groups) if (g.name !== 'irregular') counts.set(g.name, (counts.get(g.name) ?? 0) + 1);
  const named = [...counts.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const parts = named.map((name) => {
    const c = counts.get(name)!;
    if (name === 'dedicated') return `${c} dedicated ${c === 1 ? 'dimension' : 'dimensions'}`;
    if (name === 'antipodal pair') return c === 1 ? 'antipodal pair' : `${c} antipodal pairs`;
    return c === 1 ? name : `${c} ${name}s`;
  });
  for (const g of groups) if (g.name === 'irregular') parts.push(`${g.features.length} features in ${g.dims} ${g.dims === 1 ? 'dimension' : 'dimensions'}, irregular`);
  return parts.join(' + ');
}

/**
 * Per feature, the polytope of its orthogonal group (geometryGroups): 'dedicated', 'digon' (an antipodal pair),
 * 'pentagon', … 'irregular', or 'not represented'. Weak features do not change a represented feature's label.
 */
export function groupLabels(W: ArrayLike<number>, m: number, n: number): PolytopeLabel[] {
  const out: PolytopeLabel[] = Array(n).fill('not represented');
  for (const g of geometryGroups(W, m, n)) for (const i of g.features) out[i] = g.name === 'antipodal pair' ? 'digon' : g.name;
  return out;
}

/** Geometry names before training has converged carry this prefix. */
export const UNSETTLED = 'not yet settled';

/**
 * Per instance, whether its geometry name has settled: the run is done, or the name has not changed for the last
 * max(500, 10 % of the steps) steps. Feed it every snapshot of one run in order (a new run needs a new tracker).
 */
export class SettleTracker {
  private readonly since: { name: string; step: number }[] = [];
  constructor(private readonly totalSteps: number) {}
  name(k: number, name: string, step: number, done: boolean): string {
    const prev = this.since[k];
    if (!prev || prev.name !== name) this.since[k] = { name, step };
    const stable = step - this.since[k].step >= Math.max(500, 0.1 * this.totalSteps);
    return done || stable ? name : `${UNSETTLED} (now ${name})`;
  }
}

/** Angles (degrees, 0..360) of the represented features of a 2-D instance, sorted, and the gaps between neighbours. */
export function angleGaps(W: ArrayLike<number>, n: number): { angles: number[]; gaps: number[] } {
  const norms = featureNorms(W, 2, n);
  const angles: number[] = [];
  for (let i = 0; i < n; i++) {
    if (norms[i] < REPRESENTED_NORM) continue;
    const a = (Math.atan2(W[n + i], W[i]) * 180) / Math.PI;
    angles.push((a + 360) % 360);
  }
  angles.sort((a, b) => a - b);
  const gaps = angles.map((a, i) => (i + 1 < angles.length ? angles[i + 1] - a : angles[0] + 360 - a));
  return { angles, gaps };
}

export interface InstanceMetrics {
  featureNorms: Float32Array;
  superposition: Float32Array;
  featureDimensionality: Float32Array;
  dimsPerFeature: number;
  labels: PolytopeLabel[];
  geometry: string;
}

export function instanceMetrics(W: ArrayLike<number>, m: number, n: number): InstanceMetrics {
  const norms = featureNorms(W, m, n);
  const G = gram(W, m, n);
  const sup = interference(G, norms, n);
  const D = dimensionalityFrom(norms, sup);
  const labels = groupLabels(W, m, n);
  return { featureNorms: norms, superposition: sup, featureDimensionality: D, dimsPerFeature: dimsPerFeature(W, m, n), labels, geometry: nameGeometry(W, m, n) };
}
