// What a shared link restores: the whole config, the view, the selected instance and panel,
// written in the URL's hash (#model=relu-output&n=5&m=2&…&view=lab). Pure: strings in, state out.
// The hash is untrusted input: every config value goes through the one validator; anything
// invalid is named in a message and replaced by its default, never executed or used as markup.

import { DEFAULT_CONFIG, FIELDS, validateConfig, type LabConfig } from '../engine/toy/config.ts';

export interface LinkState {
  config: LabConfig;
  /** a view id (ui/views/registry.ts) */
  view: string;
  /** selected instance, 0-based (written 1-based in the link) */
  instance: number;
  /** a panel to bring into view, or null */
  panel: string | null;
  /** the seed a paper view was trained with when not its preset's (written viewSeed=…; absent = the preset's) */
  viewSeed?: number;
}

/** Ids the decoder accepts for `view` and `panel` (the UI passes its registries). */
export interface LinkVocabulary {
  views: readonly string[];
  defaultView: string;
  panels: readonly string[];
}

/** Keys in the hash that are not the run's state but how it is shown (see displayParams.ts); the decoder skips them. */
export const DISPLAY_KEYS: readonly string[] = ['embed', 'hide', 'present', 'theme'];
const isDisplayKey = (key: string) => DISPLAY_KEYS.includes(key) || /^[A-Za-z][A-Za-z0-9-]{0,40}_hide$/.test(key);

/** Longer hashes are refused outright (a full config is about 200 characters). */
export const MAX_HASH_LENGTH = 2000;
/** At most this many problems are listed; the rest are counted. */
const MAX_MESSAGES = 6;
/** Panel ids: lower-case words with dashes (views may add panels the vocabulary does not list; unknown ids do nothing). */
const ID_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

/** Fields written even when they equal the defaults, so a link survives a change of defaults. */
const ALWAYS: ReadonlySet<keyof LabConfig> = new Set(['model', 'n', 'm', 'instances', 'sparsity', 'importanceDecay', 'steps', 'batch', 'lr', 'weightDecay', 'seed']);
/** Feature-set fields matter only when there are sets. */
const SET_FIELDS: ReadonlySet<keyof LabConfig> = new Set(['correlatedSets', 'anticorrelatedSets', 'setSize', 'anticorrelatedConvention']);

export function defaultLinkState(vocab: Pick<LinkVocabulary, 'defaultView'>): LinkState {
  return { config: { ...DEFAULT_CONFIG }, view: vocab.defaultView, instance: 0, panel: null };
}

function encodeValue(v: unknown): string {
  const s = Array.isArray(v) ? v.join(':') : v === null ? 'none' : String(v);
  return encodeURIComponent(s).replace(/%3A/gi, ':');
}

/** The hash for a state, with its leading '#'. Keys in the config table's order, then view, instance, panel. */
export function encodeHash(s: LinkState): string {
  const c = s.config;
  const hasSets = c.correlatedSets > 0 || c.anticorrelatedSets > 0;
  const parts: string[] = [];
  for (const { key } of FIELDS) {
    const value = c[key];
    const isDefault = JSON.stringify(value) === JSON.stringify(DEFAULT_CONFIG[key]);
    if (SET_FIELDS.has(key) ? !hasSets && isDefault : !ALWAYS.has(key) && isDefault) continue;
    parts.push(`${key}=${encodeValue(value)}`);
  }
  parts.push(`view=${encodeValue(s.view)}`);
  if (c.instances > 1 && s.instance > 0) parts.push(`instance=${s.instance + 1}`);
  if (s.panel) parts.push(`panel=${encodeValue(s.panel)}`);
  if (s.viewSeed !== undefined) parts.push(`viewSeed=${encodeValue(s.viewSeed)}`);
  return `#${parts.join('&')}`;
}

/** A user's value, quoted and cut short, safe to show as text. */
export function quote(value: string, max = 40): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return JSON.stringify(clean.length > max ? clean.slice(0, max) + '…' : clean);
}

function describeDefault(key: keyof LabConfig): string {
  const v = DEFAULT_CONFIG[key];
  return `${key} = ${Array.isArray(v) ? v.join(':') : v === null ? 'none' : String(v)}`;
}

export interface DecodedLink {
  state: LinkState;
  /** one readable sentence per problem; empty when the hash was clean */
  errors: string[];
  /** the hash held any run state at all (else the caller may look elsewhere, e.g. the old query form) */
  present: boolean;
}

/** Split "a=1&b=2" into key → values, in order; '+' is a space, bad percent-escapes stay as they are. */
export function parseParams(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    if (!key && !value) continue;
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

/**
 * Read a hash (with or without its '#'). Valid settings are kept; each invalid, unknown or
 * repeated one is reported and replaced by its default. Settings that are valid alone but
 * clash with an earlier one (e.g. more feature sets than features) are dropped, later ones first.
 */
export function decodeHash(hash: string, vocab: LinkVocabulary): DecodedLink {
  const state = defaultLinkState(vocab);
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!text) return { state, errors: [], present: false };
  if (text.length > MAX_HASH_LENGTH) {
    return { state, errors: [`The link's settings are too long (${text.length} characters; at most ${MAX_HASH_LENGTH}), so the defaults are used.`], present: true };
  }
  return decodeParams(parseParams(text), vocab, 'link');
}

/** The same rules for any key → values map (the hash, or the old ?n=6&m=2 query form). */
export function decodeParams(params: Map<string, string[]>, vocab: LinkVocabulary, where: string): DecodedLink {
  const state = defaultLinkState(vocab);
  const errors: string[] = [];
  const known = new Set<string>(FIELDS.map((f) => f.key));
  const single = new Map<string, string>();
  let present = false;
  for (const [key, values] of params) {
    if (isDisplayKey(key)) continue;
    present = true;
    if (!known.has(key) && !['view', 'instance', 'panel', 'viewSeed'].includes(key)) {
      errors.push(`Ignored an unknown setting ${quote(key)} in the ${where}.`);
      continue;
    }
    if (values.length > 1) {
      errors.push(`${key} appears ${values.length} times in the ${where}; ${known.has(key) ? `used the default ${describeDefault(key as keyof LabConfig)}` : 'used the default'}.`);
      continue;
    }
    single.set(key, values[0]);
  }

  const accepted: Record<string, unknown> = {};
  for (const { key } of FIELDS) {
    const raw = single.get(key);
    if (raw === undefined) continue;
    const value = key === 'sparsityRange' && (raw === '' || raw === 'none') ? null : raw;
    const r = validateConfig({ ...accepted, [key]: value }, DEFAULT_CONFIG);
    if (r.ok) accepted[key] = value;
    else errors.push(...r.errors.map((e) => `In the ${where}: ${e}; used the default ${describeDefault(key)}.`));
  }
  const result = validateConfig(accepted, DEFAULT_CONFIG);
  state.config = result.ok ? result.config : { ...DEFAULT_CONFIG };

  const view = single.get('view');
  if (view !== undefined) {
    if (vocab.views.includes(view)) state.view = view;
    else errors.push(`In the ${where}: there is no view ${quote(view)} (views: ${vocab.views.join(', ')}); showing ${vocab.defaultView}.`);
  }
  const instance = single.get('instance');
  if (instance !== undefined) {
    const k = /^\d{1,6}$/.test(instance.trim()) ? Number(instance) : NaN;
    if (Number.isInteger(k) && k >= 1 && k <= state.config.instances) state.instance = k - 1;
    else errors.push(`In the ${where}: instance must be a whole number from 1 to ${state.config.instances}; got ${quote(instance)}; showing instance 1.`);
  }
  const panel = single.get('panel');
  if (panel !== undefined && panel !== '') {
    if (vocab.panels.includes(panel) || ID_PATTERN.test(panel)) state.panel = panel;
    else errors.push(`In the ${where}: ${quote(panel)} is not a panel name (e.g. ${vocab.panels.slice(0, 3).join(', ')}); ignored it.`);
  }
  const viewSeed = single.get('viewSeed');
  if (viewSeed !== undefined) {
    // a view's seed is a config field like any other: the same validator, under its own name
    const r = validateConfig({ seed: viewSeed }, DEFAULT_CONFIG);
    if (r.ok) state.viewSeed = r.config.seed;
    else errors.push(...r.errors.map((e) => `In the ${where}: ${e.replace(/^seed/, 'viewSeed')}; the view uses its preset's seed.`));
  }
  return { state, errors: summarise(errors), present };
}

function summarise(errors: string[]): string[] {
  if (errors.length <= MAX_MESSAGES) return errors;
  return [...errors.slice(0, MAX_MESSAGES - 1), `…and ${errors.length - MAX_MESSAGES + 1} more problems in the same address.`];
}

/** Equal as links (the hash they write). */
export function sameLink(a: LinkState, b: LinkState): boolean {
  return encodeHash(a) === encodeHash(b);
}
