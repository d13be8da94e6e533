// What a grid cell's trained model is: its named geometry, features represented, dimensions per
// feature, the last feature's phase and its loss — all from the cell's W (and b), whichever the
// user colours by, so changing the classification needs no retraining.

import { dimsPerFeature, featureNorms, nameGeometry, REPRESENTED_NORM } from '../toy/metrics';
import { classifyExtraFeature, theoreticalPhaseN2M1, type Phase } from '../toy/theory';
import { expectedLoss, MAX_EXPECTED_LOSS_FEATURES } from '../views/analysis/expectedLoss';
import { hasTheory } from '../views/analysis/phaseGrid';
import type { LabConfig } from '../toy/config';
import type { GridClassify } from './config';
import type { CellSettings } from './cells';

export interface CellFacts {
  /** nameGeometry: "pentagon", "2 antipodal pairs", … */
  geometry: string;
  /** features with ‖W_i‖ ≥ REPRESENTED_NORM */
  represented: number;
  /** m / ‖W‖²_F */
  dims: number;
  /** the last feature: not represented, dedicated or superposition */
  phase: Phase;
}

export function cellFacts(W: ArrayLike<number>, m: number, n: number): CellFacts {
  const norms = featureNorms(W, m, n);
  let represented = 0;
  for (const x of norms) if (x >= REPRESENTED_NORM) represented++;
  return { geometry: nameGeometry(W, m, n), represented, dims: dimsPerFeature(W, m, n), phase: classifyExtraFeature(W, m, n) };
}

/** What settling watches: the structure, not the exact numbers (dims and loss drift slowly for long). */
export const factsSignature = (f: CellFacts): string => `${f.geometry}|${f.represented}|${f.phase}`;

/**
 * The cell's loss. With restarts it picks the training to keep, so it is the exact expected loss (no sampling
 * noise; the phase view's computation and budget, so both keep the same training); n ≤ 8 only. Otherwise the
 * trainer's mean loss over its last steps: the exact one costs ~18 ms a cell at n = 5 (7 s for a 20×20 grid; measured).
 */
export function cellLoss(W: ArrayLike<number>, b: ArrayLike<number>, importance: readonly number[], s: CellSettings, linear: boolean, trainingLoss: number, exact: boolean): number {
  if (!exact || s.n > MAX_EXPECTED_LOSS_FEATURES) return trainingLoss;
  return expectedLoss(W, b, importance, s.m, s.n, 1 - s.sparsity, linear);
}

/** The closed-form phase of the last feature, where it exists (n = 2, m = 1, ReLU output); else null. */
export function theoryPhase(s: CellSettings, importance: readonly number[], model: LabConfig['model']): Phase | null {
  if (!hasTheory({ n: s.n, m: s.m, model }) || importance[0] !== 1) return null;
  return theoreticalPhaseN2M1(importance[1], 1 - s.sparsity);
}

/** The class a cell shows under a classification (a string for the categorical ones, a number otherwise). */
export function cellClass(f: CellFacts & { loss: number }, by: GridClassify): string | number {
  switch (by) {
    case 'polytope':
      return f.geometry;
    case 'represented':
      return f.represented;
    case 'dims':
      return f.dims;
    case 'loss':
      return f.loss;
    case 'phase':
      return f.phase;
  }
}

/** Categorical classifications get a colour per value; the numeric ones a colour scale. */
export const isCategorical = (by: GridClassify): boolean => by === 'polytope' || by === 'phase' || by === 'represented';
