import { describe, expect, it } from 'vitest';
import { classifyExtraFeature, phaseLossesN2M1, SUPERPOSITION_DENSITY_N2M1_EQUAL, theoreticalPhaseN2M1 } from '../../src/engine/toy/theory';

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
