// The typed conversation between the page and the SAE worker (sae.worker.ts). Separate from the
// training worker's protocol.ts: the SAE view runs its own worker(s), one for the live SAE and one
// for the Sharkey sweep. Only plain data and typed arrays cross; the arrays are transferred.

import type { LabConfig } from '../engine/toy/config.ts';
import type { SaeEngineChoice } from '../engine/sae/engine.ts';
import type { SaeConfig } from '../engine/sae/config.ts';

export type { SaeEngineChoice };

/** Where the SAE's activations come from. */
export type BaseSpec =
  /** train this toy model first (instance 0), then use h = W x */
  | { kind: 'train'; config: LabConfig }
  /** a model the page already has (the live lab's), W: [m][n] of `instance` */
  | { kind: 'given'; config: LabConfig; instance: number; W: Float32Array };

export type ToSaeWorker =
  /** Throw away the current SAE run and start a fresh one (the base model is reused when unchanged). */
  | { type: 'configure'; runId: number; base: BaseSpec; sae: SaeConfig; play: boolean; engine: SaeEngineChoice }
  | { type: 'play' }
  | { type: 'pause' }
  /** same settings, back to SAE step 0 (the trained base model is kept) */
  | { type: 'reset'; runId: number }
  /** the page drew the last snapshot */
  | { type: 'drawn' }
  /** Sharkey-style sweep over dictionary ratio × λ */
  | { type: 'sweep-start'; sweepId: number; ratios: number[]; sae: SaeConfig; engine: SaeEngineChoice }
  | { type: 'sweep-stop' }
  | { type: 'ping'; t: number };

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
}

/** Bins of the latent activation histograms. */
export const HIST_BINS = 24;

export interface SaeSnapshotMessage {
  type: 'snapshot';
  runId: number;
  step: number;
  K: number;
  L: number;
  dIn: number;
  G: number;
  /** [K] λ of each instance */
  l1: Float32Array;
  /** [K][dIn][L] unit columns */
  Wdec: Float32Array;
  /** [K][L][dIn] */
  Wenc: Float32Array;
  /** [K][L] */
  benc: Float32Array;
  /** [K][dIn] */
  bdec: Float32Array;
  /** [K][L] 1 = dead */
  dead: Uint8Array;
  /** [K][L][G] cos (signed) */
  cosines: Float32Array;
  /** [K][L] best-matching true direction (−1 if none) */
  bestFeature: Int32Array;
  /** [K] latest per-instance metrics */
  mmcs: Float32Array;
  l0: Float32Array;
  deadFraction: Float32Array;
  loss: Float32Array;
  reconstruction: Float32Array;
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
}

export interface SaeCurvePoints {
  /** [P] */
  steps: Float64Array;
  /** [P][K] each */
  mmcs: Float32Array;
  l0: Float32Array;
  deadFraction: Float32Array;
}

export type SaePhase = 'idle' | 'base' | 'sae';

export interface SaeStatusMessage {
  type: 'status';
  runId: number;
  phase: SaePhase;
  /** steps of the current phase */
  step: number;
  totalSteps: number;
  playing: boolean;
  done: boolean;
  stepsPerSecond: number;
  engine: string;
  /** the base model's engine */
  baseEngine: string;
}

export interface SweepMessage {
  type: 'sweep';
  sweepId: number;
  ratios: number[];
  dictSizes: number[];
  l1: number[];
  /** [R][K] each; NaN where not trained yet */
  mmcs: Float32Array;
  l0: Float32Array;
  deadFraction: Float32Array;
  reconstruction: Float32Array;
  /** the row (ratio) being trained, and the latest MMCS of its instances (live) */
  row: number;
  liveMmcs: Float32Array;
  steps: number;
  totalSteps: number;
  stepsPerSecond: number;
  done: boolean;
  stopped: boolean;
  engine: string;
  seconds: number;
}

export type FromSaeWorker =
  | BaseMessage
  | SaeSnapshotMessage
  | SaeStatusMessage
  | SweepMessage
  | { type: 'pong'; t: number }
  | { type: 'error'; runId: number | null; sweepId?: number; message: string };

export function snapshotTransferables(m: SaeSnapshotMessage): ArrayBuffer[] {
  return [
    m.l1, m.Wdec, m.Wenc, m.benc, m.bdec, m.dead, m.cosines, m.bestFeature, m.mmcs, m.l0, m.deadFraction, m.loss, m.reconstruction, m.resampled,
    m.curve.steps, m.curve.mmcs, m.curve.l0, m.curve.deadFraction, m.hist, m.histMax, m.fireRate,
  ].map((a) => a.buffer as ArrayBuffer);
}

export function sweepTransferables(m: SweepMessage): ArrayBuffer[] {
  return [m.mmcs, m.l0, m.deadFraction, m.reconstruction, m.liveMmcs].map((a) => a.buffer as ArrayBuffer);
}
