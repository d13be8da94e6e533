// The "Induction heads" tab's store (separate from the lab's): its settings, the worker's latest
// snapshot and status, the accumulated curves, what the page looks at (the eval sequence, the
// hovered query row, the zeroed heads) and the final record. Side effects live in inductionController.ts.

import { create } from 'zustand';
import { DEFAULT_INDUCTION_CONFIG, validateInductionConfig, type InductionConfig } from '../engine/transformer/config.ts';
import type { CurvePoint, InductionRecord } from '../engine/transformer/induction.ts';
import type { WorkerHealth } from '../worker/client.ts';
import type { HeadRef, InductionSnapshotMessage, InductionStatusMessage } from '../worker/inductionProtocol.ts';

export type InductionRunStatus = Omit<InductionStatusMessage, 'type'>;

/** Worked examples: the default recipe, the 1-layer control (I-5) and the fixed-repeat pitfall. */
export interface InductionExample {
  id: 'default' | 'one-layer' | 'fixed-repeat';
  label: string;
  description: string;
  config: InductionConfig;
}

const example = (over: Partial<InductionConfig>): InductionConfig => {
  const r = validateInductionConfig(over);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};

export const INDUCTION_EXAMPLES: readonly InductionExample[] = [
  { id: 'default', label: 'Two layers (the recipe)', description: 'Two layers, random repeats: a previous-token head in layer 0 and an induction head in layer 1 form in a sudden phase change.', config: example({}) },
  { id: 'one-layer', label: 'One layer (the control)', description: 'One layer cannot compose heads: no induction head forms and the second copy stays near ln V (it only learns to boost tokens seen earlier).', config: example({ layers: 1 }) },
  { id: 'fixed-repeat', label: 'Fixed repeats (the pitfall)', description: 'One layer again, but every training sequence repeats at the same offset: a positional "look back 15" head solves it, with no induction circuit at all.', config: example({ layers: 1, repeat: 'fixed' }) },
];

export interface InductionViewState {
  /** the settings the controls show (always valid) */
  config: InductionConfig;
  editErrors: Partial<Record<keyof InductionConfig, string[]>>;
  /** the run the worker confirmed */
  runConfig: InductionConfig | null;
  status: InductionRunStatus | null;
  snapshot: InductionSnapshotMessage | null;
  /** every curve point of the run so far (the engine's CurvePoint) */
  curve: CurvePoint[];
  /** [step, loss over all positions, then per head (layer-major) induction, previous-token] */
  headCurve: number[][];
  curveVersion: number;
  /** the eval sequence the attention panel shows */
  sequence: number;
  /** heads zeroed in the ablation panel */
  ablate: HeadRef[];
  /** the query row under the pointer in the attention panel */
  hoverRow: number | null;
  health: WorkerHealth;
  notice: string | null;
  /** the worker's record when the run finished (the CLI's JSON) */
  record: InductionRecord | null;
  /** performance.now() when this run started on the page, and when a head first passed 0.4 (time to formation) */
  startedAt: number | null;
  formedAt: number | null;
}

export const useInduction = create<InductionViewState>()(() => ({
  config: { ...DEFAULT_INDUCTION_CONFIG, dMlp: 4 * DEFAULT_INDUCTION_CONFIG.dModel },
  editErrors: {},
  runConfig: null,
  status: null,
  snapshot: null,
  curve: [],
  headCurve: [],
  curveVersion: 0,
  sequence: 0,
  ablate: [],
  hoverRow: null,
  health: { state: 'starting' },
  notice: null,
  record: null,
  startedAt: null,
  formedAt: null,
}));

export function setInductionHoverRow(row: number | null): void {
  if (useInduction.getState().hoverRow !== row) useInduction.setState({ hoverRow: row });
}

/** Which example a config is, if any. */
export function exampleOf(config: InductionConfig): InductionExample['id'] | null {
  return INDUCTION_EXAMPLES.find((e) => JSON.stringify(e.config) === JSON.stringify(config))?.id ?? null;
}
