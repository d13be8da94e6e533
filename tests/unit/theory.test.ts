import { describe, expect, it } from 'vitest';
import { classifyExtraFeature, phaseLossesN2M1, SUPERPOSITION_DENSITY_N2M1_EQUAL, superpositionDensityN2M1, theoreticalPhaseN2M1 } from '../../src/engine/toy/theory';

describe('n=2, m=1 closed-form phase diagram (A4)', () => {
  it('matches the worked numbers of science.md', () => {
    const a = phaseLossesN2M1(1, 0.1);
    expect(a['not represented']).toBeCloseTo(0.03083, 5);
    expect(a.dedicated).toBeCloseTo(0.03083, 5);
    expect(a.superposition).toBeCloseTo(0.00333, 5);
    const b = phaseLossesN2M1(1, 1);
    expect(b['not represented']).toBeCloseTo(0.0833, 4);
    expect(b.superposition).toBeCloseTo(0.3333, 4);
  });
  it('puts the boundary at density 4/7 for equal importance', () => {
    expect(theoreticalPhaseN2M1(1, SUPERPOSITION_DENSITY_N2M1_EQUAL - 1e-3)).toBe('superposition');
    expect(theoreticalPhaseN2M1(1, SUPERPOSITION_DENSITY_N2M1_EQUAL + 1e-3)).not.toBe('superposition');
  });
  it('drops the extra feature when it matters less and gives it the dimension when it matters more (dense)', () => {
    expect(theoreticalPhaseN2M1(0.5, 0.9)).toBe('not represented');
    expect(theoreticalPhaseN2M1(2, 0.9)).toBe('dedicated');
    expect(theoreticalPhaseN2M1(0.5, 0.05)).toBe('superposition');
  });
});

describe('the superposition boundary of the n=2, m=1 diagram (drawn over the phase grids)', () => {
  it('sits at density 4/7 for equal importance, from either side of r = 1', () => {
    expect(superpositionDensityN2M1(1)).toBeCloseTo(4 / 7, 12);
    expect(superpositionDensityN2M1(1)).toBeCloseTo(SUPERPOSITION_DENSITY_N2M1_EQUAL, 12);
    expect(superpositionDensityN2M1(1 - 1e-9)).toBeCloseTo(4 / 7, 6);
    expect(superpositionDensityN2M1(1 + 1e-9)).toBeCloseTo(4 / 7, 6);
  });
  it('is where the argmin of the three closed-form losses turns to superposition, at every r of the grid', () => {
    for (let t = 0; t <= 20; t++) {
      const r = 10 ** (-1 + t / 10); // 0.1 … 10, as the view's columns
      const p = superpositionDensityN2M1(r);
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(4 / 7);
      expect(theoreticalPhaseN2M1(r, p * (1 - 1e-6))).toBe('superposition');
      expect(theoreticalPhaseN2M1(r, p * (1 + 1e-6))).not.toBe('superposition');
    }
  });
  it('narrows as the extra feature gets much less or much more important', () => {
    expect(superpositionDensityN2M1(0.1)).toBeCloseTo(0.4 / 2.5, 12);
    expect(superpositionDensityN2M1(10)).toBeCloseTo(4 / 25, 12);
  });
});

describe('classifying a trained model', () => {
  it('reads the phase off the extra feature', () => {
    expect(classifyExtraFeature([1, 0], 1, 2)).toBe('not represented');
    expect(classifyExtraFeature([0, 1], 1, 2)).toBe('dedicated');
    expect(classifyExtraFeature([1, -1], 1, 2)).toBe('superposition');
    // n=3, m=2: a triangle holds the extra feature in superposition
    const tri = [1, -0.5, -0.5, 0, Math.sqrt(3) / 2, -Math.sqrt(3) / 2];
    expect(classifyExtraFeature(tri, 2, 3)).toBe('superposition');
  });
});
