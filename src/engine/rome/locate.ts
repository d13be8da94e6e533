// What the "Locate & edit" tab needs from the rome domain on top of facts/trace/rome/run: the tab's settings (one
// field table for the link codec), readable names of subjects, objects and prompts, the before/after probes of one
// edit, and step-by-step versions of the long computations (averaged trace, edit at every layer, sequential edits)
// so a worker can yield between steps. Pure and DOM-free; the step versions call the same engine functions as
// run.ts (traceFact/averageTraces, runOneEdit/summarise, RomeEditor.apply + untouchedAccuracy) and are checked
// against it in tests/unit/romeLocate.test.ts.

import { validateFields, type FieldSpec, type ValidationResult } from '../shared/fields';
import type { TransformerTrainer } from '../transformer/model';
import {
  buildPrompt, evalPrefixes, firstToken, lastToken, neighbourhood, objectToken, OBJECTS_PER_RELATION, otherRelations,
  RELATION_NAMES, RELATIONS, SUBJECTS, tokenName, tokenSharing, type Fact, type FactSet,
} from './facts';
import { argmax, lastTokenProbs } from './factsModel';
import { editScores, untouchedAccuracy } from './metrics';
import type { RomeEditor } from './rome';
import { runOneEdit, summarise, type EditSummary, type OneEdit } from './run';
import { averageTraces, pickTraceFacts, subjectEmbeddingStd, traceFact, type AveragedTrace, type FactTrace } from './trace';

// ───────────────────────────── the tab's settings ─────────────────────────────

export const MAX_LAYER_CHOICES = 12;
export const LAYER_SETTING_VALUES = ['peak', ...Array.from({ length: MAX_LAYER_CHOICES }, (_, i) => String(i))] as const;
export const OBJECT_SETTING_VALUES = ['auto', ...Array.from({ length: OBJECTS_PER_RELATION }, (_, i) => String(i))] as const;

export interface LocateSettings {
  /** subject index 0 … 95 */
  subject: number;
  /** relation index 0 … 3 */
  relation: number;
  /** the layer to edit: 'peak' (where the traced MLP effect at the last subject token peaks) or a layer */
  layer: string;
  /** the new object's index within the relation, or 'auto' (the next object after the true one) */
  newObject: string;
}

export const DEFAULT_LOCATE_SETTINGS: LocateSettings = { subject: 0, relation: 0, layer: 'peak', newObject: 'auto' };

export const LOCATE_FIELDS: readonly FieldSpec<LocateSettings>[] = [
  { key: 'subject', flag: 'subject', help: 'the fact\'s subject (0 … 95)', type: { kind: 'int', min: 0, max: SUBJECTS - 1 } },
  { key: 'relation', flag: 'relation', help: `the fact's relation: ${RELATION_NAMES.map((r, i) => `${i} ${r}`).join(', ')}`, type: { kind: 'int', min: 0, max: RELATIONS - 1 } },
  { key: 'layer', flag: 'layer', help: 'the layer whose MLP is edited: peak (the traced MLP peak at the last subject token) or a layer number', type: { kind: 'enum', values: LAYER_SETTING_VALUES } },
  { key: 'newObject', flag: 'new-object', help: 'the new object (its index within the relation, 0 … 7), or auto', type: { kind: 'enum', values: OBJECT_SETTING_VALUES } },
];

export function validateLocateSettings(input: unknown, base: Readonly<LocateSettings> = DEFAULT_LOCATE_SETTINGS): ValidationResult<LocateSettings> {
  return validateFields(LOCATE_FIELDS, input, base, {}, () => []);
}

/** The layer a setting names for a model of `layers` layers, given the trace's peak (null: not traced yet). */
export function resolveLayer(setting: string, layers: number, peak: number | null): { layer: number | null; problem: string | null } {
  if (setting === 'peak') return { layer: peak, problem: null };
  const l = Number(setting);
  if (l < layers) return { layer: l, problem: null };
  return { layer: peak, problem: `layer ${l} does not exist in this ${layers}-layer model; the trace's peak is used` };
}

/** The new object a setting names for a fact: 'auto' or the true object itself → the next one after the true one. */
export function resolveNewObject(setting: string, fact: Fact): number {
  const k = setting === 'auto' ? NaN : Number(setting);
  return Number.isInteger(k) && k !== fact.object ? k : (fact.object + 1) % OBJECTS_PER_RELATION;
}

// ───────────────────────────── names ─────────────────────────────

export function subjectName(set: FactSet, subject: number): string {
  const s = set.subjects[subject];
  return `${tokenName(firstToken(s.a))} ${tokenName(lastToken(s.b))}`;
}

export function objectName(relation: number, object: number): string {
  return tokenName(objectToken(relation, object));
}

/** The words of a prompt (BOS left out). */
export function promptWords(tokens: readonly number[]): string[] {
  return tokens.slice(1).map(tokenName);
}

// ───────────────────────────── before/after probes of one edit ─────────────────────────────

export type ProbeGroup = 'rewrite' | 'paraphrase' | 'neighbour' | 'tokenSharing' | 'otherRelation';

export interface ProbeRow {
  group: ProbeGroup;
  factId: number;
  /** the prompt's words (no BOS) */
  words: string[];
  /** the prompt's own true object and the edit's new object, as tokens */
  trueToken: number;
  newToken: number;
  pTrue: number;
  pNew: number;
  /** the model's top-1 token and its probability */
  top: number;
  pTop: number;
}

/** The prompts the edit panel shows: rewrite and paraphrase (bare), one neighbour, one token-sharing neighbour, the other relations. */
export function probeFacts(set: FactSet, fact: Fact, newObject: number): { group: ProbeGroup; fact: Fact; template: number }[] {
  const out: { group: ProbeGroup; fact: Fact; template: number }[] = [
    { group: 'rewrite', fact, template: 0 },
    { group: 'paraphrase', fact, template: 1 },
  ];
  const n = neighbourhood(set, fact)[0];
  if (n) out.push({ group: 'neighbour', fact: n, template: 0 });
  const t = tokenSharing(set, fact).find((f) => f.object !== newObject);
  if (t) out.push({ group: 'tokenSharing', fact: t, template: 0 });
  for (const o of otherRelations(set, fact)) out.push({ group: 'otherRelation', fact: o, template: 0 });
  return out;
}

/** P(true object), P(new object) and the top-1 on the probe prompts, with the model as the trainer holds it now. */
export function editProbes(trainer: TransformerTrainer, set: FactSet, fact: Fact, newObject: number): ProbeRow[] {
  const refs = probeFacts(set, fact, newObject);
  const prompts = refs.map((r) => buildPrompt(set, r.fact.subject, r.fact.relation, r.template).tokens);
  const probs = lastTokenProbs(trainer, prompts);
  const newToken = objectToken(fact.relation, newObject);
  return refs.map((r, i) => {
    const p = probs[i];
    const trueToken = objectToken(r.fact.relation, r.fact.object);
    const top = argmax(p);
    return { group: r.group, factId: r.fact.id, words: promptWords(prompts[i]), trueToken, newToken, pTrue: p[trueToken], pNew: p[newToken], top, pTop: p[top] };
  });
}

/** P(true object) of one fact's rewrite prompt (bare) and the model's top-1 there. */
export function factProbability(trainer: TransformerTrainer, set: FactSet, fact: Fact): { p: number; top: number; pTop: number } {
  const [p] = lastTokenProbs(trainer, [buildPrompt(set, fact.subject, fact.relation, 0).tokens]);
  const top = argmax(p);
  return { p: p[objectToken(fact.relation, fact.object)], top, pTop: p[top] };
}

// ───────────────────────────── step by step ─────────────────────────────

/** Noise scale ν = 3σ of the subject embeddings (as run.ts's traceAverage). */
export function traceNoise(trainer: TransformerTrainer, set: FactSet): number {
  return 3 * subjectEmbeddingStd(trainer.params(), set);
}

/**
 * The averaged trace of run.ts's traceAverage, one fact per step: yields the running average after each fact
 * (the same facts, prefix and noise; the last value equals traceAverage's).
 */
export function* averageTraceSteps(
  trainer: TransformerTrainer, set: FactSet, n: number, samples: number, seed: number,
): Generator<{ done: number; total: number; avg: AveragedTrace }, void, void> {
  const noise = traceNoise(trainer, set);
  const prefix = evalPrefixes(set.seed)[1];
  const facts = pickTraceFacts(trainer, set, n, seed, 0, prefix);
  const traces: FactTrace[] = [];
  for (const f of facts) {
    traces.push(traceFact(trainer, set, f, { noise, samples, seed, prefix }));
    yield { done: traces.length, total: facts.length, avg: averageTraces(traces) };
  }
}

/**
 * run.ts's compareLayers one edit per step: the same edits with ROME at every layer, each on the model as the
 * editor holds it (undone after). Yields the summaries of the layers finished so far and the edits done.
 */
export function* compareLayerSteps(
  editor: RomeEditor, edits: readonly { factId: number; newObject: number }[], accuracyBefore: number,
): Generator<{ done: number; total: number; layers: EditSummary[] }, EditSummary[], void> {
  const L = editor.trainer.shape.layers;
  const total = L * edits.length;
  const layers: EditSummary[] = [];
  for (let layer = 0; layer < L; layer++) {
    editor.covariance(layer);
    yield { done: layer * edits.length, total, layers: [...layers] };
    const runs: OneEdit[] = [];
    for (const e of edits) {
      runs.push(runOneEdit(editor, { ...e, layer, method: 'rome' }));
      if (runs.length < edits.length) yield { done: layer * edits.length + runs.length, total, layers: [...layers] };
    }
    layers.push(summarise('rome', layer, accuracyBefore, runs));
    yield { done: (layer + 1) * edits.length, total, layers: [...layers] };
  }
  return layers;
}

export interface SequentialProgress {
  done: number;
  total: number;
  accuracyAfter: number[];
  normRatio: number[];
  /** set at the end (run.ts's runSequential's efficacy) */
  efficacy: number | null;
}

/**
 * run.ts's runSequential one edit per step: successive ROME edits on top of each other (C of the original model),
 * the untouched accuracy and ‖W − W₀‖/‖W₀‖ after each, the efficacy of all of them at the end; every edit of the
 * sequence is undone when the generator finishes or is stopped (return()).
 */
export function* sequentialSteps(
  editor: RomeEditor, edits: readonly { factId: number; newObject: number }[], layer: number,
): Generator<SequentialProgress, SequentialProgress, void> {
  const ids = edits.map((e) => e.factId);
  const W0 = editor.original.layers[layer].Wout!;
  const w0 = Math.hypot(...W0);
  const accuracyAfter: number[] = [];
  const normRatio: number[] = [];
  const start = editor.editsApplied;
  const total = edits.length;
  try {
    editor.covariance(layer);
    yield { done: 0, total, accuracyAfter: [], normRatio: [], efficacy: null };
    for (const e of edits) {
      editor.apply({ ...e, layer, method: 'rome' });
      accuracyAfter.push(untouchedAccuracy(editor.trainer, editor.set, ids));
      const W = editor.params().layers[layer].Wout!;
      let s = 0;
      for (let j = 0; j < W.length; j++) s += (W[j] - W0[j]) ** 2;
      normRatio.push(Math.sqrt(s) / w0);
      yield { done: accuracyAfter.length, total, accuracyAfter: [...accuracyAfter], normRatio: [...normRatio], efficacy: null };
    }
    let eff = 0;
    for (const e of edits) eff += editScores(editor.trainer, editor.set, editor.set.facts[e.factId], e.newObject).efficacy;
    return { done: total, total, accuracyAfter, normRatio, efficacy: eff / edits.length };
  } finally {
    while (editor.editsApplied > start) editor.undo();
  }
}
