// The typed conversation between the page and the "Locate & edit" worker (rome.worker.ts). Message fields are the
// rome engine's own types (FactTrace, AveragedTrace, EditInfo, EditScores, EditSummary, TrainProgress, ProbeRow);
// only plain data crosses.

import type { Accuracy, TrainProgress } from '../engine/rome/factsModel.ts';
import type { ProbeRow } from '../engine/rome/locate.ts';
import type { SequentialProgress } from '../engine/rome/locateSteps.ts';
import type { EditInfo, EditMethod } from '../engine/rome/rome.ts';
import type { EditSummary } from '../engine/rome/run.ts';
import type { EditScores } from '../engine/rome/metrics.ts';
import type { AveragedTrace, FactTrace } from '../engine/rome/trace.ts';
import type { ControlMessage, ErrorMessage, RunStatusFields } from './sharedProtocol.ts';

/** Which model the worker holds: the shipped default (fetched from modelUrl), or one trained now from `seed`. */
export interface RomeModelSpec {
  source: 'shipped' | 'train';
  /** the seed of the facts and of the trained model (the shipped one's is in its file) */
  seed: number;
  /** where the shipped model is (base-relative, resolved by the page) */
  modelUrl: string;
}

/** An edit as the page asks for it. */
export interface RomeEditRequest {
  factId: number;
  newObject: number;
  layer: number;
}

export type RomeTask = 'trace' | 'average' | 'edit' | 'undo' | 'compare' | 'layers' | 'sequential';

export type ToRomeWorker =
  | ControlMessage
  /** Load (or train) the model; every earlier result is void. */
  | { type: 'configure'; runId: number; spec: RomeModelSpec }
  /** Causal tracing of one fact (rewrite prompt, no prefix). */
  | { type: 'trace'; requestId: number; factId: number }
  /** The trace averaged over `facts` facts, streamed fact by fact. */
  | { type: 'average'; requestId: number; facts: number }
  /** Replace the page's edit (if any) with this ROME edit; before/after probes. */
  | ({ type: 'edit'; requestId: number } & RomeEditRequest)
  /** Take the page's edit back. */
  | { type: 'undo'; requestId: number }
  /** ROME, the naive rank-one update and fine-tuning for this edit, each on the original model. */
  | ({ type: 'compare'; requestId: number } & RomeEditRequest)
  /** ROME at every layer over `edits` random edits (compareLayers). */
  | { type: 'layers'; requestId: number; edits: number; seed: number }
  /** `edits` successive ROME edits at `layer` (runSequential). */
  | { type: 'sequential'; requestId: number; edits: number; layer: number; seed: number };

export interface RomeModelMessage {
  type: 'model';
  runId: number;
  source: 'shipped' | 'trained';
  /** the facts' seed (the page rebuilds the facts with makeFacts) */
  seed: number;
  layers: number;
  dModel: number;
  dMlp: number;
  heads: number;
  accuracy: Pick<Accuracy, 'all' | 'rewrite' | 'paraphrase'>;
  /** training steps and seconds (the shipped file's own for a shipped model) */
  steps: number;
  trainSeconds: number;
  engine: string;
}

export interface RomeStatusMessage extends RunStatusFields {
  stage: 'loading' | 'training' | 'ready';
  /** training progress while stage = training */
  progress: TrainProgress | null;
}

/** Progress of a long task (average, layers, sequential, compare); the partial results come with it. */
export type RomeResult =
  | { task: 'trace'; factId: number; trace: FactTrace; ms: number; p: number }
  | { task: 'average'; done: number; total: number; avg: AveragedTrace; ms: number }
  | {
      task: 'edit'; request: RomeEditRequest; info: EditInfo; before: ProbeRow[]; after: ProbeRow[]; scores: EditScores;
      /** ms of computing and applying the edit (prepare + apply; C of the layer was ready), and of estimating C (0 when cached) */
      ms: number;
      covarianceMs: number;
    }
  | { task: 'undo'; undone: boolean }
  | { task: 'compare'; request: RomeEditRequest; done: number; total: number; methods: { method: EditMethod; info: EditInfo; scores: EditScores; accuracyAfter: number; after: ProbeRow[] }[]; accuracyBefore: number }
  | { task: 'layers'; done: number; total: number; edits: number; layers: EditSummary[]; accuracyBefore: number }
  | ({ task: 'sequential'; layer: number; accuracyBefore: number } & SequentialProgress);

export type RomeResultMessage = { type: 'result'; runId: number; requestId: number; final: boolean } & RomeResult;

export type FromRomeWorker = RomeModelMessage | RomeStatusMessage | RomeResultMessage | { type: 'pong'; t: number } | ErrorMessage;
