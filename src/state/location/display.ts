// How the page is shown, from the query or the hash (the hash wins): embed mode, hidden controls,
// presentation mode and a forced theme. Pure. The run's own state is in link.ts.

import { HIDABLE_NAMES } from '../hidableControls.ts';
import { parseParams, quote } from './params.ts';

export type ThemeChoice = 'light' | 'dark' | 'system';

export interface DisplayParams {
  /** ?embed=<panel or view id>: one panel and its essential controls, no page chrome */
  embed: string | null;
  /** controls hidden with ?hide=a,b or ?a_hide=true */
  hidden: string[];
  /** ?present=1: large type for lectures */
  presentation: boolean;
  /** ?theme=dark|light|system (null: the visitor's own choice) */
  theme: ThemeChoice | null;
  errors: string[];
}

/** Keys that say how the run is shown, not what it is; the link's decoder leaves them to this module. */
export const DISPLAY_KEYS: readonly string[] = ['embed', 'hide', 'present', 'theme'];
export const isDisplayKey = (key: string) => DISPLAY_KEYS.includes(key) || /^[A-Za-z][A-Za-z0-9-]{0,40}_hide$/.test(key);

const TRUE = ['', '1', 'true', 'on', 'yes'];
const FALSE = ['0', 'false', 'off', 'no'];

/** `embeddable`: panel and view ids; the first is used when ?embed= names none of them. */
export function readDisplayParams(search: string, hash: string, embeddable: readonly string[]): DisplayParams {
  const out: DisplayParams = { embed: null, hidden: [], presentation: false, theme: null, errors: [] };
  const hidden = new Set<string>();
  const unknownHidden = new Set<string>();
  for (const text of [search.replace(/^\?/, ''), hash.replace(/^#/, '')]) {
    if (!text || text.length > 4000) continue;
    const params = parseParams(text);
    const last = (key: string) => params.get(key)?.at(-1);
    const embed = last('embed');
    if (embed !== undefined) {
      if (embeddable.includes(embed)) out.embed = embed;
      else {
        out.embed = embeddable[0] ?? null;
        out.errors.push(`There is no panel or view ${quote(embed)} to embed (choose from ${embeddable.join(', ')}); showing ${out.embed}.`);
      }
    }
    for (const list of params.get('hide') ?? []) {
      for (const name of list.split(',').map((s) => s.trim()).filter(Boolean)) {
        if (HIDABLE_NAMES.includes(name)) hidden.add(name);
        else unknownHidden.add(name);
      }
    }
    for (const [key, values] of params) {
      const m = /^(.+)_hide$/.exec(key);
      if (!m) continue;
      const v = values.at(-1)!.toLowerCase();
      if (!HIDABLE_NAMES.includes(m[1])) unknownHidden.add(m[1]);
      else if (TRUE.includes(v)) hidden.add(m[1]);
      else if (FALSE.includes(v)) hidden.delete(m[1]);
      else out.errors.push(`${quote(key)} must be true or false; got ${quote(values.at(-1)!)}.`);
    }
    const present = last('present');
    if (present !== undefined) {
      if (TRUE.includes(present.toLowerCase())) out.presentation = true;
      else if (FALSE.includes(present.toLowerCase())) out.presentation = false;
      else out.errors.push(`present must be 1 or 0; got ${quote(present)}.`);
    }
    const theme = last('theme');
    if (theme !== undefined) {
      if (theme === 'light' || theme === 'dark' || theme === 'system') out.theme = theme;
      else out.errors.push(`theme must be light, dark or system; got ${quote(theme)}.`);
    }
  }
  if (unknownHidden.size) {
    out.errors.push(`Cannot hide ${[...unknownHidden].slice(0, 5).map((n) => quote(n, 24)).join(', ')}: not a control (hidable: ${HIDABLE_NAMES.join(', ')}).`);
  }
  out.hidden = [...hidden];
  return out;
}

/** The query that asks for a display, e.g. "?embed=gram&hide=reset&present=1" (what an embed's address starts with). */
export function displaySearch(d: { embed: string | null; hidden: readonly string[]; presentation?: boolean; theme?: ThemeChoice | null }): string {
  const params: string[] = [];
  if (d.embed) params.push(`embed=${encodeURIComponent(d.embed)}`);
  if (d.hidden.length) params.push(`hide=${d.hidden.map(encodeURIComponent).join(',')}`);
  if (d.presentation) params.push('present=1');
  if (d.theme) params.push(`theme=${d.theme}`);
  return params.length ? `?${params.join('&')}` : '';
}
