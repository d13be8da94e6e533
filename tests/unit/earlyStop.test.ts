// Early stopping of the views' passes (engine/views/earlyStop.ts): the rule on hand-made sequences, and on a
// real training run, where the pass that stops early shows what the full run shows.

import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { StabilityWatch, STOP_RULE, stopsEarly } from '../../src/engine/views/earlyStop';
import { trainViewRun } from '../../src/engine/views/runner';
import { findRunSpec, runConfig, type SweepResult } from '../../src/engine/views/views';

beforeAll(async () => {
  await initBackend(['wasm']);
});

const spec = (id: string) => findRunSpec(id)!.run;

describe('the stopping rule', () => {
  // correlated: n = 4, m = 2, 5 instances; the outcome is the mean angle within each kind of pair, to 10°
  const run = spec('correlated');
  const config = (() => {
    const made = runConfig(run, { steps: 3000 });
    if (!made.ok) throw new Error(made.errors.join());
    return made.config;
  })();
  const K = config.instances;
  // every instance: features 1 ⟂ 2 (the correlated pair) and 3 ⟂ 4, each a unit vector
  const orthogonal = Float32Array.from({ length: K * 8 }, (_, i) => [1, 0, 1, 0, 0, 1, 0, 1][i % 8]);
  const tilted = Float32Array.from({ length: K * 8 }, (_, i) => [1, 0.7, 1, 0, 0, 0.7, 0, 1][i % 8]); // features 1, 2 at 45°
  const snap = (step: number, W: Float32Array) => ({ step, K, n: 4, m: 2, W, b: new Float32Array(K * 4) });
  const flat = (v: number) => new Float32Array(K).fill(v);

  it('stops after `checks` checks in a row with the same outcome and a flat loss, not before minShare of the steps', () => {
    const w = new StabilityWatch(run, config);
    const stops: number[] = [];
    for (let step = 250; step <= 3000; step += 250) if (w.observe(snap(step, orthogonal), flat(0.01))) stops.push(step);
    // checks at 250 (first), 500, 750, 1000 stable → the third stable check is at 1000 ≥ 0.3 · 3000
    expect(STOP_RULE).toMatchObject({ every: 250, checks: 3, minShare: 0.3 });
    expect(w.stoppedAt).toBe(1000);
    expect(stops[0]).toBe(1000);
  });

  it('starts counting again when the outcome changes or the loss still falls', () => {
    const changing = new StabilityWatch(run, config);
    const steps = [250, 500, 750, 1000, 1250, 1500, 1750, 2000];
    const results = steps.map((step) => changing.observe(snap(step, step === 1000 ? tilted : orthogonal), flat(0.01)));
    // stable at 500, 750; 1000 differs and 1250 differs from 1000; stable again at 1500, 1750, 2000 → stops at 2000
    expect(steps[results.indexOf(true)]).toBe(2000);
    const falling = new StabilityWatch(run, config);
    for (let step = 250; step <= 2750; step += 250) falling.observe(snap(step, orthogonal), flat(1 / step)); // −9 % per check at 2750
    expect(falling.stoppedAt).toBeNull();
  });

  it('averages the losses of snapshots between checks, at any cadence', () => {
    const w = new StabilityWatch(run, config);
    // snapshots every 125 steps alternating 0.007 and 0.013 (±30 %): each check's mean is 0.01 → flat
    for (let i = 1; i <= 12 && !w.stoppedAt; i++) w.observe(snap(125 * i, orthogonal), flat(i % 2 ? 0.007 : 0.013));
    expect(w.stoppedAt).toBe(1000);
  });

  it('applies to sweep, dimensionality, correlated and |x| runs; not to phase grids, dynamics or the tied model (saddles)', () => {
    expect(['sweep-relu', 'sweep-linear', 'dimensionality', 'correlated', 'anticorrelated', 'abs-sweep'].every((id) => stopsEarly(spec(id)))).toBe(true);
    expect(['phase-n2m1', 'phase-n3m2', 'dynamics', 'privileged-basis', 'monosemantic'].some((id) => stopsEarly(spec(id)))).toBe(false);
  });
});

describe('trained: stopping early shows what the full run shows', () => {
  it('sparsity sweep (ReLU, the view preset, seed 1): stops before its last step with the full run\'s counts', () => {
    const early = trainViewRun(spec('sweep-relu'));
    const full = trainViewRun(spec('sweep-relu'), { earlyStop: false });
    const counts = (r: SweepResult) => r.instances.map((i) => `${i.represented}/${i.superposed}`);
    const stoppedAt = early.passes[0].stoppedEarly;
    console.log(`sweep-relu: stopped at ${stoppedAt} of ${full.passes[0].config.steps}; early ${counts(early.analysis!.result as SweepResult).join(' ')}, full ${counts(full.analysis!.result as SweepResult).join(' ')}`);
    expect(stoppedAt).not.toBeNull();
    expect(stoppedAt!).toBeLessThan(full.passes[0].config.steps);
    expect(early.passes[0].snapshot.step).toBe(stoppedAt);
    expect(full.passes[0].stoppedEarly).toBeNull();
    expect(counts(early.analysis!.result as SweepResult)).toEqual(counts(full.analysis!.result as SweepResult));
  }, 60_000);
});
