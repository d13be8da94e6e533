// Closed-form expected losses for the n=2, m=1 phase diagram (science.md §4.7), and the
// classification of a trained model's "extra" feature into the paper's three phases.

import { featureDimensionality, featureNorms, REPRESENTED_NORM } from './metrics';

export const PHASES = ['not represented', 'dedicated', 'superposition'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Expected loss (summed over the two features) of each candidate solution of the n=2, m=1 model,
 * feature 1 of importance 1, the extra feature of importance r, both of density p:
 * W=[1,0] (extra not represented), W=[0,1] (extra gets the dimension), W=[1,−1] (antipodal superposition, b=0).
 */
export function phaseLossesN2M1(r: number, p: number): Record<Phase, number> {
  const variance = p / 3 - (p * p) / 4; // loss of a dropped feature whose bias is its mean
  return {
    'not represented': r * variance,
    dedicated: variance,
    superposition: ((1 + r) * p * p) / 6, // wrong only when both are on: E[min(U,U')²] = 1/6
  };
}

/** The phase with the lowest closed-form loss. */
export function theoreticalPhaseN2M1(r: number, p: number): Phase {
  const L = phaseLossesN2M1(r, p);
  return PHASES.reduce((best, ph) => (L[ph] < L[best] ? ph : best), PHASES[0]);
}

/** Density below which superposition wins for equal importance: p/3 − p²/4 > p²/3 ⇔ p < 4/7. */
export const SUPERPOSITION_DENSITY_N2M1_EQUAL = 4 / 7;

/**
 * The density below which superposition wins, for an extra feature of importance r (b = 0): where
 * (1 + r)p²/6 meets the cheaper single-feature loss, r·(p/3 − p²/4) for r ≤ 1, else p/3 − p²/4.
 */
export function superpositionDensityN2M1(r: number): number {
  return r <= 1 ? (4 * r) / (2 + 5 * r) : 4 / (5 + 2 * r);
}

/** Which phase a trained model is in, judged by its extra feature (the last one by default). */
export function classifyExtraFeature(W: ArrayLike<number>, m: number, n: number, extra = n - 1): Phase {
  const norm = featureNorms(W, m, n)[extra];
  if (norm < REPRESENTED_NORM) return 'not represented';
  return featureDimensionality(W, m, n)[extra] > 0.9 ? 'dedicated' : 'superposition';
}
