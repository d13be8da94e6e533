// Sharkey et al.'s finding on a small config (science.md §6.4, A8 scaled down): with a dictionary at
// least as large as the number of true features and λ mid-range, the SAE recovers nearly every
// feature (MMCS → 1); with half as many latents as features it cannot; λ too small or too large hurts.

import { describe, expect, it } from 'vitest';
import { SaeFusedTrainer } from '../../src/engine/sae/fused';
import { validateSaeConfig, type SaeConfig } from '../../src/engine/sae/config';
import { dictSizeFor, runSaeSweep, SaeSweep, SWEEP_DEFAULTS, validateSweepRatios } from '../../src/engine/sae/sweep';

const sweepConfig = (over: Partial<Record<keyof SaeConfig, unknown>> = {}): SaeConfig => {
  const r = validateSaeConfig({ ...SWEEP_DEFAULTS, ...over });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};

describe('Sharkey sweep', () => {
  it('reproduces the finding: MMCS → 1 for D/G ≥ 1 at mid-range λ, capped for D/G = 0.5', () => {
    // d = 16, G = 32, 3 active; λ = 1e-3 … 0.3 over 6 instances; 2000 steps per size (≈ 12 s)
    const sae = sweepConfig({ sharkeyDim: 16, sharkeyFeatures: 32, sharkeyActive: 3, l1Range: '0.001:0.3', saeInstances: 6, saeSteps: 2000 });
    const rec = runSaeSweep({ ratios: [0.5, 1, 2], sae }, (c, s) => new SaeFusedTrainer(c, s));
    const best = rec.grid.mmcs.map((row) => Math.max(...row));
    const argBest = rec.grid.mmcs.map((row) => row.indexOf(Math.max(...row)));
    console.log(`λ ${rec.l1.map((x) => x.toExponential(1)).join(' ')}\n${rec.grid.mmcs.map((row, r) => `D/G ${rec.ratios[r]}: ${row.map((x) => x.toFixed(3)).join(' ')}`).join('\n')}\n(${rec.seconds.toFixed(1)} s)`);
    expect(rec.dictSizes).toEqual([16, 32, 64]);
    expect(best[0]).toBeLessThan(0.85); // 16 latents for 32 features
    expect(best[1]).toBeGreaterThan(0.9);
    expect(best[2]).toBeGreaterThan(0.95);
    expect(best[1]).toBeGreaterThan(best[0] + 0.1);
    for (const r of [1, 2]) {
      const row = rec.grid.mmcs[r];
      expect(argBest[r]).toBeGreaterThan(0); // not the smallest λ …
      expect(argBest[r]).toBeLessThan(row.length - 1); // … nor the largest
      expect(best[r] - row[0]).toBeGreaterThan(0.15); // dense codes mix features
      expect(best[r] - row[row.length - 1]).toBeGreaterThan(0.2); // starved latents
      expect(rec.grid.l0[r][0]).toBeGreaterThan(3 * rec.grid.l0[r][argBest[r]]); // small λ: dense codes
      expect(rec.grid.l0[r][row.length - 1]).toBeLessThan(1); // large λ: almost nothing fires
    }
    expect(rec.curves[2].at(-1)![0]).toBe(2000);
  }, 60_000);

  it('advances in slices, finishing one row at a time, and reports progress', () => {
    const sae = sweepConfig({ sharkeyDim: 8, sharkeyFeatures: 8, sharkeyActive: 2, saeInstances: 2, saeSteps: 50, saeBatch: 32 });
    const s = new SaeSweep({ ratios: [0.5, 1], sae }, (c, src) => new SaeFusedTrainer(c, src));
    expect(s.progress()).toEqual({ steps: 0, total: 100 });
    const finished: (number | null)[] = [];
    while (!s.done) finished.push(s.advance(20));
    expect(finished.filter((x) => x !== null)).toEqual([0, 1]);
    expect(s.progress()).toEqual({ steps: 100, total: 100 });
    expect(s.grid.mmcs.flat().every(Number.isFinite)).toBe(true);
    expect(s.advance(10)).toBeNull();
  });

  it('checks ratios and the largest dictionary with clear messages', () => {
    const sae = sweepConfig();
    expect(validateSweepRatios([0.5, 1, 2, 4], sae)).toEqual([]);
    expect(validateSweepRatios([], sae)[0]).toMatch(/at least one dictionary ratio/);
    expect(validateSweepRatios([0, 1], sae)[0]).toMatch(/each must be a number above 0 and at most 64; got 0/);
    expect(validateSweepRatios([1], { ...sae, data: 'toy' })[0]).toMatch(/Sharkey data/);
    const huge = validateSweepRatios([64], { ...sae, saeBatch: 65_536, sharkeyFeatures: 4096 });
    expect(huge[0]).toMatch(/at ratio 64 \(dictSize 262144\): dictSize must be an integer from 1 to 16384/);
    expect(dictSizeFor(0.5, 64)).toBe(32);
  });
});
