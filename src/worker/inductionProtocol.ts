// The typed conversation between the page and the induction worker (induction.worker.ts). Message
// fields are the engine's own types (config, curve points, head scores, composition, record); only
// plain data and typed arrays cross, and the arrays are transferred.

import type { InductionConfig } from '../engine/transformer/config.ts';
import type { CurvePoint, InductionRecord, PhaseChange } from '../engine/transformer/induction.ts';
import type { Composition, HeadScores } from '../engine/transformer/metrics.ts';
import type { ControlMessage, ErrorMessage, RunStatusFields } from './sharedProtocol.ts';

/** A head, as [layer, head]. */
export type HeadRef = [number, number];

/** What the page looks at, which outlives runs: the eval sequence whose patterns it draws, the heads it zeroes. */
export interface InductionFocus {
  /** index into the eval set */
  sequence: number;
  /** heads zeroed together for the ablation panel (empty: none) */
  ablate: HeadRef[];
}

export type ToInductionWorker =
  | ControlMessage
  /** Throw away the current run and train `config` from step 0. */
  | ({ type: 'configure'; runId: number; config: InductionConfig; play: boolean } & InductionFocus)
  /** Another eval sequence for the attention patterns, or other heads to zero: answered with a snapshot at once. */
  | ({ type: 'focus' } & InductionFocus)
  /** The run's record (the CLI's JSON) at the current weights. */
  | { type: 'record'; requestId: number };

/** The per-position loss on the eval set with `heads` zeroed, beside the intact model's. */
export interface AblationResult {
  heads: HeadRef[];
  /** [T − 1] mean loss predicting position i + 1 */
  lossByPosition: Float32Array;
  firstCopyLoss: number;
  secondCopyLoss: number;
}

export interface InductionSnapshotMessage {
  type: 'snapshot';
  runId: number;
  /** the step of the evaluation below */
  step: number;
  layers: number;
  heads: number;
  /** the eval form: length T = 2L + 1, repeat length L, sequences in the set */
  T: number;
  L: number;
  sequences: number;
  /** curve points not sent before (the page appends them) */
  curve: CurvePoint[];
  /** every head's scores at this step */
  scores: HeadScores[];
  /** more curve points not sent before: [step, loss over all positions, then per head (layer-major) induction, previous-token] */
  headCurve: number[][];
  /** which eval sequence the patterns are of, its tokens [T], and every head's pattern on it [layers][heads][T][T] */
  sequence: number;
  tokens: Int32Array;
  patterns: Float32Array;
  /** [T − 1] mean loss by position of the intact model */
  lossByPosition: Float32Array;
  firstCopyLoss: number;
  secondCopyLoss: number;
  /** the ablated model on the same eval set, or null when no head is zeroed */
  ablation: AblationResult | null;
  /** K/Q/V composition for every pair of layers (empty with one layer) */
  composition: Composition[];
  formedAtStep: number | null;
  phaseChange: PhaseChange | null;
}

export interface InductionStatusMessage extends RunStatusFields {
  /** training loss of the last step */
  loss: number;
  formedAtStep: number | null;
}

export interface InductionRecordMessage {
  type: 'record';
  runId: number;
  requestId: number;
  record: InductionRecord;
}

export type FromInductionWorker = InductionSnapshotMessage | InductionStatusMessage | InductionRecordMessage | { type: 'pong'; t: number } | ErrorMessage;

export function snapshotTransferables(m: InductionSnapshotMessage): ArrayBuffer[] {
  const arrays = [m.tokens, m.patterns, m.lossByPosition, ...(m.ablation ? [m.ablation.lossByPosition] : [])];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
