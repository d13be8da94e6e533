// The typed conversation between the page and the training worker. One file, two
// discriminated unions: what the page asks (ToWorker) and what the worker says (FromWorker).
// Only plain data and Float32Arrays cross; the arrays are transferred, not copied.

import type { LabConfig } from '../engine/toy/config.ts';
import type { BackendName, EngineChoice } from '../engine/shared/engines.ts';
import type { Snapshot } from '../engine/toy/snapshot.ts';
import type { ControlMessage, ControlReply, RunStatusFields } from './sharedProtocol.ts';

/** Which trainer to build: 'auto' lets the engine pick the fastest that covers the config. */
export type { EngineChoice };

/** null = as fast as the machine allows; a number caps optimiser steps per second (slow motion). */
export type Speed = number | null;

export type ToWorker =
  | ControlMessage
  /** Throw away the current run and start a fresh one (step 0) with this config. */
  | { type: 'configure'; runId: number; config: LabConfig; play: boolean; backends: readonly BackendName[]; engine: EngineChoice; record?: RecordRequest | null }
  /** k optimiser steps, then pause (never past config.steps). */
  | { type: 'step'; k: number }
  | { type: 'set-speed'; stepsPerSecond: Speed };

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

/** The trainer's snapshot, with the metrics and loss points since the previous one. */
export interface SnapshotMessage extends Snapshot {
  type: 'snapshot';
  runId: number;
  /** [K] mean loss per instance over the steps since the previous snapshot (NaN before the first step) */
  losses: Float32Array;
  /**
   * [K] the run's final loss per instance once it has finished, else null: the mean training loss over the last 1 % of
   * the steps (FINAL_LOSS_WORDS), the same number the CLI's record and the exported JSON carry.
   */
  finalLosses?: Float32Array | null;
  /** loss curve points since the previous snapshot, at regular steps (about 1000 per run) */
  lossCurve: LossPoints;
  metrics: SnapshotMetrics;
  /** with a record request: the frames kept since the previous snapshot */
  frames?: FrameBatch | null;
}

export interface LossPoints {
  /** [P] step at the end of each point's bucket */
  steps: Float64Array;
  /** [P][K] mean loss per instance over the bucket */
  losses: Float32Array;
}

export interface StatusMessage extends RunStatusFields {
  backend: string;
  /** backends that were tried and failed, with the reason */
  backendFailures: string[];
}

export type FromWorker = SnapshotMessage | StatusMessage | ControlReply;

/** Arrays to hand over with postMessage's transfer list. */
export function transferablesOf(msg: SnapshotMessage): ArrayBuffer[] {
  const m = msg.metrics;
  const extra = [msg.W2, msg.frames?.steps, msg.frames?.W, msg.frames?.b, msg.frames?.losses].filter((a) => !!a);
  return [msg.W, msg.b, msg.losses, msg.lossCurve.steps, msg.lossCurve.losses, m.featureNorms, m.superposition, m.featureDimensionality, m.dimsPerFeature, ...extra].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
