// The A/B pair as settings: A's toy config, B's, and which instance is compared. In a link they are one flat
// table (a.sparsity, b.sparsity, …) derived from the toy field table, so every value of A and of B goes
// through validateConfig with its messages; B's missing settings are A's (B = A plus the changes).

import { validateFields, type FieldSpec, type ValidationResult } from '../shared/fields';
import { DEFAULT_CONFIG, FIELDS, validateConfig, type LabConfig } from '../toy/config';

export interface ComparePair {
  a: LabConfig;
  b: LabConfig;
  /** the instance of A and B that is compared (0-based) */
  instance: number;
}

type Prefixed<P extends string> = { [K in keyof LabConfig as `${P}${K}`]: LabConfig[K] };

/** The pair flattened for the link: pinned = a pair exists. */
export type CompareFlat = { pinned: boolean; instance: number } & Prefixed<'a.'> & Prefixed<'b.'>;

const OWN_FIELDS: readonly FieldSpec<CompareFlat>[] = [
  { key: 'pinned', flag: 'pinned', help: 'a run is pinned as A', type: { kind: 'bool' } },
  { key: 'instance', flag: 'instance', help: 'the instance of A and B that is compared (0-based)', type: { kind: 'int', min: 0, max: 1023 } },
];

const prefixed = (p: 'a.' | 'b.', side: string): FieldSpec<CompareFlat>[] =>
  FIELDS.map((f) => ({ ...f, key: `${p}${f.key}` as keyof CompareFlat & string, flag: `${p}${f.flag}`, help: `${side}: ${f.help}` }));

export const COMPARE_FIELDS: readonly FieldSpec<CompareFlat>[] = [...OWN_FIELDS, ...prefixed('a.', 'A'), ...prefixed('b.', 'B')];

export function flatten(pair: ComparePair | null): CompareFlat {
  const p = pair ?? { a: DEFAULT_CONFIG, b: DEFAULT_CONFIG, instance: 0 };
  const out: Record<string, unknown> = { pinned: pair !== null, instance: p.instance };
  for (const f of FIELDS) {
    out[`a.${f.key}`] = p.a[f.key];
    out[`b.${f.key}`] = p.b[f.key];
  }
  return out as CompareFlat;
}

export function unflatten(flat: Readonly<CompareFlat>): ComparePair | null {
  if (!flat.pinned) return null;
  const side = (p: string) => Object.fromEntries(FIELDS.map((f) => [f.key, (flat as Record<string, unknown>)[`${p}${f.key}`]])) as unknown as LabConfig;
  return { a: side('a.'), b: side('b.'), instance: flat.instance };
}

export const COMPARE_DEFAULTS: Readonly<CompareFlat> = flatten(null);

/** A's fields a link always writes (so it survives a change of defaults); B writes only what differs from A. */
const A_ALWAYS: ReadonlySet<string> = new Set(['model', 'n', 'm', 'instances', 'sparsity', 'importanceDecay', 'steps', 'seed']);

export function compareWrites(flat: Readonly<CompareFlat>, key: keyof CompareFlat & string): boolean {
  if (!flat.pinned) return false;
  const f = flat as Record<string, unknown>;
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (key === 'pinned') return true;
  if (key === 'instance') return flat.instance !== 0;
  const field = key.slice(2) as keyof LabConfig;
  if (key.startsWith('a.')) return A_ALWAYS.has(field) || !same(f[key], DEFAULT_CONFIG[field]);
  return !same(f[key], f[`a.${field}`]);
}

/** "sparsity must be …" → "b.sparsity must be …" (field messages start with the field's key). */
const named = (p: string, errors: string[]) =>
  errors.map((e) => {
    const field = FIELDS.find((f) => e.startsWith(`${f.key} `));
    return field ? p + e : `${p.toUpperCase().slice(0, 1)}: ${e}`;
  });

/** Validate a flat pair (from a link): A over base's A, B over the validated A, the instance within both. */
export function validateCompareFlat(input: unknown, base: Readonly<CompareFlat> = COMPARE_DEFAULTS): ValidationResult<CompareFlat> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { ok: false, config: null, errors: ['settings must be an object'] };
  const raw = input as Record<string, unknown>;
  const pick = (p: string) => Object.fromEntries(Object.entries(raw).filter(([k]) => k.startsWith(p)).map(([k, v]) => [k.slice(p.length), v]));
  const own = Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('a.') && !k.startsWith('b.')));
  const errors: string[] = [];
  const o = validateFields(OWN_FIELDS, own, base, {}, () => []);
  errors.push(...o.errors);
  const baseA = unflatten({ ...base, pinned: true })!.a;
  const a = validateConfig(pick('a.'), baseA);
  errors.push(...named('a.', a.errors));
  const b = validateConfig(pick('b.'), a.ok ? a.config : baseA);
  errors.push(...named('b.', b.errors));
  if (!o.ok || !a.ok || !b.ok) return { ok: false, config: null, errors };
  const pair = { a: a.config, b: b.config, instance: o.config.instance };
  const problem = pairError(pair);
  if (problem) return { ok: false, config: null, errors: [problem] };
  return { ok: true, config: { ...flatten(pair), pinned: o.config.pinned }, errors: [] };
}

/** What makes two valid configs no pair: the compared instance must exist in both. */
export function pairError(pair: ComparePair): string | null {
  const K = Math.min(pair.a.instances, pair.b.instances);
  return pair.instance < K ? null : `instance must be below the number of instances of A and B (${K}); got ${pair.instance}`;
}

/** The settings B changes from A, e.g. ["sparsity 0.95 → 0.9"]. */
export function changedSettings(pair: Pick<ComparePair, 'a' | 'b'>): string[] {
  const show = (v: unknown) => (Array.isArray(v) ? v.join(':') : v === null ? 'none' : String(v));
  return FIELDS.filter((f) => JSON.stringify(pair.a[f.key]) !== JSON.stringify(pair.b[f.key])).map((f) => `${f.flag} ${show(pair.a[f.key])} → ${show(pair.b[f.key])}`);
}
