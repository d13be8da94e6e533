// The benchmark's two tables. Adding a config or an engine is one line here.

import type { BenchConfig, EngineSpec, StepPlan } from './types';

const base = { model: 'relu-output', batch: 1024, importanceDecay: 0.9, lr: 1e-3, seed: 1 } as const;

/** Configs of ../shared/perf.md plus the sparse line of issue 8. */
export const CONFIGS: readonly BenchConfig[] = [
  { ...base, id: 'a', n: 5, m: 2, instances: 1, sparsity: 0.9, steps: 2000, quickSteps: 300 },
  { ...base, id: 'b', n: 20, m: 5, instances: 10, sparsity: 0.9, steps: 2000, quickSteps: 200, lossTolerance: 0.05 },
  { ...base, id: 'c', n: 100, m: 20, instances: 1, sparsity: 0.9, steps: 400, quickSteps: 100 },
  { ...base, id: 'd', n: 100, m: 20, instances: 1, sparsity: 0.99, steps: 400, quickSteps: 100 },
];

/** tfjs-cpu is 25–45x slower than torch on the bigger configs (perf.md): keep it to a few steps there. */
const slowCap = (c: BenchConfig, quick: boolean) => (c.n * c.m * c.instances <= 100 ? (quick ? 100 : 300) : quick ? 15 : 40);

/** Node engines, fastest first. 'fused' reports "unavailable" until createTrainer(cfg, 'fused') stops throwing. */
export const ENGINES: readonly EngineSpec[] = [
  { id: 'fused', engine: 'fused', backend: null },
  { id: 'tfjs-wasm', engine: 'tfjs', backend: 'wasm' },
  { id: 'tfjs-cpu', engine: 'tfjs', backend: 'cpu', maxSteps: slowCap },
  // WebGL in a worker (OffscreenCanvas; SwiftShader in headless Chromium here): measured so the lab's backend choice rests on numbers
  { id: 'tfjs-webgl', engine: 'tfjs', backend: 'webgl', maxSteps: slowCap, browserOnly: true },
];

export function configLabel(c: BenchConfig): string {
  const model = c.model === 'relu-output' ? '' : `${c.model}, `;
  return `(${c.id}) ${model}n=${c.n}, m=${c.m}, K=${c.instances}, S=${c.sparsity}`;
}

/** Total steps of config c for an engine (undefined: torch / no cap). */
export function totalSteps(c: BenchConfig, quick: boolean, override?: number, engine?: EngineSpec): number {
  const steps = override ?? (quick ? c.quickSteps : c.steps);
  return engine?.maxSteps ? Math.min(steps, engine.maxSteps(c, quick)) : steps;
}

/**
 * Warm-up, block size and loss tail for a run of `steps` steps: up to 20 untimed warm-up steps (10%),
 * blocks of about a tenth of the timed steps (at most 50, as in perf.md), loss over the last 1%.
 */
export function stepPlan(steps: number): StepPlan {
  const warmup = Math.min(20, Math.floor(steps / 10));
  const timed = steps - warmup;
  const block = Math.max(1, Math.min(50, Math.floor(timed / 10)));
  return { steps, warmup, block, tail: Math.max(1, Math.floor(steps / 100)) };
}

/** Rough FLOP per step (perf.md): 10·B·K·m·n + 20·B·K·n. */
export function flopPerStep(c: BenchConfig): number {
  return 10 * c.batch * c.instances * c.m * c.n + 20 * c.batch * c.instances * c.n;
}
