// The typed conversation between the page and the SAE worker (sae.worker.ts). Separate from the
// training worker's protocol.ts: the SAE view runs its own worker(s), one for the live SAE and one
// for the Sharkey sweep. Only plain data and typed arrays cross; the arrays are transferred.

import type { LabConfig } from '../engine/toy/config.ts';
import type { SaeEngineChoice } from '../engine/sae/engine.ts';
import type { SaeConfig } from '../engine/sae/config.ts';
import type { SaeInstanceStats, SaeSnapshot } from '../engine/sae/core.ts';
import type { SaeSweepGrid, SaeSweepRecord } from '../engine/sae/sweep.ts';
import type { saeKernelPath } from '../engine/kernels/saeKernel.ts';
import type { ControlMessage, ErrorMessage, RunStatusFields } from './sharedProtocol.ts';

export type { SaeEngineChoice };

/** Where the SAE's activations come from. */
export type BaseSpec =
  /** train this toy model first (instance 0), then use h = W x */
  | { kind: 'train'; config: LabConfig }
  /** a model the page already has (the live lab's), W: [m][n] of `instance` */
  | { kind: 'given'; config: LabConfig; instance: number; W: Float32Array }
  /** activations the user brought in a file (validated on the page by engine/sae/activationsFile.ts) */
  | FileBaseSpec;

/** A user's activations file, [rows][cols], and optional unit truth directions [truth.rows][cols]. */
export interface FileBaseSpec {
  kind: 'file';
  /** changes whenever the page loads another activations or truth file (the worker caches by it) */
  fileId: number;
  name: string;
  rows: number;
  cols: number;
  values: Float32Array;
  truth: { name: string; rows: number; values: Float32Array } | null;
}

export type ToSaeWorker =
  | ControlMessage
  /** Throw away the current SAE run and start a fresh one (the base model is reused when unchanged). */
  | { type: 'configure'; runId: number; base: BaseSpec; sae: SaeConfig; play: boolean; engine: SaeEngineChoice }
  /** Sharkey-style sweep over dictionary ratio × λ */
  | { type: 'sweep-start'; sweepId: number; ratios: number[]; sae: SaeConfig; engine: SaeEngineChoice }
  | { type: 'sweep-stop' };

/** The base model the SAE reads, sent once per base. */
export interface BaseMessage {
  type: 'base';
  runId: number;
  n: number;
  m: number;
  /** [m][n] */
  W: Float32Array;
  /** unit rows [G][m]: the represented features' directions Ŵ_i */
  trueDirections: Float32Array;
  G: number;
  /** which feature (index into 0..n−1) each true direction is */
  featureOf: Int32Array;
  loss: number;
  geometry: string;
  /** probability that a feature is on (1 − S) */
  density: number;
  /** seconds spent training it (0 when given) */
  seconds: number;
  /** activations from a file: its name and shape, and (d > 3) the top principal components the pictures use */
  file?: { name: string; rows: number; truthName: string | null; /** total variance (Σ over d) of the rows */ variance: number; pca: { components: Float32Array; variances: number[]; total: number; k: number } | null };
}

/** For each latent, the file's rows that activate it most (engine/sae/topRows.ts), sent now and then. */
export interface TopRowsMessage {
  /** the training step they were measured at */
  step: number;
  T: number;
  /** [K][L][T] row indices (−1: fewer rows fire) */
  rows: Int32Array;
  /** [K][L][T] activations */
  values: Float32Array;
}

/** Bins of the latent activation histograms. */
export const HIST_BINS = 24;

/** The SAE trainer's snapshot, its per-instance lists as arrays ([K] of each metric), with what the panels draw. */
export interface SaeSnapshotMessage
  extends Pick<SaeSnapshot, 'step' | 'K' | 'L' | 'dIn' | 'Wdec' | 'Wenc' | 'benc' | 'bdec' | 'dead' | 'cosines'>,
    Record<keyof SaeInstanceStats, Float32Array> {
  type: 'snapshot';
  runId: number;
  G: number;
  /** [K] λ of each instance */
  l1: Float32Array;
  /** [K][L] best-matching true direction (−1 if none) */
  bestFeature: Int32Array;
  /** [K] latents resampled so far */
  resampled: Int32Array;
  /** metric curve points since the previous snapshot */
  curve: SaeCurvePoints;
  /** latent activations on a fixed evaluation batch: [K][L][HIST_BINS] counts of z > 0 in bins of [0, histMax[k]] */
  hist: Float32Array;
  /** [K] upper edge of the histograms */
  histMax: Float32Array;
  /** [K][L] fraction of evaluation inputs on which the latent fires */
  fireRate: Float32Array;
  /** evaluation inputs behind the histograms */
  evalSize: number;
  /** file data only, when freshly measured (about every TOP_ROWS_INTERVAL_MS, and at the end) */
  topRows?: TopRowsMessage;
}

/** [P] steps, and [P][K] of each curve */
export interface SaeCurvePoints extends Record<CurveMetric, Float32Array> {
  steps: Float64Array;
}

export type CurveMetric = keyof Pick<SaeInstanceStats, 'mmcs' | 'l0' | 'deadFraction'>;

export type SaePhase = 'idle' | 'base' | 'sae';

/** Which build of the SAE kernel runs and on how many threads, and why (engine/kernels/saeKernel.ts saeKernelPath). */
export type SaeKernelPath = ReturnType<typeof saeKernelPath>;

export interface SaeStatusMessage extends RunStatusFields {
  phase: SaePhase;
  /** the base model's engine */
  baseEngine: string;
  /** the SAE's kernel path: null before the SAE is built and on the TF.js engine (no kernel) */
  kernel: SaeKernelPath | null;
}

/** The sweep's grid so far ([R][K] each, NaN where not trained yet), as the engine's record names it. */
export interface SweepMessage extends Pick<SaeSweepRecord, 'ratios' | 'dictSizes' | 'l1' | 'engine' | 'seconds'>, Record<keyof SaeSweepGrid, Float32Array> {
  type: 'sweep';
  sweepId: number;
  /** the row (ratio) being trained, and the latest MMCS of its instances (live) */
  row: number;
  liveMmcs: Float32Array;
  steps: number;
  totalSteps: number;
  stepsPerSecond: number;
  done: boolean;
  stopped: boolean;
}

export type FromSaeWorker =
  | BaseMessage
  | SaeSnapshotMessage
  | SaeStatusMessage
  | SweepMessage
  | { type: 'pong'; t: number }
  | (ErrorMessage & { sweepId?: number });

export function snapshotTransferables(m: SaeSnapshotMessage): ArrayBuffer[] {
  return [
    m.l1, m.Wdec, m.Wenc, m.benc, m.bdec, m.dead, m.cosines, m.bestFeature, m.mmcs, m.l0, m.deadFraction, m.loss, m.reconstruction, m.resampled,
    m.curve.steps, m.curve.mmcs, m.curve.l0, m.curve.deadFraction, m.hist, m.histMax, m.fireRate,
    ...(m.topRows ? [m.topRows.rows, m.topRows.values] : []),
  ].map((a) => a.buffer as ArrayBuffer);
}

export function sweepTransferables(m: SweepMessage): ArrayBuffer[] {
  return [m.mmcs, m.l0, m.deadFraction, m.reconstruction, m.liveMmcs].map((a) => a.buffer as ArrayBuffer);
}
