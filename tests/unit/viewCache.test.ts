// The cache of finished view passes (state/viewCache.ts): keyed by the full config, persisted under a size cap,
// and what comes back from storage checked as untrusted input.

import { describe, expect, it } from 'vitest';
import { createViewCache, parseCachedPass, passKey, STORE_CHARS, thinCurve, type CacheStore, type CachedPass } from '../../src/state/viewCache';
import { findRunSpec, runConfig } from '../../src/engine/views/views';
import type { LabConfig } from '../../src/engine/toy/config';

class MapStore implements CacheStore {
  readonly map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const run = findRunSpec('correlated')!.run;
const cfg = (over: Partial<LabConfig> = {}): LabConfig => {
  const made = runConfig(run, over);
  if (!made.ok) throw new Error(made.errors.join());
  return made.config;
};

function entry(config: LabConfig, key = passKey('correlated', run, 0, config)): CachedPass {
  const { instances: K, n, m } = config;
  return {
    key, step: 2000, engine: 'fused', seconds: 1.5,
    W: Float32Array.from({ length: K * m * n }, (_, i) => Math.sin(i)),
    b: new Float32Array(K * n).fill(-0.1),
    W2: null,
    losses: new Float32Array(K).fill(0.01),
    finalLosses: null,
    curve: { steps: Float64Array.from([100, 200]), losses: new Float32Array(2 * K).fill(0.02) },
    frames: [],
  };
}

describe('view results cache', () => {
  it('keys by everything that decides the pass: view, run, pass, seed and every setting', () => {
    const a = passKey('correlated', run, 0, cfg());
    expect(passKey('correlated', run, 0, cfg())).toBe(a);
    expect(passKey('correlated', run, 0, cfg({ seed: 2 }))).not.toBe(a);
    expect(passKey('correlated', run, 0, cfg({ lr: 2e-3 }))).not.toBe(a);
    expect(passKey('correlated', run, 1, cfg())).not.toBe(a);
    expect(a).toMatch(/"v":\d+/); // the code version
  });

  it('a second cache over the same storage (the next visit) returns the pass exactly', () => {
    const store = new MapStore();
    const config = cfg();
    const e = entry(config);
    createViewCache(store).put(e);
    const got = createViewCache(store).get(e.key, config);
    expect(got).not.toBeNull();
    expect(got!.W).toEqual(e.W);
    expect(got!.b).toEqual(e.b);
    expect(got!.step).toBe(2000);
    expect(got!.curve.steps).toEqual(e.curve.steps);
    // another seed: a miss
    expect(createViewCache(store).get(passKey('correlated', run, 0, cfg({ seed: 9 })), cfg({ seed: 9 }))).toBeNull();
  });

  it('rejects tampered or corrupt entries with a specific message, and drops them', () => {
    const config = cfg();
    const e = entry(config);
    const store = new MapStore();
    createViewCache(store).put(e);
    const slotName = [...store.map.keys()].find((k) => !k.endsWith('index'))!;
    const good = JSON.parse(store.map.get(slotName)!);
    const cases: [unknown, RegExp][] = [
      ['{not json', /not JSON/],
      [{ ...good, W: good.W.slice(1) }, /W must be 40 numbers/],
      [{ ...good, b: good.b.map(() => 'x') }, /b holds a value that is not a finite number/],
      [{ ...good, step: 99_999 }, /step must be an integer from 1 to 3000/],
      [{ ...good, engine: 'gpu' }, /engine must be fused or tfjs/],
      [{ ...good, W2: [1] }, /W2 must be null/],
      [{ ...good, frames: [{ step: 1, W: [], b: [], loss: 0 }] }, /frame W must be 8 numbers/],
      [{ ...good, key: 'other' }, /saved for other settings/],
    ];
    for (const [value, message] of cases) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      expect(parseCachedPass(text, e.key, config)).toMatch(message);
      store.setItem(slotName, text);
      const cache = createViewCache(store);
      expect(cache.get(e.key, config)).toBeNull();
      expect(cache.lastProblem).toMatch(message);
    }
    // a corrupt entry is removed; one for other settings is left for them
    store.setItem(slotName, '{not json');
    createViewCache(store).get(e.key, config);
    expect(store.map.has(slotName)).toBe(false);
  });

  it('keeps the persisted entries under STORE_CHARS, dropping the oldest first', () => {
    const store = new MapStore();
    const cache = createViewCache(store);
    // dimensionality-sized passes: ~300 k characters each
    const config = cfg({ n: 100, m: 10, instances: 20 });
    const keys = Array.from({ length: 12 }, (_, i) => passKey('correlated', run, 0, { ...config, seed: i + 1 }));
    for (const key of keys) cache.put(entry(config, key));
    const total = [...store.map.values()].reduce((s, v) => s + v.length, 0);
    expect(total).toBeLessThanOrEqual(STORE_CHARS + 10_000);
    const fresh = createViewCache(store);
    expect(fresh.get(keys.at(-1)!, config)).not.toBeNull(); // newest kept
    expect(fresh.get(keys[0], config)).toBeNull(); // oldest dropped
  });

  it('thins a long loss curve evenly, keeping the last point', () => {
    const steps = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    const losses = Float32Array.from({ length: 2000 }, (_, i) => i);
    const c = thinCurve(steps, losses, 2, 11);
    expect(Array.from(c.steps)).toEqual([1, 101, 201, 301, 401, 501, 600, 700, 800, 900, 1000]);
    expect(c.losses[c.losses.length - 1]).toBe(1999);
  });
});
