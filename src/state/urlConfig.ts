// The config in the page's URL: ?n=6&m=2&sparsity=0.9&seed=1 …
// Keys are the config's own field names; only values that differ from DEFAULT_CONFIG are written.
// Reading goes through the one validator, so a bad URL gives readable messages, never a crash.

import { DEFAULT_CONFIG, FIELDS, validateConfig, type LabConfig } from '../engine/config.ts';
import type { BackendName } from '../engine/backend.ts';
import type { EngineChoice } from '../worker/protocol.ts';

/** Non-config parameters the page understands. */
const PAGE_PARAMS = new Set(['backend', 'engine', 'autoplay']);

export interface UrlState {
  config: LabConfig;
  errors: string[];
  /** ?backend=cpu forces a backend (for tests and comparisons) */
  backends: BackendName[] | null;
  /** ?engine=tfjs forces the TF.js trainer (default: the engine picks) */
  engine: EngineChoice;
  /** ?autoplay=0 starts paused */
  autoplay: boolean;
}

export function readUrl(search: string): UrlState {
  const params = new URLSearchParams(search);
  const raw: Record<string, string | null> = {};
  for (const [key, value] of params) {
    if (PAGE_PARAMS.has(key)) continue;
    raw[key] = key === 'sparsityRange' && (value === '' || value === 'none') ? null : value;
  }
  const result = validateConfig(raw, DEFAULT_CONFIG);
  const backend = params.get('backend');
  const backends: BackendName[] | null = backend === 'wasm' || backend === 'cpu' || backend === 'webgl' ? [backend] : null;
  return {
    config: result.ok ? result.config : { ...DEFAULT_CONFIG },
    errors: result.ok ? [] : result.errors.map((e) => `Ignored the settings in the address bar: ${e}`),
    backends,
    engine: params.get('engine') === 'tfjs' || params.get('engine') === 'fused' ? (params.get('engine') as EngineChoice) : 'auto',
    autoplay: params.get('autoplay') !== '0',
  };
}

/** The query string for a config (only non-default fields), keeping the page parameters already present. */
export function configToSearch(config: LabConfig, currentSearch: string): string {
  const params = new URLSearchParams();
  const current = new URLSearchParams(currentSearch);
  for (const key of PAGE_PARAMS) {
    const v = current.get(key);
    if (v !== null) params.set(key, v);
  }
  for (const { key } of FIELDS) {
    const value = config[key];
    const base = DEFAULT_CONFIG[key];
    if (JSON.stringify(value) === JSON.stringify(base)) continue;
    params.set(key, Array.isArray(value) ? value.join(':') : value === null ? 'none' : String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
