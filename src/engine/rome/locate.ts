// What the "Locate & edit" tab needs from the rome domain that is pure (no model runs, no TF.js, so the page's state
// layer may import it): the tab's settings (one field table for the link codec), readable names of subjects, objects
// and prompts, which prompts the edit panel probes, and where a trace peaks. The computations the worker runs step
// by step are in locateSteps.ts.

import { validateFields, type FieldSpec, type ValidationResult } from '../shared/fields';
import {
  firstToken, lastToken, neighbourhood, objectToken, OBJECTS_PER_RELATION, otherRelations, RELATION_NAMES, RELATIONS, SUBJECTS, tokenName,
  tokenSharing, type Fact, type FactSet,
} from './facts';
import type { FactTrace } from './trace';

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
  // a neighbour that shares no name token if there is one, so the two rows show different subjects
  const sharing = tokenSharing(set, fact);
  const shares = new Set(sharing.map((f) => f.id));
  const neighbours = neighbourhood(set, fact);
  const n = neighbours.find((f) => !shares.has(f.id)) ?? neighbours[0];
  if (n) out.push({ group: 'neighbour', fact: n, template: 0 });
  const t = sharing.find((f) => f.object !== newObject && f.id !== n?.id) ?? sharing.find((f) => f.object !== newObject);
  if (t) out.push({ group: 'tokenSharing', fact: t, template: 0 });
  for (const o of otherRelations(set, fact)) out.push({ group: 'otherRelation', fact: o, template: 0 });
  return out;
}

// ───────────────────────────── reading a trace ─────────────────────────────

/**
 * Where a trace's MLP effect peaks: the largest restored P(o) of the MLP map anywhere, and the layer where it peaks
 * at the last subject token (the default edit layer, as AveragedTrace.subjectPeakLayer).
 */
export function tracePeaks(t: Pick<FactTrace, 'mlp' | 'subjectLast' | 'lowScore'>): { token: number; layer: number; value: number; subjectLayer: number; subjectValue: number } {
  let token = 0, layer = 0;
  t.mlp.forEach((row, i) => row.forEach((v, l) => {
    if (v > t.mlp[token][layer]) (token = i), (layer = l);
  }));
  const row = t.mlp[t.subjectLast];
  const subjectLayer = row.indexOf(Math.max(...row));
  return { token, layer, value: t.mlp[token][layer], subjectLayer, subjectValue: row[subjectLayer] };
}
