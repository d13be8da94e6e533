// Dimensions per feature and feature dimensionality across a sparsity sweep (science.md §4.3–4.5,
// §5.3, A5): the curve m/‖W‖_F² against 1/(1−S), its plateau at 1/2, and every feature's D_i.

import { instanceSparsities, type LabConfig } from '../../toy/config';
import { featureNorms, gram, instanceMetrics, REPRESENTED_NORM, STICKY_FRACTIONS, type PolytopeLabel } from '../../toy/metrics';
import { instanceW } from '../../toy/snapshot';
import type { ViewSnapshot } from './viewSnapshot';

export interface DimsPoint {
  instance: number;
  sparsity: number;
  /** 1/(1−S), the x axis */
  x: number;
  dimsPerFeature: number;
  represented: number;
}

export interface FeatureDot {
  instance: number;
  feature: number;
  x: number;
  D: number;
  norm: number;
  label: PolytopeLabel;
}

export interface DimensionalityResult {
  points: DimsPoint[];
  /** represented features only (‖W_i‖ ≥ 0.5) */
  features: FeatureDot[];
  plateau: {
    value: number;
    tolerance: number;
    /** instances whose dims per feature is within tolerance of 1/2 */
    instances: number[];
    /** the 1/(1−S) range they cover, or null */
    xRange: [number, number] | null;
  };
  /** represented features per sticky label */
  stickyCounts: Record<string, number>;
}

export const PLATEAU_VALUE = 0.5;
export const PLATEAU_TOLERANCE = 0.06;

export function dimensionalityAnalysis(config: LabConfig, s: ViewSnapshot): DimensionalityResult {
  const sparsities = instanceSparsities(config);
  const points: DimsPoint[] = [];
  const features: FeatureDot[] = [];
  const stickyCounts: Record<string, number> = {};
  sparsities.forEach((sparsity, k) => {
    const x = 1 / (1 - sparsity);
    const met = instanceMetrics(instanceW(s, k), s.m, s.n);
    let represented = 0;
    met.featureNorms.forEach((norm, i) => {
      if (norm < REPRESENTED_NORM) return;
      represented++;
      const label = met.labels[i];
      features.push({ instance: k, feature: i, x, D: met.featureDimensionality[i], norm, label });
      stickyCounts[label] = (stickyCounts[label] ?? 0) + 1;
    });
    points.push({ instance: k, sparsity, x, dimsPerFeature: met.dimsPerFeature, represented });
  });
  const onPlateau = points.filter((p) => Math.abs(p.dimsPerFeature - PLATEAU_VALUE) <= PLATEAU_TOLERANCE);
  return {
    points,
    features,
    plateau: {
      value: PLATEAU_VALUE,
      tolerance: PLATEAU_TOLERANCE,
      instances: onPlateau.map((p) => p.instance),
      xRange: onPlateau.length ? [Math.min(...onPlateau.map((p) => p.x)), Math.max(...onPlateau.map((p) => p.x))] : null,
    },
    stickyCounts,
  };
}

export interface Neighbour {
  feature: number;
  /** cosine of the angle between the two feature directions */
  cos: number;
  /** (Ŵ_i·W_j)²: how much of D_i's denominator this neighbour takes */
  overlap: number;
}

/** The features that share most of feature i's direction, largest overlap first (represented ones only). */
export function featureNeighbours(W: ArrayLike<number>, m: number, n: number, i: number, count = 6): Neighbour[] {
  const norms = featureNorms(W, m, n);
  if (norms[i] < 1e-6) return [];
  const G = gram(W, m, n);
  const out: Neighbour[] = [];
  for (let j = 0; j < n; j++) {
    if (j === i || norms[j] < REPRESENTED_NORM) continue;
    const proj = G[i * n + j] / norms[i];
    out.push({ feature: j, cos: proj / norms[j], overlap: proj * proj });
  }
  return out.sort((a, b) => b.overlap - a.overlap).filter((nb) => nb.overlap > 1e-3).slice(0, count);
}

/** The sticky fractions drawn as reference lines, with the polytope each one stands for. */
export const REFERENCE_FRACTIONS = STICKY_FRACTIONS.filter((f) => [1, 3 / 4, 2 / 3, 1 / 2, 2 / 5, 3 / 8].some((v) => Math.abs(v - f.value) < 1e-9));
