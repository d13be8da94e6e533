import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, validateConfig, type LabConfig } from '../../src/engine/toy/config';
import { allocBatch, dataSpecFromConfig, featureGroup, sampleBatch } from '../../src/engine/toy/data';
import { createRng } from '../../src/engine/shared/rng';

const cfg = (over: Partial<Record<keyof LabConfig, unknown>>): LabConfig => {
  const r = validateConfig(over);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};

function batchOf(c: LabConfig, seed = 1) {
  const spec = dataSpecFromConfig(c);
  return { spec, x: sampleBatch(spec, createRng(seed), allocBatch(spec)) };
}

describe('sparse uniform features', () => {
  it('zeroes a fraction ≈ S of features per instance, and active values are U[0,1]', () => {
    const c = cfg({ n: 20, instances: 3, sparsityRange: '0:0.95', batch: 8192 });
    const { x } = batchOf(c);
    const per = c.batch * c.n;
    const expectedS = [0, 1 - Math.sqrt(0.05), 0.95];
    for (let k = 0; k < 3; k++) {
      const slice = x.subarray(k * per, (k + 1) * per);
      const zeros = slice.filter((v) => v === 0).length / per;
      expect(zeros).toBeCloseTo(expectedS[k], 2);
      const active = slice.filter((v) => v !== 0);
      const mean = active.reduce((a, b) => a + b, 0) / active.length;
      expect(mean).toBeCloseTo(0.5, 1);
      expect(active.reduce((a, b) => Math.min(a, b))).toBeGreaterThan(0);
      expect(active.reduce((a, b) => Math.max(a, b))).toBeLessThan(1);
    }
  });

  it('gives signed U[-1,1] values for the |x| task', () => {
    const { x } = batchOf(cfg({ model: 'relu-hidden', n: 10, m: 5, sparsity: 0.5, batch: 4096 }));
    const active = Array.from(x).filter((v) => v !== 0);
    expect(active.filter((v) => v < 0).length / active.length).toBeCloseTo(0.5, 1);
    expect(Math.min(...active)).toBeGreaterThanOrEqual(-1);
  });

  it('gives unsigned U[0,1] values for the tied privileged-basis model (a storage task)', () => {
    const { x } = batchOf(cfg({ model: 'relu-hidden-tied', n: 10, m: 5, sparsity: 0.5, batch: 2048 }));
    expect(Math.min(...Array.from(x))).toBeGreaterThanOrEqual(0);
  });

  it('is the same batch for the same seed', () => {
    const c = cfg({ n: 8, batch: 64 });
    expect(batchOf(c, 5).x).toEqual(batchOf(c, 5).x);
    expect(batchOf(c, 5).x).not.toEqual(batchOf(c, 6).x);
  });
});

describe('correlated and anticorrelated sets', () => {
  const c = cfg({ n: 6, correlatedSets: 1, anticorrelatedSets: 1, setSize: 2, sparsity: 0.7, batch: 20000 });
  const { spec, x } = batchOf(c);
  const rows = Array.from({ length: c.batch }, (_, b) => x.subarray(b * c.n, (b + 1) * c.n));

  it('orders features as [correlated…, anticorrelated…, independent…]', () => {
    expect([0, 1, 2, 3, 4, 5].map((i) => featureGroup(spec, i).kind)).toEqual(['correlated', 'correlated', 'anticorrelated', 'anticorrelated', 'independent', 'independent']);
  });
  it('switches correlated features on and off together, with probability p', () => {
    expect(rows.every((r) => (r[0] === 0) === (r[1] === 0))).toBe(true);
    expect(rows.filter((r) => r[0] !== 0).length / c.batch).toBeCloseTo(0.3, 1);
  });
  it('never switches on two anticorrelated features together; each is on w.p. p/2 (paper convention)', () => {
    expect(rows.some((r) => r[2] !== 0 && r[3] !== 0)).toBe(false);
    expect(rows.filter((r) => r[2] !== 0).length / c.batch).toBeCloseTo(0.15, 1);
  });
  it('makes each anticorrelated feature active w.p. p under the marginal convention', () => {
    const m = cfg({ n: 4, anticorrelatedSets: 2, anticorrelatedConvention: 'marginal', sparsity: 0.8, batch: 20000 });
    const { x: xm } = batchOf(m);
    let on = 0;
    for (let b = 0; b < m.batch; b++) if (xm[b * 4] !== 0) on++;
    expect(on / m.batch).toBeCloseTo(0.2, 1);
  });
  it('keeps independent features at density p', () => {
    expect(rows.filter((r) => r[4] !== 0).length / c.batch).toBeCloseTo(0.3, 1);
  });
});

it('the default config is valid', () => {
  expect(validateConfig(DEFAULT_CONFIG).ok).toBe(true);
});
