import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/engine/shared/rng';
import { sharkeySource } from '../../src/engine/sae/activations';

const draw = (seed: number, count: number) => {
  const r = createRng(seed);
  return Array.from({ length: count }, () => r.next());
};

describe('seeded RNG', () => {
  it('repeats the same stream for the same seed', () => {
    expect(draw(42, 1000)).toEqual(draw(42, 1000));
  });
  it('gives different streams for different seeds, including 0 and 1', () => {
    expect(draw(0, 10)).not.toEqual(draw(1, 10));
    expect(draw(1, 10)).not.toEqual(draw(2, 10));
  });
  it('forks independent, repeatable streams', () => {
    const a = createRng(7).fork(1), b = createRng(7).fork(1), c = createRng(7).fork(2);
    const xs = Array.from({ length: 50 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 50 }, () => b.next()));
    expect(xs).not.toEqual(Array.from({ length: 50 }, () => c.next()));
  });
  it('is uniform on [0,1) and normal() has mean 0, variance 1', () => {
    const r = createRng(3);
    const N = 200_000;
    let sum = 0, min = 1, max = 0;
    for (let i = 0; i < N; i++) {
      const u = r.next();
      sum += u; min = Math.min(min, u); max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / N).toBeCloseTo(0.5, 2);
    let s1 = 0, s2 = 0;
    for (let i = 0; i < N; i++) {
      const z = r.normal();
      s1 += z; s2 += z * z;
    }
    expect(s1 / N).toBeCloseTo(0, 1);
    expect(s2 / N).toBeCloseTo(1, 1);
  });

  it('the Sharkey sampler with sfc32 inlined draws exactly what rng.next() would (same batches, same stream after)', () => {
    // hiding sfc32 makes the sampler take its plain rng.next() loop
    const plain = (r: Rng): Rng => ({ next: () => r.next(), normal: () => r.normal(), fork: (l) => r.fork(l) });
    for (const [d, G, active] of [[12, 16, 3], [32, 64, 5], [5, 40, 39]] as const) {
      const ra = createRng(7), rb = createRng(7);
      const a = sharkeySource(d, G, active, ra), b = sharkeySource(d, G, active, plain(rb));
      expect(a.trueDirections).toEqual(b.trueDirections);
      for (const B of [1, 64, 33]) {
        const ha = new Float32Array(B * d).fill(9), hb = new Float32Array(B * d).fill(9);
        a.sample(B, ha);
        b.sample(B, hb);
        expect(ha).toEqual(hb);
        expect(ha.some((x) => x !== 0)).toBe(true);
      }
      expect(ra.next()).toBe(rb.next());
    }
  });
});
