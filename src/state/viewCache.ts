// Finished view passes, kept so that a view opened again (or trained again with the same seed and
// settings) shows its result at once instead of training it again. Keyed by everything that decides
// what a pass produces: view, run, the full validated config (seed included), the record plan, the
// engine asked for, the early-stopping rule and VIEW_CODE_VERSION. In memory for this page, and in
// localStorage (capped at STORE_CHARS in all, oldest dropped first) for the next visit. What comes
// back from storage is untrusted: every field is checked against the config before it is used.

import type { LabConfig } from '../engine/toy/config.ts';
import { STOP_RULE } from '../engine/views/earlyStop.ts';
import { recordPlan, VIEW_CODE_VERSION, type Frame, type ViewRunSpec } from '../engine/views/views.ts';

/** A finished pass as cached: the final parameters, the loss curve and (dynamics) the frames. */
export interface CachedPass {
  key: string;
  step: number;
  engine: string;
  /** training seconds it took when it was trained */
  seconds: number;
  W: Float32Array;
  b: Float32Array;
  W2: Float32Array | null;
  losses: Float32Array;
  finalLosses: Float32Array | null;
  /** loss curve: steps [P], losses [P][K] flattened */
  curve: { steps: Float64Array; losses: Float32Array };
  frames: Frame[];
}

/** What the cache persists to (window.localStorage on the page, a Map-backed stand-in in tests). */
export interface CacheStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = 'superposition-lab.view-cache.';
const INDEX_KEY = `${PREFIX}index`;
/** all persisted entries together stay under this many characters (localStorage holds ~5 M per site) */
export const STORE_CHARS = 2_000_000;
/** loss curve points kept per pass: at most this many numbers (points × instances) */
const CURVE_NUMBERS = 8000;
const MEMORY_ENTRIES = 64;
const ENGINES = new Set(['fused', 'tfjs']);

/** The full key of a pass. */
export function passKey(viewId: string, spec: ViewRunSpec, pass: number, config: LabConfig): string {
  return JSON.stringify({ v: VIEW_CODE_VERSION, view: viewId, run: spec.id, pass, config, record: recordPlan(spec, config), engine: spec.engine ?? 'auto', stop: STOP_RULE });
}

/** FNV-1a of the key, the storage slot's name (the entry carries its full key, compared on read). */
function slot(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return `${PREFIX}${(h >>> 0).toString(16)}`;
}

/** Keep at most `max` points of a curve, evenly (the last always). */
export function thinCurve(steps: ArrayLike<number>, losses: ArrayLike<number>, K: number, max: number): CachedPass['curve'] {
  const P = steps.length;
  const keep = P <= max ? Array.from({ length: P }, (_, i) => i) : Array.from({ length: max }, (_, i) => Math.round((i * (P - 1)) / Math.max(1, max - 1)));
  const out = { steps: new Float64Array(keep.length), losses: new Float32Array(keep.length * K) };
  keep.forEach((p, i) => {
    out.steps[i] = steps[p];
    for (let k = 0; k < K; k++) out.losses[i * K + k] = losses[p * K + k];
  });
  return out;
}

export function curveBudget(K: number): number {
  return Math.max(20, Math.floor(CURVE_NUMBERS / Math.max(1, K)));
}

function toJson(e: CachedPass): string {
  const arr = (a: ArrayLike<number> | null) => (a ? Array.from(a) : null);
  return JSON.stringify({
    key: e.key, step: e.step, engine: e.engine, seconds: e.seconds,
    W: arr(e.W), b: arr(e.b), W2: arr(e.W2), losses: arr(e.losses), finalLosses: arr(e.finalLosses),
    curve: { steps: arr(e.curve.steps), losses: arr(e.curve.losses) },
    frames: e.frames.map((f) => ({ step: f.step, W: arr(f.W), b: arr(f.b), loss: Number.isFinite(f.loss) ? f.loss : null })),
  });
}

/** A persisted entry checked against the key and config it should belong to: the pass, or what is wrong with it. */
export function parseCachedPass(text: string, key: string, config: LabConfig): CachedPass | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'cached view pass: not JSON';
  }
  if (typeof raw !== 'object' || raw === null) return 'cached view pass: not an object';
  const o = raw as Record<string, unknown>;
  if (o.key !== key) return 'cached view pass: saved for other settings';
  const { instances: K, n, m } = config;
  const floats = (name: string, v: unknown, len: number, allowNaN = false): Float32Array | string => {
    if (!Array.isArray(v) || v.length !== len) return `cached view pass: ${name} must be ${len} numbers`;
    for (const x of v) if (!(typeof x === 'number' && Number.isFinite(x)) && !(allowNaN && x === null)) return `cached view pass: ${name} holds a value that is not a finite number`;
    return Float32Array.from(v as (number | null)[], (x) => (x === null ? NaN : x));
  };
  if (!(typeof o.step === 'number' && Number.isInteger(o.step) && o.step >= 1 && o.step <= config.steps)) return `cached view pass: step must be an integer from 1 to ${config.steps}`;
  if (typeof o.engine !== 'string' || !ENGINES.has(o.engine)) return 'cached view pass: engine must be fused or tfjs';
  if (!(typeof o.seconds === 'number' && Number.isFinite(o.seconds) && o.seconds >= 0)) return 'cached view pass: seconds must be a number ≥ 0';
  const W = floats('W', o.W, K * m * n);
  const b = floats('b', o.b, K * n);
  const W2 = config.model === 'relu-hidden' ? floats('W2', o.W2, K * n * m) : o.W2 === null ? null : 'cached view pass: W2 must be null for this model';
  const losses = floats('losses', o.losses, K, true);
  const finalLosses = o.finalLosses === null ? null : floats('finalLosses', o.finalLosses, K, true);
  for (const v of [W, b, W2, losses, finalLosses]) if (typeof v === 'string') return v;
  const c = o.curve as Record<string, unknown> | null;
  if (typeof c !== 'object' || c === null || !Array.isArray(c.steps) || c.steps.length > curveBudget(K)) return 'cached view pass: curve must hold steps and losses';
  const P = c.steps.length;
  const steps = floats('curve steps', c.steps, P);
  const curveLosses = floats('curve losses', c.losses, P * K, true);
  if (typeof steps === 'string') return steps;
  if (typeof curveLosses === 'string') return curveLosses;
  if (!Array.isArray(o.frames) || o.frames.length > 1000) return 'cached view pass: frames must be a list of at most 1000';
  const frames: Frame[] = [];
  for (const f of o.frames as unknown[]) {
    const fr = f as Record<string, unknown> | null;
    if (typeof fr !== 'object' || fr === null || typeof fr.step !== 'number' || !Number.isInteger(fr.step) || fr.step < 0 || fr.step > config.steps) return 'cached view pass: a frame has no valid step';
    const fW = floats('frame W', fr.W, m * n);
    const fb = floats('frame b', fr.b, n);
    if (typeof fW === 'string') return fW;
    if (typeof fb === 'string') return fb;
    if (!(fr.loss === null || (typeof fr.loss === 'number' && Number.isFinite(fr.loss)))) return 'cached view pass: a frame loss is not a number';
    frames.push({ step: fr.step, W: fW, b: fb, loss: fr.loss === null ? NaN : fr.loss });
  }
  return {
    key, step: o.step, engine: o.engine, seconds: o.seconds,
    W: W as Float32Array, b: b as Float32Array, W2: W2 as Float32Array | null, losses: losses as Float32Array, finalLosses: finalLosses as Float32Array | null,
    curve: { steps: Float64Array.from(steps), losses: curveLosses }, frames,
  };
}

export interface ViewCache {
  get(key: string, config: LabConfig): CachedPass | null;
  put(entry: CachedPass): void;
  /** what was wrong with the last entry read from storage and dropped, or null */
  readonly lastProblem: string | null;
}

/** A cache over `store` (null: memory only). */
export function createViewCache(store: CacheStore | null): ViewCache {
  const memory = new Map<string, CachedPass>();
  let lastProblem: string | null = null;
  const readIndex = (): string[] => {
    try {
      const v: unknown = JSON.parse(store?.getItem(INDEX_KEY) ?? '[]');
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.startsWith(PREFIX)) : [];
    } catch {
      return [];
    }
  };
  const remember = (e: CachedPass) => {
    memory.delete(e.key);
    memory.set(e.key, e);
    if (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value!);
  };
  return {
    get lastProblem() {
      return lastProblem;
    },
    get(key, config) {
      const hit = memory.get(key);
      if (hit) return hit;
      if (!store) return null;
      let text: string | null = null;
      try {
        text = store.getItem(slot(key));
      } catch {
        return null;
      }
      if (text === null) return null;
      const parsed = parseCachedPass(text, key, config);
      if (typeof parsed === 'string') {
        lastProblem = parsed;
        // another config's entry in the same slot stays (it is valid for that config)
        if (!parsed.endsWith('saved for other settings')) store.removeItem(slot(key));
        return null;
      }
      remember(parsed);
      return parsed;
    },
    put(entry) {
      remember(entry);
      if (!store) return;
      const text = toJson(entry);
      if (text.length > STORE_CHARS / 2) return; // too big to persist: memory only
      const name = slot(entry.key);
      try {
        const index = readIndex().filter((x) => x !== name);
        let total = text.length;
        const kept: string[] = [];
        // newest last: keep from the end while under the cap
        for (let i = index.length - 1; i >= 0; i--) {
          const size = store.getItem(index[i])?.length ?? 0;
          if (size && total + size <= STORE_CHARS) {
            total += size;
            kept.unshift(index[i]);
          } else store.removeItem(index[i]);
        }
        store.setItem(name, text);
        store.setItem(INDEX_KEY, JSON.stringify([...kept, name]));
      } catch {
        // storage full or refused: memory only
      }
    },
  };
}

let pageCache: ViewCache | null = null;

/** The page's cache (localStorage when there is one). */
export function browserViewCache(): ViewCache {
  if (pageCache) return pageCache;
  let store: CacheStore | null = null;
  try {
    store = typeof window !== 'undefined' && window.localStorage ? window.localStorage : null;
  } catch {
    store = null;
  }
  pageCache = createViewCache(store);
  return pageCache;
}
