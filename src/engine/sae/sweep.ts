// Sharkey et al.'s experiment (science.md §6.4): SAEs of several dictionary sizes D = ratio × G on
// synthetic data with G known features, each size with K instances spread over a log range of λ.
// The grid of final MMCS (and L0, dead fraction, reconstruction) over (ratio, λ) shows the finding:
// MMCS → 1 once D ≥ G for mid-range λ; D = G/2 cannot cover every feature.
// Pure (no tfjs): the trainer comes from a factory, so the worker, the CLI and tests share it.

import { sharkeySource, type ActivationSource } from './activations';
import { createRng } from '../shared/rng';
import type { SaeEngine } from './core';
import { instanceL1, validateSaeConfig, type SaeConfig } from './config';
import type { ValidateOptions } from '../shared/fields';

export interface SaeSweepSpec {
  /** dictionary sizes as multiples of the number of true features G */
  ratios: number[];
  /** data: 'sharkey'; l1Range spreads λ over the instances; saeSteps per dictionary size */
  sae: SaeConfig;
}

export interface SaeSweepGrid {
  /** [ratio][λ] */
  mmcs: number[][];
  l0: number[][];
  deadFraction: number[][];
  reconstruction: number[][];
}

export interface SaeSweepRecord {
  version: 1;
  kind: 'sae-sweep';
  sae: SaeConfig;
  ratios: number[];
  dictSizes: number[];
  /** λ of each column (instance) */
  l1: number[];
  grid: SaeSweepGrid;
  /** per ratio: [step, mmcs_0 … mmcs_{K−1}] every curveEvery steps */
  curves: number[][][];
  engine: string;
  /** per ratio, seconds of training */
  secondsPerRatio: number[];
  seconds: number;
}

export const DEFAULT_SWEEP_RATIOS = [0.5, 1, 2, 4] as const;

/**
 * The scaled-down default of the benchmark: d = 32, G = 64 (G/d = 2 as in the paper's 512/256),
 * 5 active features; 6 λ log-spaced from 1e-3 to 0.1 (dense codes … starved latents, the recovery peak near
 * 0.01 in between), batch 256, Adam 3e-3, 3000 steps per dictionary size.
 */
export const SWEEP_DEFAULTS: Partial<SaeConfig> = {
  data: 'sharkey',
  sharkeyDim: 32,
  sharkeyFeatures: 64,
  sharkeyActive: 5,
  l1Range: [1e-3, 0.1],
  saeInstances: 6,
  saeSteps: 3000,
  saeBatch: 256,
  saeLr: 3e-3,
  resample: false,
};

export function dictSizeFor(ratio: number, G: number): number {
  return Math.max(1, Math.round(ratio * G));
}

/** Check the ratios (and the SAE config of the largest dictionary); one message per problem. */
export function validateSweepRatios(ratios: readonly number[], sae: SaeConfig, opts: ValidateOptions = {}): string[] {
  const errors: string[] = [];
  if (!ratios.length) errors.push('ratios: give at least one dictionary ratio, e.g. 0.5,1,2,4');
  for (const r of ratios) if (!Number.isFinite(r) || r <= 0 || r > 64) errors.push(`ratios: each must be a number above 0 and at most 64; got ${r}`);
  if (sae.data !== 'sharkey') errors.push('the sweep runs on Sharkey data (data = sharkey)');
  if (!errors.length) {
    const largest = dictSizeFor(Math.max(...ratios), sae.sharkeyFeatures);
    const check = validateSaeConfig({ dictSize: largest }, sae, opts);
    errors.push(...check.errors.map((e) => `at ratio ${Math.max(...ratios)} (${opts.naming === 'flag' ? '--dict-size' : 'dictSize'} ${largest}): ${e}`));
  }
  return errors;
}

export type SaeTrainerFactory = (config: SaeConfig, source: ActivationSource) => SaeEngine;

/** The same ground truth and the same activation stream for every dictionary size. */
export function sweepSource(sae: SaeConfig): ActivationSource {
  return sharkeySource(sae.sharkeyDim, sae.sharkeyFeatures, sae.sharkeyActive, createRng(sae.saeSeed).fork(13));
}

/**
 * The sweep as a resumable state machine: advance(k) trains up to k steps of the current
 * dictionary size, finishing a row of the grid whenever a size reaches saeSteps. The worker
 * calls it in time slices; runSaeSweep below loops it to the end.
 */
export class SaeSweep {
  readonly ratios: number[];
  readonly dictSizes: number[];
  readonly l1: number[];
  readonly grid: SaeSweepGrid;
  readonly curves: number[][][];
  readonly secondsPerRatio: number[];
  /** index of the dictionary size being trained (= ratios.length when done) */
  row = 0;
  engine = '';
  private trainer: SaeEngine | null = null;
  private rowStarted = 0;
  private readonly curveEvery: number;

  constructor(readonly spec: SaeSweepSpec, private readonly create: SaeTrainerFactory, private readonly now: () => number = () => performance.now()) {
    const { sae, ratios } = spec;
    this.ratios = [...ratios];
    this.dictSizes = ratios.map((r) => dictSizeFor(r, sae.sharkeyFeatures));
    this.l1 = instanceL1(sae);
    const nan = () => ratios.map(() => this.l1.map(() => NaN));
    this.grid = { mmcs: nan(), l0: nan(), deadFraction: nan(), reconstruction: nan() };
    this.curves = ratios.map(() => []);
    this.secondsPerRatio = ratios.map(() => NaN);
    this.curveEvery = Math.max(1, Math.ceil(sae.saeSteps / 50));
  }

  get done(): boolean {
    return this.row >= this.ratios.length;
  }

  /** steps finished over the whole sweep, and the total */
  progress(): { steps: number; total: number } {
    const per = this.spec.sae.saeSteps;
    return { steps: Math.min(this.row, this.ratios.length) * per + (this.trainer?.stepsDone ?? 0), total: this.ratios.length * per };
  }

  /**
   * Work finished and in total, in steps × latents (a step of a D-latent dictionary costs ∝ D), so
   * done/total over elapsed time gives an ETA that the larger dictionaries at the end do not fool.
   */
  work(): { done: number; total: number } {
    const per = this.spec.sae.saeSteps;
    let done = 0, total = 0;
    this.dictSizes.forEach((D, r) => {
      total += per * D;
      if (r < this.row) done += per * D;
      else if (r === this.row) done += (this.trainer?.stepsDone ?? 0) * D;
    });
    return { done, total };
  }

  /** The current size's trainer (for a live look at its decoder), if any. */
  current(): SaeEngine | null {
    return this.trainer;
  }

  /** Train up to k steps; returns the row just finished, if any. */
  advance(k: number): number | null {
    if (this.done) return null;
    const { sae } = this.spec;
    if (!this.trainer) {
      const config: SaeConfig = { ...sae, dictSize: this.dictSizes[this.row] };
      this.trainer = this.create(config, sweepSource(sae));
      this.engine = this.trainer.engine;
      this.rowStarted = this.now();
    }
    const t = this.trainer;
    // stop on curve points and at the end of the row
    const todo = Math.min(k, sae.saeSteps - t.stepsDone, this.curveEvery - (t.stepsDone % this.curveEvery));
    const point = (t.stepsDone + todo) % this.curveEvery === 0 || t.stepsDone + todo >= sae.saeSteps;
    const stats = t.step(todo, { mmcs: point }); // MMCS costs L·G·d: only where it is recorded
    if (point) this.curves[this.row].push([t.stepsDone, ...stats.map((s) => s.mmcs)]);
    if (t.stepsDone < sae.saeSteps) return null;
    const r = this.row;
    stats.forEach((s, i) => {
      this.grid.mmcs[r][i] = s.mmcs;
      this.grid.l0[r][i] = s.l0;
      this.grid.deadFraction[r][i] = s.deadFraction;
      this.grid.reconstruction[r][i] = s.reconstruction;
    });
    this.secondsPerRatio[r] = (this.now() - this.rowStarted) / 1000;
    t.dispose();
    this.trainer = null;
    this.row++;
    return r;
  }

  dispose(): void {
    this.trainer?.dispose();
    this.trainer = null;
  }

  record(seconds: number): SaeSweepRecord {
    return {
      version: 1, kind: 'sae-sweep', sae: this.spec.sae, ratios: this.ratios, dictSizes: this.dictSizes, l1: this.l1,
      grid: this.grid, curves: this.curves, engine: this.engine, secondsPerRatio: this.secondsPerRatio, seconds,
    };
  }
}

/** The whole sweep, synchronously. */
export function runSaeSweep(
  spec: SaeSweepSpec, create: SaeTrainerFactory, onRow?: (row: number, sweep: SaeSweep) => void, onProgress?: (sweep: SaeSweep) => void,
): SaeSweepRecord {
  const t0 = performance.now();
  const sweep = new SaeSweep(spec, create);
  try {
    while (!sweep.done) {
      const row = sweep.advance(1_000_000); // stops at each curve point (50 a row)
      onProgress?.(sweep);
      if (row !== null) onRow?.(row, sweep);
    }
  } finally {
    sweep.dispose();
  }
  return sweep.record((performance.now() - t0) / 1000);
}
