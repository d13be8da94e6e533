// The "basic results" sweep (science.md §5.2): per instance (one sparsity each), how many
// features the model represents and how many of them share directions.

import { instanceSparsities, type LabConfig } from '../../toy/config';
import { instanceMetrics, REPRESENTED_NORM } from '../../toy/metrics';
import { instanceW } from '../../toy/snapshot';
import type { ViewSnapshot } from './viewSnapshot';

/** A represented feature counts as superposed when Σ_{j≠i}(Ŵ_i·W_j)² exceeds this. */
export const SUPERPOSED_ABOVE = 0.1;

export interface SweepInstance {
  sparsity: number;
  /** features with ‖W_i‖ ≥ 0.5 */
  represented: number;
  /** represented features that share their direction */
  superposed: number;
  dimsPerFeature: number;
  geometry: string;
  /** recent training loss (NaN when unknown) */
  loss: number;
}

export interface SweepResult {
  model: LabConfig['model'];
  n: number;
  m: number;
  instances: SweepInstance[];
}

export function sweepSummary(config: LabConfig, s: ViewSnapshot): SweepResult {
  const sparsities = instanceSparsities(config);
  const instances = sparsities.map((sparsity, k): SweepInstance => {
    const met = instanceMetrics(instanceW(s, k), s.m, s.n);
    let represented = 0;
    let superposed = 0;
    met.featureNorms.forEach((norm, i) => {
      if (norm < REPRESENTED_NORM) return;
      represented++;
      if (met.superposition[i] > SUPERPOSED_ABOVE) superposed++;
    });
    return { sparsity, represented, superposed, dimsPerFeature: met.dimsPerFeature, geometry: met.geometry, loss: s.losses?.[k] ?? NaN };
  });
  return { model: config.model, n: s.n, m: s.m, instances };
}
