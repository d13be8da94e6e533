// Shared shapes of the benchmark: what a config and an engine are, what one measurement returns.
// Used by the Node bench (node.ts, child.ts), the CLI (run.ts) and the browser bench (browser.ts).

import type { BackendName, EngineName, ModelKind } from '../src/engine';

/** One benchmark configuration (a line group of the table). */
export interface BenchConfig {
  /** short id used by --only, e.g. 'b' */
  id: string;
  model: ModelKind;
  n: number;
  m: number;
  instances: number;
  sparsity: number;
  importanceDecay: number;
  batch: number;
  lr: number;
  seed: number;
  /** total optimiser steps per engine (warm-up included), full run / --quick */
  steps: number;
  quickSteps: number;
  /** when set, the final loss of each engine that ran the same number of steps as torch must be within this relative difference */
  lossTolerance?: number;
}

/** One engine of the Node bench. */
export interface EngineSpec {
  /** id used by --engines and in the table, e.g. 'tfjs-wasm' */
  id: string;
  /** argument of createTrainer */
  engine: EngineName;
  /** TF.js backend to select first (null: the engine does not use TF.js) */
  backend: BackendName | null;
  /** cap on total steps for slow engines (their loss is then not comparable with torch's) */
  maxSteps?: (c: BenchConfig, quick: boolean) => number;
  /** only measured in the browser (e.g. WebGL, which Node lacks) */
  browserOnly?: boolean;
}

/** Step plan of one measurement: the same rules for every engine and for torch. */
export interface StepPlan {
  /** total optimiser steps, warm-up included */
  steps: number;
  /** untimed warm-up steps (the first ones) */
  warmup: number;
  /** steps per timed block; steps/s is taken from the median block */
  block: number;
  /** the reported loss is the mean over the last `tail` steps (1% of steps, at least 1) */
  tail: number;
}

export interface Measurement extends StepPlan {
  timedSteps: number;
  /** number of full blocks timed */
  blocks: number;
  /** median over full blocks of ms per step (the main figure) */
  medianBlockMs: number;
  bestBlockMs: number;
  /** wall-clock ms per step over all timed steps */
  wallMsPerStep: number;
  /** 1000 / medianBlockMs */
  stepsPerS: number;
  /** per instance: mean loss over the last `tail` steps */
  loss: number[];
}

export type RowStatus = 'ok' | 'unavailable' | 'error';

/** One line of the results: an engine (or torch) on a config, in some environment. */
export interface BenchRow {
  config: string;
  /** engine id ('tfjs-wasm', 'fused', …) or 'torch' */
  engine: string;
  /** where it ran: 'node', 'python', or a browser name such as 'chromium' */
  where: string;
  status: RowStatus;
  /** why a row is unavailable / failed */
  reason?: string;
  /** extra facts: active backend, torch version and threads, … */
  detail?: Record<string, string | number | boolean>;
  result?: Measurement;
}

export type Log = (line: string) => void;

export interface NodeBenchOptions {
  configs: readonly BenchConfig[];
  engines: readonly EngineSpec[];
  quick: boolean;
  /** override the total steps of every config (slow engines keep their cap) */
  steps?: number;
  /** progress lines (default: none) */
  log?: Log;
  /** per-measurement child timeout, ms (default 10 min) */
  timeoutMs?: number;
}

export interface TorchBenchOptions {
  configs: readonly BenchConfig[];
  quick: boolean;
  steps?: number;
  /** python interpreter with torch (default: $TORCH_PYTHON, /usr/bin/python3, python3) */
  python?: string;
  threads?: number;
  log?: Log;
  timeoutMs?: number;
}

/**
 * Contract of bench/browser.ts (written separately; run.ts calls it when the file exists):
 *   export async function runBrowserBench(opts: BrowserBenchOptions): Promise<BenchRow[]>
 * Rows use the same engine ids as the Node bench and `where` = the browser's name; run.ts puts them
 * in the same table with ratios against the same torch runs.
 */
export interface BrowserBenchOptions {
  configs: readonly BenchConfig[];
  /** ids of the engines selected with --engines (the same ids as the Node bench) */
  engines: readonly string[];
  quick: boolean;
  steps?: number;
  /** step plan for a config and engine, identical to the Node bench's */
  plan: (c: BenchConfig, engineId: string) => StepPlan;
  log?: Log;
}

/** What node.ts sends to a bench/child.ts process (serialisable: no functions). */
export interface ChildJob {
  config: BenchConfig;
  engineId: string;
  engine: EngineName;
  backend: BackendName | null;
  plan: StepPlan;
}

/** bench/child.ts prints its BenchRow as one line starting with this. */
export const RESULT_PREFIX = 'BENCH_RESULT ';
