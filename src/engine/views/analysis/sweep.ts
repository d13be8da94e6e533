// The "basic results" sweep (science.md §5.2): per instance (one sparsity each), how many
// features the model represents and how many of them share directions.

import { instanceSparsities, type LabConfig } from '../../toy/config';
import { instanceMetrics, representedCounts } from '../../toy/metrics';
import { instanceW } from '../../toy/snapshot';
import type { ViewSnapshot } from './viewSnapshot';

export interface SweepInstance {
  sparsity: number;
  /** features with ‖W_i‖ ≥ REPRESENTED_NORM */
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
    const { represented, superposed } = representedCounts(met.featureNorms, met.superposition);
    return { sparsity, represented, superposed, dimsPerFeature: met.dimsPerFeature, geometry: met.geometry, loss: s.losses?.[k] ?? NaN };
  });
  return { model: config.model, n: s.n, m: s.m, instances };
}
