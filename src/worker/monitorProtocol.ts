// The typed conversation between the page and the monitor worker (monitor.worker.ts). Fields are the
// engine's own types (config, per-feature results, the induction analysis); only plain data and typed
// arrays cross, and the stream's arrays are transferred.

import type { MonitorConfig } from '../engine/monitor/config.ts';
import type { InductionAnalysis } from '../engine/monitor/induction.ts';
import type { GivenToyBase, MonitorPhase, SaeSummary } from '../engine/monitor/run.ts';
import type { FeatureResult } from '../engine/monitor/toy.ts';
import type { ControlMessage, ErrorMessage, RunStatusFields } from './sharedProtocol.ts';

export type ToMonitorWorker =
  | ControlMessage
  /** Throw away the current run and start `config` (train the base, the SAE, then analyse); the live stream follows `target`. */
  | { type: 'configure'; runId: number; config: MonitorConfig; play: boolean; target: number; given: GivenToyBase | null }
  /** Another target for the live monitor: answered with a new stream at once (no retraining). */
  | { type: 'focus'; target: number };

/** What a run starts from: its settings and, for base 'lab', the live lab's model at the time. */
export interface MonitorRunSpec {
  config: MonitorConfig;
  given: GivenToyBase | null;
}

export interface MonitorStatusMessage extends RunStatusFields {
  phase: MonitorPhase;
  /** steps (or features) done in this phase, and the phase's total */
  phaseDone: number;
  phaseTotal: number;
}

/** What the panels draw of a finished run. */
export interface MonitorResultMessage {
  type: 'result';
  runId: number;
  config: MonitorConfig;
  seconds: number;
  /** toy base: its weights (m×n), per-neuron max|w|/Σ|w| and top-w² share, the base loss and the SAE's state */
  toy: { n: number; m: number; hiddenRelu: boolean; W: Float32Array; monosemanticity: number[]; topShare: number[]; loss: number; sae: SaeSummary } | null;
  features: FeatureResult[];
  induction: InductionAnalysis | null;
}

export interface StreamDetector {
  id: string;
  label: string;
  /** alarm when score ≥ threshold (and, for ReLU detectors, > 0) */
  threshold: number;
  nonNegative: boolean;
  scores: Float32Array;
}

/** The live monitor: inputs in the order they stream by, the truth and each detector's score. */
export interface MonitorStreamMessage {
  type: 'stream';
  runId: number;
  target: number;
  count: number;
  /** columns per input drawn in the strip (toy: n feature values; induction: 0) */
  width: number;
  /** [count][width] */
  inputs: Float32Array;
  /** toy: the target's value; induction: 1 where the sequence repeats */
  truth: Float32Array;
  /** truth above this is a true event (toy: 0.1, induction: 0.5) */
  strongAbove: number;
  detectors: StreamDetector[];
}

export type FromMonitorWorker = MonitorStatusMessage | MonitorResultMessage | MonitorStreamMessage | { type: 'pong'; t: number } | ErrorMessage;

export function streamTransferables(m: MonitorStreamMessage): ArrayBuffer[] {
  return [m.inputs, m.truth, ...m.detectors.map((d) => d.scores)].map((a) => a.buffer as ArrayBuffer);
}
