// Early stopping for the paper's views: a pass ends once what its panels show has settled. Every
// STOP_RULE.every steps (a "check") the watch reads the run's analysis and reduces it to its discrete
// outcome (analysis-specific: features represented and superposed per instance, neurons monosemantic
// and polysemantic, …) and takes the mean training loss since the previous check. The pass is stable
// when, at `checks` checks in a row, the outcome is the same and the loss (summed over instances) moved by
// less than `lossTolerance` (relative) from the check before; and it may only stop after `minShare` of its
// planned steps. The headless runner (CLI, bench, tests) and the page (viewsController) use this same
// rule on the same snapshots, so a view's result does not depend on where it trained.

import type { LabConfig } from '../toy/config';
import type { ViewSnapshot } from './analysis/viewSnapshot';
import { analyzeRun, type ViewAnalysis, type ViewRunSpec } from './views';

export interface StopRule {
  /** steps between checks */
  every: number;
  /** consecutive stable checks needed */
  checks: number;
  /** largest relative loss change between two checks that counts as a plateau */
  lossTolerance: number;
  /** never stop before this share of the planned steps */
  minShare: number;
}

export const STOP_RULE: StopRule = { every: 250, checks: 3, lossTolerance: 0.02, minShare: 0.3 };

/**
 * Runs that may stop early: phase grids keep their presets (their passes are combined), dynamics replays the whole
 * run, and the tied ReLU-hidden model sits on saddles, loss and neurons flat for a thousand steps and more before the
 * monosemantic solution appears (measured: its 10k-step preset at lr 1e-3 would stop at step 3000 with the dense end
 * 0/5 monosemantic, where the full run ends 5/5).
 */
export function stopsEarly(run: ViewRunSpec): boolean {
  if (run.config.model === 'relu-hidden-tied') return false;
  return run.analysis === 'sweep' || run.analysis === 'dimensionality' || run.analysis === 'feature-sets' || run.analysis === 'neurons';
}

/** The discrete outcome of an analysis: what a reader takes from the panel, as a string to compare. */
export function outcomeOf(a: ViewAnalysis | null): string {
  if (!a) return '';
  switch (a.kind) {
    case 'sweep':
      return a.result.instances.map((i) => `${i.represented}/${i.superposed}`).join(' ');
    case 'dimensionality':
      // the instances on the 1/2 plateau and how many still give each feature a dimension of its own (≥ 0.9);
      // the dims per feature of a model between regimes drifts slowly for thousands of steps, finer outcomes never settle
      return `plateau ${a.result.plateau.instances.join(',')} dedicated ${a.result.points.filter((p) => p.dimsPerFeature >= 0.9).length}`;
    case 'feature-sets':
      // mean angle per kind to the nearest 10°
      return a.result.instances.map((i) => `${Math.round(i.meanAngle.correlated / 10)}/${Math.round(i.meanAngle.anticorrelated / 10)}`).join(' ');
    case 'neurons':
      return a.result.instances.map((i) => `${i.neurons.length - i.polysemantic - i.dead}/${i.polysemantic}/${i.dead}`).join(' ');
    case 'phase':
      return a.result.cells.map((c) => c.phase).join(',');
    case 'dynamics':
      return a.result.jumps.map((j) => j.to).join(',');
  }
}

/** Watches one pass; `observe` says when it may stop. */
export class StabilityWatch {
  private nextCheck: number;
  private readonly minStep: number;
  private prevOutcome: string | null = null;
  private prevLosses: Float32Array | null = null;
  private stable = 0;
  /** loss × steps summed per instance since the previous check, and the steps that covers */
  private lossSum: Float64Array;
  private lossSteps = 0;
  private lastStep = 0;
  /** the step of the check that made the pass stable, or null */
  stoppedAt: number | null = null;

  constructor(private readonly run: ViewRunSpec, private readonly config: LabConfig, private readonly rule: StopRule = STOP_RULE) {
    this.nextCheck = rule.every;
    this.minStep = Math.ceil(rule.minShare * config.steps);
    this.lossSum = new Float64Array(config.instances);
  }

  /**
   * A snapshot of the pass at `s.step` with `losses`, the mean loss per instance over the steps since the
   * previous call (any cadence: they are averaged up to the next check). Returns true when the pass can stop here.
   */
  observe(s: ViewSnapshot, losses: ArrayLike<number>): boolean {
    if (this.stoppedAt !== null) return true;
    const steps = s.step - this.lastStep;
    if (steps <= 0) return false;
    this.lastStep = s.step;
    for (let k = 0; k < this.lossSum.length; k++) this.lossSum[k] += (losses[k] ?? NaN) * steps;
    this.lossSteps += steps;
    if (s.step < this.nextCheck || s.step >= this.config.steps) return false;
    this.nextCheck = (Math.floor(s.step / this.rule.every) + 1) * this.rule.every;
    const mean = Float32Array.from(this.lossSum, (l) => l / this.lossSteps);
    this.lossSum.fill(0);
    this.lossSteps = 0;
    const outcome = outcomeOf(analyzeRun(this.run, this.config, [s]));
    // the loss summed over instances: a very sparse instance's own mean loss is too noisy to plateau within a few %
    const total = mean.reduce((a, l) => a + l, 0);
    const before = this.prevLosses?.reduce((a, l) => a + l, 0) ?? NaN;
    const plateau = Number.isFinite(total) && Number.isFinite(before) && Math.abs(total - before) <= this.rule.lossTolerance * before;
    this.stable = plateau && outcome === this.prevOutcome ? this.stable + 1 : 0;
    this.prevOutcome = outcome;
    this.prevLosses = mean;
    if (this.stable >= this.rule.checks && s.step >= this.minStep) this.stoppedAt = s.step;
    return this.stoppedAt !== null;
  }
}
