import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/shared/rng';
import { evalSet, repeatLengthRange, sampleBatch, trainingRng, type InductionDataSpec } from '../../src/engine/transformer/data';

const spec: InductionDataSpec = { vocab: 64, ctx: 32, repeat: 'random' };
const BOS = spec.vocab;

/** The repeat planted in a row: the longest segment starting after BOS that occurs again later (length ≥ 4). */
function plantedRepeat(row: Int32Array): { L: number; s1: number; s2: number } | null {
  const T = row.length;
  let best: { L: number; s1: number; s2: number } | null = null;
  for (let s1 = 1; s1 < T; s1++) {
    for (let s2 = s1 + 1; s2 < T; s2++) {
      let L = 0;
      while (s2 + L < T && s1 + L < s2 && row[s1 + L] === row[s2 + L]) L++;
      if (L >= 4 && (!best || L > best.L)) best = { L, s1, s2 };
    }
  }
  return best;
}

describe('training batches', () => {
  it('shape, BOS at 0 only, content tokens elsewhere', () => {
    const x = sampleBatch(spec, createRng(1), 64);
    expect(x).toHaveLength(64 * 32);
    for (let b = 0; b < 64; b++) {
      expect(x[b * 32]).toBe(BOS);
      for (let i = 1; i < 32; i++) {
        expect(x[b * 32 + i]).toBeGreaterThanOrEqual(0);
        expect(x[b * 32 + i]).toBeLessThan(BOS);
      }
    }
  });

  it('every row holds a repeated segment of length 4 … 15, second copy after the first', () => {
    const B = 2000;
    const x = sampleBatch(spec, createRng(2), B);
    const lengths = new Array(16).fill(0);
    const firstStarts = new Set<number>();
    for (let b = 0; b < B; b++) {
      const r = plantedRepeat(x.subarray(b * 32, (b + 1) * 32));
      expect(r).not.toBeNull();
      expect(r!.s1).toBeGreaterThanOrEqual(1);
      expect(r!.s2).toBeGreaterThanOrEqual(r!.s1 + r!.L);
      expect(r!.s2 + r!.L).toBeLessThanOrEqual(32);
      // a random filler token can extend the detected repeat by chance (probability 1/64 per side)
      lengths[Math.min(15, r!.L)]++;
      firstStarts.add(r!.s1);
    }
    for (let L = 0; L < 4; L++) expect(lengths[L]).toBe(0);
    // L ~ U{4..15}: about B/12 ≈ 167 each (chance extensions move a few up by one)
    for (let L = 4; L <= 15; L++) expect(lengths[L]).toBeGreaterThan(110);
    for (let L = 4; L <= 14; L++) expect(lengths[L]).toBeLessThan(230);
    expect(firstStarts.size).toBeGreaterThan(10); // offsets vary
  });

  it('repeat lengths are clamped to what fits twice after BOS', () => {
    expect(repeatLengthRange(32)).toEqual({ min: 4, max: 15 });
    expect(repeatLengthRange(20)).toEqual({ min: 4, max: 9 });
    expect(repeatLengthRange(8)).toEqual({ min: 3, max: 3 });
    const x = sampleBatch({ vocab: 16, ctx: 8, repeat: 'random' }, createRng(3), 50);
    for (let b = 0; b < 50; b++) {
      // L = 3: s1 ∈ {1, 2} and s2 ∈ {s1 + 3 … 5}
      const row = x.subarray(b * 8, (b + 1) * 8);
      const copied = (s1: number, s2: number) => [0, 1, 2].every((k) => row[s1 + k] === row[s2 + k]);
      expect(copied(1, 4) || copied(1, 5) || copied(2, 5)).toBe(true);
    }
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = sampleBatch(spec, trainingRng(5), 16);
    const b = sampleBatch(spec, trainingRng(5), 16);
    const c = sampleBatch(spec, trainingRng(6), 16);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('the training stream is not the stream the initial weights draw from', () => {
    const g = createRng(1);
    expect(trainingRng(1).next()).not.toBe(g.next());
    expect(trainingRng(1).next()).not.toBe(createRng(1).fork(0).next());
  });

  it('fixed variant: always [BOS, r_1..r_15, r_1..r_15, filler]', () => {
    const x = sampleBatch({ ...spec, repeat: 'fixed' }, createRng(4), 32);
    const rs = new Set<string>();
    for (let b = 0; b < 32; b++) {
      const row = x.subarray(b * 32, (b + 1) * 32);
      expect(row[0]).toBe(BOS);
      for (let k = 1; k <= 15; k++) expect(row[15 + k]).toBe(row[k]);
      expect(row[31]).toBeLessThan(BOS);
      rs.add(row.subarray(1, 16).join(','));
    }
    expect(rs.size).toBe(32); // the segment itself is fresh every time
  });

  it('writes into a given buffer and checks its size', () => {
    const buf = new Int32Array(4 * 32);
    expect(sampleBatch(spec, createRng(1), 4, buf)).toBe(buf);
    expect(() => sampleBatch(spec, createRng(1), 5, buf)).toThrow(/B × T/);
  });
});

describe('the eval set', () => {
  it('256 sequences [BOS, r_1..r_15, r_1..r_15] for T = 32, the same for every run', () => {
    const e = evalSet(64, 32);
    expect(e).toMatchObject({ B: 256, T: 31, L: 15 });
    expect(e.tokens).toHaveLength(256 * 31);
    for (let b = 0; b < 256; b++) {
      const row = e.tokens.subarray(b * 31, (b + 1) * 31);
      expect(row[0]).toBe(64);
      for (let k = 1; k <= 15; k++) {
        expect(row[15 + k]).toBe(row[k]);
        expect(row[k]).toBeLessThan(64);
      }
    }
    expect(evalSet(64, 32).tokens).toEqual(e.tokens);
    // tokens are spread over the whole content vocabulary
    expect(new Set(e.tokens).size).toBe(65);
  });

  it('shorter contexts get the longest eval form that fits', () => {
    const e = evalSet(16, 20);
    expect(e).toMatchObject({ T: 19, L: 9 });
  });
});
