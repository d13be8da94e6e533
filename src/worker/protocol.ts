// The typed conversation between the page and the training worker. One file, two
// discriminated unions: what the page asks (ToWorker) and what the worker says (FromWorker).
// Only plain data and Float32Arrays cross; the arrays are transferred, not copied.

import type { LabConfig, ModelKind } from '../engine/toy/config.ts';
import type { BackendName, EngineChoice } from '../engine/shared/engines.ts';

/** Which trainer to build: 'auto' lets the engine pick the fastest that covers the config. */
export type { EngineChoice };

/** null = as fast as the machine allows; a number caps optimiser steps per second (slow motion). */
export type Speed = number | null;

export type ToWorker =
  /** Throw away the current run and start a fresh one (step 0) with this config. */
  | { type: 'configure'; runId: number; config: LabConfig; play: boolean; backends: readonly BackendName[]; engine: EngineChoice; record?: RecordRequest | null }
  | { type: 'play' }
  | { type: 'pause' }
  /** k optimiser steps, then pause (never past config.steps). */
  | { type: 'step'; k: number }
  /** Same config, back to step 0 (the same seed gives the same run). */
  | { type: 'reset'; runId: number }
  | { type: 'set-speed'; stepsPerSecond: Speed }
  /** The page has drawn the last snapshot: the worker may send the next (back-pressure for slow pages). */
  | { type: 'drawn' }
  /** Heartbeat: the worker answers with 'pong'. */
  | { type: 'ping'; t: number }
  /** Test hook: throw an uncaught error inside the worker. */
  | { type: 'crash' };

/** Keep instance 0's parameters every `every` steps (at most `max` frames, step 0 included): learning dynamics. */
export interface RecordRequest {
  every: number;
  max: number;
}

/** Frames recorded since the previous snapshot (instance 0 only). */
export interface FrameBatch {
  /** [F] */
  steps: Float64Array;
  /** [F][m][n] */
  W: Float32Array;
  /** [F][n] */
  b: Float32Array;
  /** [F] mean loss over the steps since the previous frame (NaN for step 0) */
  losses: Float32Array;
}

/** Metrics of every instance, flattened: arrays of length K·n are instance-major. */
export interface SnapshotMetrics {
  featureNorms: Float32Array;
  superposition: Float32Array;
  featureDimensionality: Float32Array;
  /** [K] */
  dimsPerFeature: Float32Array;
  /** [K] e.g. "pentagon", "2 antipodal pairs" */
  geometry: string[];
  /** [K][n] polytope label of each feature */
  labels: string[][];
  /** m = 2 only: [K] gaps (degrees) between neighbouring represented features */
  angleGaps: number[][] | null;
}

export interface SnapshotMessage {
  type: 'snapshot';
  runId: number;
  step: number;
  model: ModelKind;
  K: number;
  n: number;
  m: number;
  /** [K][m][n] */
  W: Float32Array;
  /** [K][n] */
  b: Float32Array;
  /** [K] mean loss per instance over the steps since the previous snapshot (NaN before the first step) */
  losses: Float32Array;
  /** loss curve points since the previous snapshot, at regular steps (about 1000 per run) */
  lossCurve: LossPoints;
  metrics: SnapshotMetrics;
  /** relu-hidden only: the untied output weights, [K][n][m] */
  W2?: Float32Array | null;
  /** with a record request: the frames kept since the previous snapshot */
  frames?: FrameBatch | null;
}

export interface LossPoints {
  /** [P] step at the end of each point's bucket */
  steps: Float64Array;
  /** [P][K] mean loss per instance over the bucket */
  losses: Float32Array;
}

export interface StatusMessage {
  type: 'status';
  runId: number;
  step: number;
  totalSteps: number;
  playing: boolean;
  done: boolean;
  /** optimiser steps per second over the last second of training (0 when paused) */
  stepsPerSecond: number;
  /** wall time of one optimiser step, ms (rolling estimate) */
  msPerStep: number;
  backend: string;
  engine: string;
  /** backends that were tried and failed, with the reason */
  backendFailures: string[];
}

export type FromWorker =
  | SnapshotMessage
  | StatusMessage
  | { type: 'pong'; t: number }
  /** Something went wrong but the worker is alive; `runId` says which request failed (if any). */
  | { type: 'error'; runId: number | null; message: string };

/** Arrays to hand over with postMessage's transfer list. */
export function transferablesOf(msg: SnapshotMessage): ArrayBuffer[] {
  const m = msg.metrics;
  const extra = [msg.W2, msg.frames?.steps, msg.frames?.W, msg.frames?.b, msg.frames?.losses].filter((a) => !!a);
  return [msg.W, msg.b, msg.losses, msg.lossCurve.steps, msg.lossCurve.losses, m.featureNorms, m.superposition, m.featureDimensionality, m.dimsPerFeature, ...extra].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
