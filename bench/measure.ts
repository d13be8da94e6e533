// Time one trainer in the current process (Node or a browser worker: uses only performance.now).
// Warm-up steps untimed, then timed blocks; steps/s comes from the median block.

import type { Trainer } from '../src/engine';
import type { Measurement, StepPlan } from './types';

/** Split [from, to) into calls of at most `block` steps, aligned to `from`, never straddling `cut`. */
function calls(from: number, to: number, block: number, cut: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = from; s < to; s += block) {
    const e = Math.min(s + block, to);
    if (cut > s && cut < e) out.push([s, cut], [cut, e]);
    else out.push([s, e]);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Run `plan.steps` steps on `trainer` and time them. `beforeTimed` runs between warm-up and the
 * timed part (e.g. a GC). step(k) returns the mean loss over its k steps, so calls are cut at the
 * start of the loss tail to average exactly the last `plan.tail` steps.
 */
export function measureTrainer(trainer: Trainer, plan: StepPlan, beforeTimed?: () => void): Measurement {
  const { steps, warmup, block, tail } = plan;
  const K = trainer.config.instances;
  const tailFrom = steps - tail;
  const tailSum = new Float64Array(K);
  const run = (s: number, e: number) => {
    const losses = trainer.step(e - s);
    if (s >= tailFrom) for (let k = 0; k < K; k++) tailSum[k] += losses[k] * (e - s);
  };

  for (const [s, e] of calls(0, warmup, Math.max(1, warmup), tailFrom)) run(s, e);
  beforeTimed?.();

  const blockMs: number[] = [];
  const t0 = performance.now();
  for (const [s, e] of calls(warmup, steps, block, tailFrom)) {
    const tb = performance.now();
    run(s, e);
    if (e - s === block) blockMs.push((performance.now() - tb) / block);
  }
  const timedSteps = steps - warmup;
  const wallMsPerStep = (performance.now() - t0) / timedSteps;
  if (blockMs.length === 0) blockMs.push(wallMsPerStep);
  const medianBlockMs = median(blockMs);
  return {
    ...plan,
    timedSteps,
    blocks: blockMs.length,
    medianBlockMs,
    bestBlockMs: Math.min(...blockMs),
    wallMsPerStep,
    stepsPerS: 1000 / medianBlockMs,
    loss: Array.from(tailSum, (x) => x / tail),
  };
}
