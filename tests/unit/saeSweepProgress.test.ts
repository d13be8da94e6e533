// The SAE sweep's progress for the CLI's bar: work in steps × latents (so the ETA weighs the large
// dictionaries at the end), reported after every chunk, and the bar's line with its ETA.

import { describe, expect, it } from 'vitest';
import { SaeFusedTrainer } from '../../src/engine/sae/fused';
import { validateSaeConfig, type SaeConfig } from '../../src/engine/sae/config';
import { runSaeSweep, SWEEP_DEFAULTS } from '../../src/engine/sae/sweep';
import { clock, sweepLine } from '../../src/cli/progress';

function sweepConfig(over: Record<string, unknown>): SaeConfig {
  const r = validateSaeConfig({ ...SWEEP_DEFAULTS, ...over });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
}

describe('SAE sweep progress', () => {
  it('reports work done in steps × latents after every chunk, monotone, ending at the total', () => {
    const sae = sweepConfig({ sharkeyDim: 8, sharkeyFeatures: 16, sharkeyActive: 2, saeInstances: 2, saeSteps: 100 });
    const seen: { done: number; total: number; row: number }[] = [];
    const rec = runSaeSweep({ ratios: [0.5, 2], sae }, (c, s) => new SaeFusedTrainer(c, s), undefined, (sw) => seen.push({ ...sw.work(), row: sw.row }));
    expect(rec.dictSizes).toEqual([8, 32]);
    const total = 100 * 8 + 100 * 32;
    expect(seen.every((p) => p.total === total)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
    expect(seen.at(-1)!.done).toBe(total);
    // the first size is a fifth of the work though it is half of the steps
    const endOfFirst = seen.find((p) => p.row === 1)!;
    expect(endOfFirst.done / total).toBeCloseTo(0.2, 5);
    expect(seen.length).toBeGreaterThanOrEqual(2 * 50); // a report per curve point
  });

  it("draws the bar's line with an ETA from the work fraction", () => {
    const line = sweepLine({ row: 1, rows: 4, ratio: 1, dictSize: 512, step: 250, steps: 5000, workDone: 1000, workTotal: 4000, elapsedSeconds: 60 });
    expect(line).toContain('25.0%');
    expect(line).toContain('D/G 1 (D = 512, size 2/4) step 250/5000');
    expect(line).toContain('elapsed 01:00');
    expect(line).toContain('ETA 03:00'); // 60 s for a quarter: 180 s to go
    expect(line.startsWith(`[${'#'.repeat(8)}${'.'.repeat(22)}]`)).toBe(true);
    expect(clock(3725)).toBe('1:02:05');
    expect(clock(NaN)).toBe('--:--');
  });
});
