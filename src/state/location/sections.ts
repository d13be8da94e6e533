// A group of settings in the address, described by nothing but its field table: the lab's config,
// a tab's settings (the SAE's), the page's own parameters. Every value is read through the group's
// validator (engine/shared/fields.ts); a bad one is named in a notice and its default used.

import type { FieldSpec, ValidationResult } from '../../engine/shared/fields.ts';
import { encodeValue, showValue } from './params.ts';

export interface SettingsSection<T extends object> {
  /** names the group (a tab id for a tab's settings) */
  id: string;
  /** written before each key: 'sae.' gives #sae.l1=0.3; '' for the lab's own keys, as old links have them */
  prefix: string;
  fields: readonly FieldSpec<T>[];
  defaults: Readonly<T>;
  validate(input: unknown, base: Readonly<T>): ValidationResult<T>;
  /** whether a field is written; default: when it differs from its default */
  writes?(config: Readonly<T>, key: keyof T & string): boolean;
  /** what a bad value is replaced by, in words, when that is not the field's default (e.g. "A's value") */
  fallback?(key: keyof T & string): string | null;
}

// Sections are held in lists of different T; the codec only moves their values between validator and text.
export type AnySection = SettingsSection<any>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The keys a section reads, as they appear in the address. */
export function sectionKeys(section: AnySection): string[] {
  return section.fields.map((f) => section.prefix + f.key);
}

export function isDefault<T extends object>(section: SettingsSection<T>, config: Readonly<T>): boolean {
  return section.fields.every(({ key }) => same(config[key], section.defaults[key]));
}

/** Equal in every field of the section. */
export function sameSettings<T extends object>(section: SettingsSection<T>, a: Readonly<T>, b: Readonly<T>): boolean {
  return section.fields.every(({ key }) => same(a[key], b[key]));
}

/** "sae.l1 = 0.2", for notices. */
export function describeDefault<T extends object>(section: SettingsSection<T>, key: keyof T & string): string {
  const instead = section.fallback?.(key);
  if (instead) return instead;
  return `${section.prefix}${key} = ${showValue(section.defaults[key])}`;
}

/** The "key=value" parts of a section, in its field table's order. */
export function encodeSection<T extends object>(section: SettingsSection<T>, config: Readonly<T>): string[] {
  const writes = section.writes ?? ((c: Readonly<T>, key: keyof T & string) => !same(c[key], section.defaults[key]));
  return section.fields.filter(({ key }) => writes(config, key)).map(({ key }) => `${section.prefix}${key}=${encodeValue(config[key])}`);
}

export interface DecodedSection<T> {
  config: T;
  /** the address named any of the section's keys */
  present: boolean;
  errors: string[];
}

/**
 * Read a section from single-valued parameters. Settings valid together are taken as they are;
 * otherwise each is tried in the table's order: an invalid one is reported and replaced by its
 * default, one valid alone but clashing with those before it is dropped (later ones first).
 */
export function decodeSection<T extends object>(section: SettingsSection<T>, single: ReadonlyMap<string, string>, where: string): DecodedSection<T> {
  const given: [FieldSpec<T>, unknown][] = [];
  for (const spec of section.fields) {
    const raw = single.get(section.prefix + spec.key);
    if (raw !== undefined) given.push([spec, spec.nullable && (raw === '' || raw === 'none') ? null : raw]);
  }
  const whole = section.validate(Object.fromEntries(given.map(([spec, value]) => [spec.key, value])), section.defaults);
  if (whole.ok) return { config: whole.config, present: given.length > 0, errors: [] };
  const errors: string[] = [];
  const accepted: Record<string, unknown> = {};
  for (const [spec, value] of given) {
    const r = section.validate({ ...accepted, [spec.key]: value }, section.defaults);
    if (r.ok) accepted[spec.key] = value;
    else {
      const named = r.errors.map((e) => (section.prefix && e.startsWith(`${spec.key} `) ? section.prefix + e : e));
      errors.push(...named.map((e) => `In the ${where}: ${e}; used the default ${describeDefault(section, spec.key)}.`));
    }
  }
  const result = section.validate(accepted, section.defaults);
  return { config: result.ok ? result.config : { ...section.defaults }, present: given.length > 0, errors };
}
