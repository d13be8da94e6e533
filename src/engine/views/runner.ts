// Train a view's runs headless (CLI --view, the bench, the tests), with the same definitions and
// analyses as the page: every pass of every run in turn, frames recorded where the run asks.

import type { LabConfig } from '../toy/config';
import { createTrainer, type EngineChoice } from '../index';
import { trainToEnd, type RunProgress } from '../toy/runner';
import type { Snapshot } from '../toy/snapshot';
import type { Trainer } from '../toy/trainer';
import { StabilityWatch, stopsEarly, STOP_RULE } from './earlyStop';
import { analyzeRun, passesOf, recordPlan, runConfig, runsOf, type Frame, type ViewAnalysis, type ViewRunSpec } from './views';

export interface PassOutcome {
  config: LabConfig;
  snapshot: Snapshot;
  finalLosses: Float32Array;
  lossCurve: number[][];
  seconds: number;
  engine: string;
  /** the step it stopped at because its analysis had settled (earlyStop.ts), or null when it ran all its steps */
  stoppedEarly: number | null;
}

export interface RunOutcome {
  spec: ViewRunSpec;
  passes: PassOutcome[];
  frames: Frame[];
  analysis: ViewAnalysis | null;
  /** wall time of all passes */
  seconds: number;
}

export interface HeadlessOptions {
  overrides?: Partial<LabConfig>;
  engine?: EngineChoice;
  curvePoints?: number;
  /** stop a pass once its analysis is stable (earlyStop.ts; default true) */
  earlyStop?: boolean;
  onProgress?: (run: ViewRunSpec, pass: number, p: RunProgress) => void;
}

/** Train in steps of `every`, keeping instance 0's parameters after each (and at step 0). */
function trainRecording(trainer: Trainer, every: number, max: number, onProgress?: (p: RunProgress) => void): { frames: Frame[]; outcome: ReturnType<typeof trainToEnd> } {
  const total = trainer.config.steps;
  const frameOf = (loss: number): Frame => {
    const s = trainer.snapshot();
    const size = s.m * s.n;
    return { step: s.step, W: s.W.slice(0, size), b: s.b.slice(0, s.n), loss };
  };
  const frames: Frame[] = [frameOf(NaN)];
  const lossCurve: number[][] = [];
  const t0 = performance.now();
  let losses: Float32Array = new Float32Array(trainer.config.instances);
  while (trainer.stepsDone < total) {
    const k = Math.min(every, total - trainer.stepsDone);
    losses = trainer.step(k);
    lossCurve.push([trainer.stepsDone, ...Array.from(losses)]);
    if (frames.length < max) frames.push(frameOf(losses[0]));
    onProgress?.({ step: trainer.stepsDone, total, losses, stepsPerSecond: trainer.stepsDone / ((performance.now() - t0) / 1000) });
  }
  return { frames, outcome: { lossCurve, finalLosses: losses, seconds: (performance.now() - t0) / 1000 } };
}

/** Train in checks of STOP_RULE.every steps until the run's analysis is stable or the steps run out. */
function trainUntilStable(trainer: Trainer, spec: ViewRunSpec, onProgress?: (p: RunProgress) => void): { outcome: ReturnType<typeof trainToEnd>; stoppedAt: number | null } {
  const total = trainer.config.steps;
  const watch = new StabilityWatch(spec, trainer.config);
  const lossCurve: number[][] = [];
  const t0 = performance.now();
  let losses: Float32Array = new Float32Array(trainer.config.instances);
  while (trainer.stepsDone < total) {
    losses = trainer.step(Math.min(STOP_RULE.every, total - trainer.stepsDone));
    lossCurve.push([trainer.stepsDone, ...Array.from(losses)]);
    onProgress?.({ step: trainer.stepsDone, total, losses, stepsPerSecond: trainer.stepsDone / ((performance.now() - t0) / 1000) });
    if (watch.observe(trainer.snapshot(), losses)) break;
  }
  // final losses: the mean over the last check's steps
  return { outcome: { lossCurve, finalLosses: losses, seconds: (performance.now() - t0) / 1000 }, stoppedAt: watch.stoppedAt };
}

export function trainViewRun(spec: ViewRunSpec, opts: HeadlessOptions = {}): RunOutcome {
  const passes: PassOutcome[] = [];
  let frames: Frame[] = [];
  const t0 = performance.now();
  for (let pass = 0; pass < passesOf(spec); pass++) {
    const made = runConfig(spec, opts.overrides, pass);
    if (!made.ok) throw new Error(`view run ${spec.id}: ${made.errors.join('; ')}`);
    const config = made.config;
    const trainer = createTrainer(config, opts.engine ?? spec.engine ?? 'auto');
    try {
      const progress = opts.onProgress ? (p: RunProgress) => opts.onProgress!(spec, pass, p) : undefined;
      const plan = recordPlan(spec, config);
      let outcome;
      let stoppedEarly: number | null = null;
      if (plan) ({ frames, outcome } = trainRecording(trainer, plan.every, plan.max, progress));
      else if (opts.earlyStop !== false && stopsEarly(spec)) ({ outcome, stoppedAt: stoppedEarly } = trainUntilStable(trainer, spec, progress));
      else outcome = trainToEnd(trainer, { curvePoints: opts.curvePoints ?? 200, onProgress: progress });
      const snapshot = trainer.snapshot();
      snapshot.losses = outcome.finalLosses;
      passes.push({ config, snapshot, finalLosses: outcome.finalLosses, lossCurve: outcome.lossCurve, seconds: outcome.seconds, engine: trainer.engine, stoppedEarly });
    } finally {
      trainer.dispose();
    }
  }
  const analysis = analyzeRun(spec, passes[0].config, passes.map((p) => p.snapshot), frames);
  return { spec, passes, frames, analysis, seconds: (performance.now() - t0) / 1000 };
}

/** Every run of a view id (or the one run of a run id). */
export function trainView(target: string, opts: HeadlessOptions = {}): RunOutcome[] {
  const runs = runsOf(target);
  if (!runs.length) throw new Error(`unknown view "${target}"`);
  return runs.map((spec) => trainViewRun(spec, opts));
}
