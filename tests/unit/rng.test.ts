import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/shared/rng';

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
});
