import { describe, expect, it } from 'vitest';
import { angleGaps, describeGeometry, dimsPerFeature, featureDimensionality, featureNorms, gram, instanceMetrics, polytopeLabel, polytopeLabels, superposition } from '../../src/engine/toy/metrics';

/** Build an m×n row-major W from feature vectors (columns). */
function fromColumns(cols: number[][]): { W: Float32Array; m: number; n: number } {
  const n = cols.length, m = cols[0].length;
  const W = new Float32Array(m * n);
  cols.forEach((c, i) => c.forEach((v, j) => (W[j * n + i] = v)));
  return { W, m, n };
}

const polygon = (k: number, scale = 1, rotate = 0.3) =>
  fromColumns(Array.from({ length: k }, (_, i) => [scale * Math.cos(rotate + (2 * Math.PI * i) / k), scale * Math.sin(rotate + (2 * Math.PI * i) / k)]));

const tetrahedron = fromColumns([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]].map((v) => v.map((x) => x / Math.sqrt(3))));

/** Square antiprism on the unit sphere with z = ±1/√3, which makes the 8 directions a tight frame (D = 3/8 each). */
function squareAntiprism() {
  const z = 1 / Math.sqrt(3), r = Math.sqrt(2 / 3);
  const ring = (offset: number, height: number) => Array.from({ length: 4 }, (_, i) => [r * Math.cos((Math.PI / 2) * i + offset), r * Math.sin((Math.PI / 2) * i + offset), height]);
  return fromColumns([...ring(0, z), ...ring(Math.PI / 4, -z)]);
}

describe('feature dimensionality on hand-built polytopes', () => {
  const cases: [string, { W: Float32Array; m: number; n: number }, number, string][] = [
    ['orthogonal basis', fromColumns([[1, 0], [0, 1]]), 1, 'dedicated'],
    ['antipodal pair', fromColumns([[1], [-1]]), 1 / 2, 'digon'],
    ['triangle', polygon(3), 2 / 3, 'triangle'],
    ['pentagon', polygon(5), 2 / 5, 'pentagon'],
    ['pentagon, norms 1.13 (as trained)', polygon(5, 1.13), 2 / 5, 'pentagon'],
    ['hexagon', polygon(6), 1 / 3, 'hexagon'],
    ['tetrahedron', tetrahedron, 3 / 4, 'tetrahedron'],
    ['square antiprism', squareAntiprism(), 3 / 8, 'square antiprism'],
  ];
  it.each(cases)('%s: D_i exact and named', (_, { W, m, n }, D, label) => {
    const d = featureDimensionality(W, m, n);
    for (const x of d) expect(x).toBeCloseTo(D, 5);
    expect(polytopeLabels(W, m, n)).toEqual(Array(n).fill(label));
  });

  it('sums D_i to at most m', () => {
    const { W, m, n } = polygon(7);
    expect(featureDimensionality(W, m, n).reduce((a, b) => a + b, 0)).toBeCloseTo(2, 5);
  });

  it('gives 0 and "not represented" for a feature with no weight', () => {
    const { W, m, n } = fromColumns([[1, 0], [0, 1], [0, 0]]);
    expect(Array.from(featureDimensionality(W, m, n))).toEqual([1, 1, 0]);
    expect(polytopeLabels(W, m, n)).toEqual(['dedicated', 'dedicated', 'not represented']);
  });
});

describe('norms, superposition, dims per feature', () => {
  it('measures ‖W_i‖', () => {
    const { W, m, n } = fromColumns([[3, 4], [0, 0], [1, 0]]);
    expect(Array.from(featureNorms(W, m, n))).toEqual([5, 0, 1]);
  });
  it('superposition = Σ_{j≠i} (Ŵ_i·W_j)²: 0 for orthogonal features, 3/2 on a unit pentagon', () => {
    expect(Array.from(superposition(fromColumns([[1, 0], [0, 2]]).W, 2, 2))).toEqual([0, 0]);
    const p = polygon(5);
    for (const s of superposition(p.W, p.m, p.n)) expect(s).toBeCloseTo(1.5, 5);
  });
  it('dims per feature = m/‖W‖_F²: 2/5 on a unit pentagon, not 2/5 at norm 1.13', () => {
    const p = polygon(5);
    expect(dimsPerFeature(p.W, p.m, p.n)).toBeCloseTo(0.4, 5);
    const q = polygon(5, 1.13);
    expect(dimsPerFeature(q.W, q.m, q.n)).toBeCloseTo(2 / (5 * 1.13 ** 2), 5);
  });
  it('WᵀW is symmetric with ‖W_i‖² on the diagonal', () => {
    const { W, m, n } = polygon(4, 2);
    const G = gram(W, m, n);
    expect(G[0]).toBeCloseTo(4, 5);
    expect(G[1 * n + 2]).toBeCloseTo(G[2 * n + 1], 6);
    expect(G[0 * n + 2]).toBeCloseTo(-4, 5);
  });
});

describe('describing an instance', () => {
  it('names whole polytopes and mixtures', () => {
    expect(describeGeometry(['pentagon', 'pentagon', 'pentagon', 'pentagon', 'pentagon'])).toBe('pentagon');
    expect(describeGeometry(['digon', 'digon', 'digon', 'digon', 'not represented'])).toBe('2 antipodal pairs');
    expect(describeGeometry(['dedicated', 'dedicated', 'not represented'])).toBe('2 dedicated dimensions');
    expect(describeGeometry(['dedicated', 'digon', 'digon'])).toBe('1 dedicated dimension + antipodal pair');
    expect(describeGeometry(['not represented'])).toBe('nothing represented');
    expect(describeGeometry(['pentagon', 'digon', 'irregular'])).toBe('1 feature in an antipodal pair + 1 feature on a pentagon + 1 irregular');
  });
  it('only names polytopes that fit in m dimensions', () => {
    // D = 3/8 in a 2-D model is no square antiprism
    expect(polytopeLabel(1, 0.375, 2)).toBe('irregular');
    expect(polytopeLabel(1, 0.375, 3)).toBe('square antiprism');
  });
  it('reports angle gaps of a 2-D instance', () => {
    const p = polygon(5);
    const { gaps } = angleGaps(p.W, 5);
    expect(gaps).toHaveLength(5);
    for (const g of gaps) expect(g).toBeCloseTo(72, 4);
  });
  it('bundles everything in instanceMetrics', () => {
    const p = polygon(5);
    const met = instanceMetrics(p.W, p.m, p.n);
    expect(met.geometry).toBe('pentagon');
    expect(met.dimsPerFeature).toBeCloseTo(0.4, 5);
  });
});
