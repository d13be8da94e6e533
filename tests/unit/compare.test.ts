// A/B compare (issue 18 item 1): the verdict on hand-built pairs and on real pairs trained with fixed seeds, the
// pair's link settings through the toy validator, and the headless record.

import { beforeAll, describe, expect, it } from 'vitest';
import { compareRuns, featureList, verdict, type FeatureDelta } from '../../src/engine/compare/compare';
import { runCompare } from '../../src/engine/compare/run';
import { changedSettings, COMPARE_DEFAULTS, compareWrites, flatten, unflatten, validateCompareFlat, type ComparePair } from '../../src/engine/compare/settings';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/shared/backend';
import { config } from './helpers';

beforeAll(async () => {
  await initBackend(['wasm']);
});

/** m×n W from feature columns. */
function side(cols: number[][], loss = 0.1) {
  const n = cols.length;
  const m = cols[0].length;
  const W = new Float32Array(m * n);
  cols.forEach((c, i) => c.forEach((v, j) => (W[j * n + i] = v)));
  return { W, m, n, loss };
}
const polar = (deg: number, r = 1) => [r * Math.cos((deg * Math.PI) / 180), r * Math.sin((deg * Math.PI) / 180)];
const pentagon = [0, 72, 144, 216, 288].map((a) => polar(a));

describe('the verdict on hand-built weights', () => {
  it('a pentagon whose fifth feature shrinks to nothing: "feature 5 left the pentagon and got dropped"', () => {
    const b = [polar(0), polar(90), polar(180), polar(270), polar(40, 0.05)];
    const c = compareRuns(side(pentagon, 0.1), side(b, 0.12));
    expect(c.geometryA).toBe('pentagon');
    expect(c.geometryB).toBe('2 antipodal pairs');
    expect(c.verdict).toBe('features 1–4 went from a pentagon to antipodal pairs; feature 5 left the pentagon and got dropped; loss 20% higher');
    expect(c.features[4].roleA).toBe('pentagon');
    expect(c.features[4].roleB).toBe('not represented');
    expect(c.features[4].normB).toBeCloseTo(0.05, 5);
  });

  it('two dedicated dimensions that become an antipodal pair', () => {
    const a = side([[1, 0, 0], [0, 1, 0], [0, 0, 1]], 0.2);
    const b = side([[1, 0, 0], [-1, 0, 0], [0, 0, 1]], 0.15);
    expect(compareRuns(a, b).verdict).toBe('features 1–2 went from dedicated dimensions to an antipodal pair; loss 25% lower');
  });

  it('the same geometry: "no feature changed its role" with the loss change', () => {
    const rotated = [0, 72, 144, 216, 288].map((a) => polar(a + 30));
    expect(compareRuns(side(pentagon, 0.1), side(rotated, 0.1)).verdict).toBe('no feature changed its role; loss unchanged');
  });

  it('the difference heatmap is B − A, entry by entry, and the deltas carry both norms and Dᵢ', () => {
    const a = side([[1, 0], [0, 1]]);
    const b = side([[1, 0], [-1, 0]]);
    const c = compareRuns(a, b);
    expect(Array.from(c.gramDiff)).toEqual([0, -1, -1, 0]);
    expect(c.features.map((f) => [f.dimA, f.dimB])).toEqual([[1, 0.5], [1, 0.5]]);
  });

  it('different n: the shared features are compared and the extra ones named', () => {
    const c = compareRuns(side(pentagon), side([...pentagon, polar(10, 0.01)]));
    expect(c.shared).toBe(5);
    expect(c.verdict).toBe('B adds feature 6; loss unchanged');
  });

  it('feature lists read as ranges or lists, from 1', () => {
    expect(featureList([4])).toBe('feature 5');
    expect(featureList([1, 0])).toBe('features 1–2');
    expect(featureList([0, 2, 4])).toBe('features 1, 3 and 5');
  });

  it('a big loss change reads as a factor', () => {
    const f: FeatureDelta[] = [];
    expect(verdict(f, 0, 0, 2.5)).toBe('no feature changed its role; loss 3.5× higher');
  });
});

describe('the verdict on real trained pairs (seed 1, 10 000 steps)', () => {
  it('pentagon n=5, m=2 at S=0.9 against S=0: the dense model keeps 2 dedicated dimensions and drops the rest', () => {
    const r = runCompare({ a: config({ sparsity: 0.9 }), b: config({ sparsity: 0 }), instance: 0 });
    expect(r.comparison.geometryB).toBe('2 dedicated dimensions');
    // at S = 0.9 seed 1 stops in two antipodal pairs with feature 5 already dropped; dense data drops features 3–4 too
    expect(r.comparison.geometryA).toBe('2 antipodal pairs');
    expect(r.comparison.features.filter((f) => f.roleB === 'not represented').map((f) => f.feature)).toEqual([2, 3, 4]);
    const newlyDropped = r.comparison.features.filter((f) => f.roleA !== 'not represented' && f.roleB === 'not represented').map((f) => f.feature);
    expect(newlyDropped).toEqual([2, 3]);
    expect(r.verdict).toContain('features 3–4 left their antipodal pairs and got dropped');
    expect(r.verdict).toMatch(/features 1–2 went from .* to dedicated dimensions/);
    expect(r.comparison.lossB).toBeGreaterThan(r.comparison.lossA);
    // the dropped features' norms collapse; the kept ones reach about 1
    for (const f of r.comparison.features) expect(f.feature < 2 ? f.normB > 0.9 : f.normB < 0.5).toBe(true);
  }, 30_000);

  it('the pentagon (S=0.95) against the same config with the last feature 5× as important: feature 4 left the pentagon and got dropped', () => {
    const a = config({});
    const r = runCompare({ a, b: config({ extraImportanceRange: [5, 5] }), instance: 0 });
    expect(r.comparison.geometryA).toBe('pentagon');
    expect(r.comparison.geometryB).toBe('2 antipodal pairs');
    expect(r.verdict).toContain('feature 4 left the pentagon and got dropped');
    expect(r.changed).toEqual(['extra-importance-range none → 5:5']);
  }, 30_000);

  it('the same config twice gives the same weights: no feature changed its role, loss unchanged', () => {
    const a = config({ steps: 3000 });
    const r = runCompare({ a, b: a, instance: 0 });
    expect(r.verdict).toBe('no feature changed its role; loss unchanged');
    expect(r.comparison.gramDiff.flat().every((x) => x === 0)).toBe(true);
  }, 30_000);
});

describe('no tensor leaks', () => {
  it('training both sides on TF.js leaves the tensor count where it was', () => {
    const before = tf.memory().numTensors;
    const r = runCompare({ a: config({ steps: 200 }), b: config({ steps: 200, sparsity: 0.5 }), instance: 0 }, { engine: 'tfjs' });
    expect(r.a.engine).toBe('tfjs');
    expect(tf.memory().numTensors).toBe(before);
  }, 30_000);
});

describe('the pair in a link', () => {
  const pair: ComparePair = { a: config({ sparsity: 0.95 }), b: config({ sparsity: 0.9 }), instance: 0 };

  it('round-trips, writes A\'s main settings and only what B changes', () => {
    const flat = flatten(pair);
    expect(unflatten(flat)).toEqual(pair);
    const written = Object.keys(flat).filter((k) => compareWrites(flat, k as never));
    expect(written).toContain('pinned');
    expect(written).toContain('a.sparsity');
    expect(written.filter((k) => k.startsWith('b.'))).toEqual(['b.sparsity']);
    expect(Object.keys(COMPARE_DEFAULTS).some((k) => compareWrites(COMPARE_DEFAULTS, k as never))).toBe(false);
  });

  it('B\'s missing settings are A\'s', () => {
    const r = validateCompareFlat({ pinned: 'true', 'a.sparsity': '0.8', 'a.seed': '7', 'b.n': '6' });
    expect(r.ok).toBe(true);
    const p = unflatten(r.config!)!;
    expect([p.b.sparsity, p.b.seed, p.b.n, p.a.n]).toEqual([0.8, 7, 6, 5]);
  });

  it('a bad B setting gets the toy validator\'s message, named b.', () => {
    expect(validateCompareFlat({ pinned: '1', 'b.sparsity': '1.5' }).errors).toEqual(['b.sparsity must be a number at least 0 and below 1; got "1.5"']);
    expect(validateCompareFlat({ pinned: '1', 'a.n': 'five' }).errors).toEqual(['a.n must be an integer from 1 to 512; got "five"']);
    expect(validateCompareFlat({ pinned: '1', 'b.correlatedSets': '3' }).errors[0]).toMatch(/^B: correlated and anticorrelated sets need 6 features/);
    expect(validateCompareFlat({ pinned: '1', instance: '2' }).errors).toEqual(['instance must be below the number of instances of A and B (1); got 2']);
  });

  it('names what B changed', () => {
    expect(changedSettings(pair)).toEqual(['sparsity 0.95 → 0.9']);
  });
});
