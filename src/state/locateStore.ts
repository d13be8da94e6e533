// The "Locate & edit" tab's store: its link settings (fact, layer, new object), the model the worker holds, and
// the latest result of each of the worker's tasks (trace, averaged trace, edit, comparisons, sequential edits).
// Side effects live in locateController.ts.

import { create } from 'zustand';
import { factOf, makeFacts, type Fact, type FactSet } from '../engine/rome/facts.ts';
import { DEFAULT_LOCATE_SETTINGS, resolveLayer, resolveNewObject, tracePeaks, type LocateSettings } from '../engine/rome/locate.ts';
import type { WorkerHealth } from '../worker/client.ts';
import type { RomeModelMessage, RomeResult, RomeStatusMessage, RomeTask } from '../worker/romeProtocol.ts';

export type LocateResult<K extends RomeTask> = Extract<RomeResult, { task: K }> & { final: boolean };

export interface LocateViewState {
  /** the settings the link carries (always valid) */
  settings: LocateSettings;
  /** the seed the "Train a new model" button uses */
  trainSeed: number;
  model: RomeModelMessage | null;
  /** the facts of the model's seed (rebuilt on the page from the seed) */
  set: FactSet | null;
  status: RomeStatusMessage | null;
  health: WorkerHealth;
  notice: string | null;
  trace: LocateResult<'trace'> | null;
  /** show the averaged maps instead of the fact's */
  showAverage: boolean;
  average: LocateResult<'average'> | null;
  edit: LocateResult<'edit'> | null;
  compare: LocateResult<'compare'> | null;
  layers: LocateResult<'layers'> | null;
  sequential: LocateResult<'sequential'> | null;
  /** tasks asked for and not finished */
  busy: Partial<Record<RomeTask, boolean>>;
}

export const INITIAL_LOCATE: LocateViewState = {
  settings: DEFAULT_LOCATE_SETTINGS,
  trainSeed: 2,
  model: null,
  set: null,
  status: null,
  health: { state: 'starting' },
  notice: null,
  trace: null,
  showAverage: false,
  average: null,
  edit: null,
  compare: null,
  layers: null,
  sequential: null,
  busy: {},
};

export const useLocate = create<LocateViewState>()(() => ({ ...INITIAL_LOCATE }));

/** The facts of a model message's seed, built once per seed. */
let cached: FactSet | null = null;
export function factsOf(seed: number): FactSet {
  if (cached?.seed !== seed) cached = makeFacts(seed);
  return cached;
}

// ───────────────────────────── what the settings mean for this model ─────────────────────────────

/** The fact the settings pick (null before the model is ready). */
export function currentFact(s: Pick<LocateViewState, 'set' | 'settings'>): Fact | null {
  return s.set ? factOf(s.set, s.settings.subject, s.settings.relation) : null;
}

/** The traced MLP peak of the current fact (null until its trace is in). */
export function currentPeak(s: Pick<LocateViewState, 'set' | 'settings' | 'trace'>) {
  const fact = currentFact(s);
  return fact && s.trace?.factId === fact.id ? tracePeaks(s.trace.trace) : null;
}

/** The layer an edit would use now, and why not (a layer the model lacks). */
export function editLayer(s: Pick<LocateViewState, 'set' | 'settings' | 'trace' | 'model'>): { layer: number | null; problem: string | null } {
  if (!s.model) return { layer: null, problem: null };
  return resolveLayer(s.settings.layer, s.model.layers, currentPeak(s)?.subjectLayer ?? null);
}

/** The new object an edit would use now. */
export function editObject(s: Pick<LocateViewState, 'set' | 'settings'>): number | null {
  const fact = currentFact(s);
  return fact ? resolveNewObject(s.settings.newObject, fact) : null;
}
