// The query string: page parameters for tests and comparisons (?backend=cpu ?engine=tfjs
// ?autoplay=0), display parameters (displayParams.ts), and the old form of a shared link
// (?n=6&m=2&sparsity=0.9), which is read with the hash's rules and then moved into the hash.
// The run's state lives in the hash (linkState.ts).

import type { BackendName } from '../engine/shared/backend.ts';
import type { EngineChoice } from '../worker/protocol.ts';
import { DISPLAY_KEYS, decodeParams, parseParams, type DecodedLink, type LinkVocabulary } from './linkState.ts';

/** Non-config parameters the page understands in the query string. */
export const PAGE_PARAMS: readonly string[] = ['backend', 'engine', 'autoplay'];

const keepsInQuery = (key: string) => PAGE_PARAMS.includes(key) || DISPLAY_KEYS.includes(key) || key.endsWith('_hide');

export interface UrlState {
  /** ?backend=cpu forces a backend (for tests and comparisons) */
  backends: BackendName[] | null;
  /** ?engine=tfjs forces the TF.js trainer (default: the engine picks) */
  engine: EngineChoice;
  /** ?autoplay=0 starts paused */
  autoplay: boolean;
  /** run state in the old ?n=…&m=… form, or null when the query holds none */
  legacy: DecodedLink | null;
}

export function readUrl(search: string, vocab: LinkVocabulary): UrlState {
  const params = new URLSearchParams(search);
  const legacyParams = new Map([...parseParams(search.replace(/^\?/, ''))].filter(([key]) => !keepsInQuery(key)));
  const backend = params.get('backend');
  const backends: BackendName[] | null = backend === 'wasm' || backend === 'cpu' || backend === 'webgl' ? [backend] : null;
  return {
    backends,
    engine: params.get('engine') === 'tfjs' || params.get('engine') === 'fused' ? (params.get('engine') as EngineChoice) : 'auto',
    autoplay: params.get('autoplay') !== '0',
    legacy: legacyParams.size ? decodeParams(legacyParams, vocab, 'address bar') : null,
  };
}

/** The query string without run state (which belongs in the hash), e.g. "?backend=cpu&embed=gram" or "". */
export function pageSearch(search: string): string {
  const text = search.replace(/^\?/, '');
  if (!text) return '';
  const kept = text.split('&').filter((part) => {
    const key = part.split('=')[0];
    try {
      return keepsInQuery(decodeURIComponent(key.replace(/\+/g, ' ')));
    } catch {
      return false;
    }
  });
  return kept.length ? `?${kept.join('&')}` : '';
}

/** The query string with one parameter set (or removed with null), other parameters untouched. */
export function withQueryParam(search: string, key: string, value: string | null): string {
  const parts = search.replace(/^\?/, '').split('&').filter((part) => part && part.split('=')[0] !== key);
  if (value !== null) parts.push(`${key}=${encodeURIComponent(value)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
