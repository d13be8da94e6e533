// Train a config to the end in chunks, keeping a loss curve and the final loss averaged over
// the last 1% of steps. Synchronous; used by the CLI, the benches and the tests.

import type { Trainer } from './trainer';

/** What "final loss" means everywhere (header, Loss panel, JSON, CLI): one sentence for captions and tooltips. */
export const FINAL_LOSS_WORDS = 'final loss = mean training loss over the last 1 % of steps';

/** Steps the final loss averages over: the last 1 % of the run (at least one). */
export const finalLossSteps = (totalSteps: number): number => Math.max(1, Math.floor(totalSteps / 100));

export interface RunProgress {
  step: number;
  total: number;
  losses: Float32Array;
  stepsPerSecond: number;
}

export interface RunOutcome {
  lossCurve: number[][];
  finalLosses: Float32Array;
  seconds: number;
}

export function trainToEnd(trainer: Trainer, opts: { curvePoints?: number; onProgress?: (p: RunProgress) => void } = {}): RunOutcome {
  const total = trainer.config.steps;
  const tail = finalLossSteps(total);
  const every = Math.max(1, Math.ceil(total / (opts.curvePoints ?? 200)));
  const lossCurve: number[][] = [];
  let finalLosses: Float32Array = new Float32Array(trainer.config.instances);
  const t0 = performance.now();
  while (trainer.stepsDone < total) {
    const done = trainer.stepsDone;
    const nextMark = Math.min((Math.floor(done / every) + 1) * every, total);
    // the last 1% is one chunk, so its mean is the final loss
    const end = done < total - tail ? Math.min(nextMark, total - tail) : total;
    const losses = trainer.step(end - done);
    if (end === total) finalLosses = losses;
    if (end % every === 0 || end === total) lossCurve.push([end, ...Array.from(losses)]);
    opts.onProgress?.({ step: end, total, losses, stepsPerSecond: end / ((performance.now() - t0) / 1000) });
  }
  return { lossCurve, finalLosses, seconds: (performance.now() - t0) / 1000 };
}
