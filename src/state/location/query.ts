// The page's own parameters in the query string, for tests and comparisons: ?backend=cpu
// ?engine=tfjs ?saeEngine=fused ?autoplay=0. A field table like any other config, so a bad value
// gets the same notice as a bad setting in the hash. They stay in the query (the hash is the run).

import { BACKEND_NAMES, ENGINE_CHOICES, type BackendName, type EngineChoice } from '../../engine/shared/engines.ts';
import { validateFields, type FieldSpec } from '../../engine/shared/fields.ts';
import { isDisplayKey } from './display.ts';
import { parseParams, partKey } from './params.ts';
import { decodeSection, type SettingsSection } from './sections.ts';

export interface PageParams {
  /** forces a TF.js backend (null: wasm, then cpu) */
  backend: BackendName | null;
  /** the live lab's and the views' trainer (auto: the engine picks) */
  engine: EngineChoice;
  /** the SAE's trainer */
  saeEngine: EngineChoice;
  /** false starts paused */
  autoplay: boolean;
}

const PAGE_FIELDS: readonly FieldSpec<PageParams>[] = [
  { key: 'backend', flag: 'backend', help: 'TF.js backend', type: { kind: 'enum', values: BACKEND_NAMES }, nullable: true },
  { key: 'engine', flag: 'engine', help: 'trainer of the lab and the views', type: { kind: 'enum', values: ENGINE_CHOICES } },
  { key: 'saeEngine', flag: 'sae-engine', help: 'trainer of the SAE', type: { kind: 'enum', values: ENGINE_CHOICES } },
  { key: 'autoplay', flag: 'autoplay', help: '0 starts paused', type: { kind: 'bool' } },
];

export const PAGE_SECTION: SettingsSection<PageParams> = {
  id: 'page',
  prefix: '',
  fields: PAGE_FIELDS,
  defaults: { backend: null, engine: 'auto', saeEngine: 'auto', autoplay: true },
  validate: (input, base) => validateFields(PAGE_FIELDS, input, base, {}, () => []),
};

/** Non-config parameters the page understands in the query string. */
export const PAGE_PARAMS: readonly string[] = PAGE_FIELDS.map((f) => f.key);

/** Parameters that belong in the query; everything else there is run state in the old ?n=…&m=… form. */
export const keepsInQuery = (key: string) => PAGE_PARAMS.includes(key) || isDisplayKey(key);

/** The page parameters of a query string (the last of a repeated one), each through the validator. */
export function readPageParams(search: string): { params: PageParams; errors: string[] } {
  const single = new Map<string, string>();
  for (const [key, values] of parseParams(search.replace(/^\?/, ''))) if (PAGE_PARAMS.includes(key)) single.set(key, values.at(-1)!);
  const { config, errors } = decodeSection(PAGE_SECTION, single, 'address bar');
  return { params: config, errors };
}

/** This page's parameters (the defaults outside a browser). */
export function currentPageParams(): PageParams {
  return typeof window === 'undefined' ? { ...PAGE_SECTION.defaults } : readPageParams(window.location.search).params;
}

/** The query string without run state (which belongs in the hash), e.g. "?backend=cpu&embed=gram" or "". */
export function pageSearch(search: string): string {
  const text = search.replace(/^\?/, '');
  if (!text) return '';
  const kept = text.split('&').filter((part) => {
    const key = partKey(part);
    return key !== null && keepsInQuery(key);
  });
  return kept.length ? `?${kept.join('&')}` : '';
}
