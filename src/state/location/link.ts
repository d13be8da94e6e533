// What a shared link restores, written in the URL's hash: the lab's config, the view, the selected
// instance and panel, a paper view's seed, and the settings of every tab that registered them
// (tabs.ts; #…&view=sae&sae.l1=0.3). Pure: strings in, state out. The hash is untrusted input:
// every value goes through its field table's validator; anything invalid is named in a notice and
// replaced by its default, never executed or used as markup.

import { DEFAULT_CONFIG, FIELDS, validateConfig, type LabConfig } from '../../engine/toy/config.ts';
import { isDisplayKey } from './display.ts';
import { encodeValue, parseParams, quote, summarise } from './params.ts';
import { decodeSection, describeDefault, encodeSection, sectionKeys, type AnySection, type SettingsSection } from './sections.ts';
import { TAB_SETTINGS } from './tabs.ts';

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
  /** settings of registered tabs (tabs.ts) by tab id, present when they are not the tab's defaults */
  settings?: Readonly<Record<string, object>>;
}

/** Ids the decoder accepts for `view` and `panel` (the UI passes its registries). */
export interface LinkVocabulary {
  views: readonly string[];
  defaultView: string;
  panels: readonly string[];
}

/** Longer hashes are refused outright (a full config is about 200 characters). */
export const MAX_HASH_LENGTH = 2000;
/** Panel ids: lower-case words with dashes (views may add panels the vocabulary does not list; unknown ids do nothing). */
const ID_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
/** The link's own keys besides the config fields. */
const LINK_KEYS = ['view', 'instance', 'panel', 'viewSeed'];

/** Fields written even when they equal the defaults, so a link survives a change of defaults. */
const ALWAYS: ReadonlySet<keyof LabConfig> = new Set(['model', 'n', 'm', 'instances', 'sparsity', 'importanceDecay', 'steps', 'batch', 'lr', 'weightDecay', 'seed']);
/** Feature-set fields matter only when there are sets. */
const SET_FIELDS: ReadonlySet<keyof LabConfig> = new Set(['correlatedSets', 'anticorrelatedSets', 'setSize', 'anticorrelatedConvention']);

/** The live lab's config: its keys have no prefix (as links always had them). */
export const LAB_SECTION: SettingsSection<LabConfig> = {
  id: 'lab',
  prefix: '',
  fields: FIELDS,
  defaults: DEFAULT_CONFIG,
  validate: (input, base) => validateConfig(input, base),
  writes(c, key) {
    const isDefault = JSON.stringify(c[key]) === JSON.stringify(DEFAULT_CONFIG[key]);
    const hasSets = c.correlatedSets > 0 || c.anticorrelatedSets > 0;
    return SET_FIELDS.has(key) ? hasSets || !isDefault : ALWAYS.has(key) || !isDefault;
  },
};

export function defaultLinkState(vocab: Pick<LinkVocabulary, 'defaultView'>): LinkState {
  return { config: { ...DEFAULT_CONFIG }, view: vocab.defaultView, instance: 0, panel: null };
}

/** The hash for a state, with its leading '#': the config in its table's order, view, instance, panel, view seed, then each tab's settings. */
export function encodeHash(s: LinkState, tabs: readonly AnySection[] = TAB_SETTINGS): string {
  const parts = encodeSection(LAB_SECTION, s.config);
  parts.push(`view=${encodeValue(s.view)}`);
  if (s.config.instances > 1 && s.instance > 0) parts.push(`instance=${s.instance + 1}`);
  if (s.panel) parts.push(`panel=${encodeValue(s.panel)}`);
  if (s.viewSeed !== undefined) parts.push(`viewSeed=${encodeValue(s.viewSeed)}`);
  for (const tab of tabs) {
    const settings = s.settings?.[tab.id];
    if (settings) parts.push(...encodeSection(tab, settings));
  }
  return `#${parts.join('&')}`;
}

export interface DecodedLink {
  state: LinkState;
  /** one readable sentence per problem; empty when the hash was clean */
  errors: string[];
  /** the hash held any run state at all (else the caller may look elsewhere, e.g. the old query form) */
  present: boolean;
}

/**
 * Read a hash (with or without its '#'). Valid settings are kept; each invalid, unknown or
 * repeated one is reported and replaced by its default. Settings that are valid alone but
 * clash with an earlier one (e.g. more feature sets than features) are dropped, later ones first.
 */
export function decodeHash(hash: string, vocab: LinkVocabulary, tabs: readonly AnySection[] = TAB_SETTINGS): DecodedLink {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!text) return { state: defaultLinkState(vocab), errors: [], present: false };
  if (text.length > MAX_HASH_LENGTH) {
    return { state: defaultLinkState(vocab), errors: [`The link's settings are too long (${text.length} characters; at most ${MAX_HASH_LENGTH}), so the defaults are used.`], present: true };
  }
  return decodeParams(parseParams(text), vocab, 'link', tabs);
}

/** The same rules for any key → values map (the hash, or the old ?n=6&m=2 query form). */
export function decodeParams(params: Map<string, string[]>, vocab: LinkVocabulary, where: string, tabs: readonly AnySection[] = TAB_SETTINGS): DecodedLink {
  const sections: readonly AnySection[] = [LAB_SECTION, ...tabs];
  const owner = new Map<string, AnySection>(sections.flatMap((s) => sectionKeys(s).map((k) => [k, s] as const)));
  const errors: string[] = [];
  const single = new Map<string, string>();
  let present = false;
  for (const [key, values] of params) {
    if (isDisplayKey(key)) continue;
    present = true;
    const section = owner.get(key);
    if (!section && !LINK_KEYS.includes(key)) {
      errors.push(`Ignored an unknown setting ${quote(key)} in the ${where}.`);
      continue;
    }
    if (values.length > 1) {
      errors.push(`${key} appears ${values.length} times in the ${where}; ${section ? `used the default ${describeDefault(section, key.slice(section.prefix.length))}` : 'used the default'}.`);
      continue;
    }
    single.set(key, values[0]);
  }

  const state = defaultLinkState(vocab);
  const lab = decodeSection(LAB_SECTION, single, where);
  state.config = lab.config;
  errors.push(...lab.errors);

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

  const settings: Record<string, object> = {};
  for (const tab of tabs) {
    const decoded = decodeSection(tab, single, where);
    errors.push(...decoded.errors);
    if (decoded.present) settings[tab.id] = decoded.config;
  }
  if (Object.keys(settings).length) state.settings = settings;
  return { state, errors: summarise(errors), present };
}

/** Equal as links (the hash they write). */
export function sameLink(a: LinkState, b: LinkState): boolean {
  return encodeHash(a) === encodeHash(b);
}
