// Correlated and anticorrelated feature sets (science.md §2.4, §5.4): the angle between the
// members of each set. Correlated features tend to be orthogonal (they fire together, so any
// overlap would interfere every time); anticorrelated ones tend to be antipodal (they never fire
// together, so sharing a direction costs nothing).

import { instanceSparsities, type LabConfig } from '../../toy/config';
import { featureGroup } from '../../toy/data';
import { featureNorms, instanceMetrics, REPRESENTED_NORM } from '../../toy/metrics';
import { instanceW } from '../../toy/snapshot';
import type { ViewSnapshot } from './viewSnapshot';

export type PairKind = 'correlated' | 'anticorrelated' | 'across sets';

export interface SetPair {
  kind: PairKind;
  i: number;
  j: number;
  /** the set both belong to (−1 for pairs across sets) */
  set: number;
  /** degrees, 0..180; NaN when either feature is not represented */
  angle: number;
}

export interface SetInstance {
  sparsity: number;
  geometry: string;
  pairs: SetPair[];
  /** mean angle per kind over represented pairs (NaN when there are none) */
  meanAngle: Record<PairKind, number>;
}

export interface FeatureSetResult {
  instances: SetInstance[];
  /** mean over instances of the per-kind means */
  meanAngle: Record<PairKind, number>;
}

/** Angle in degrees between features i and j of an m×n W. */
export function angleBetween(W: ArrayLike<number>, m: number, n: number, i: number, j: number): number {
  let dot = 0, a = 0, b = 0;
  for (let r = 0; r < m; r++) {
    dot += W[r * n + i] * W[r * n + j];
    a += W[r * n + i] ** 2;
    b += W[r * n + j] ** 2;
  }
  const c = dot / Math.sqrt(a * b);
  return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
const KINDS: readonly PairKind[] = ['correlated', 'anticorrelated', 'across sets'];

export function featureSetAngles(config: LabConfig, s: ViewSnapshot): FeatureSetResult {
  const { n, m } = s;
  const sparsities = instanceSparsities(config);
  const inSets = (config.correlatedSets + config.anticorrelatedSets) * config.setSize;
  const instances = sparsities.map((sparsity, k): SetInstance => {
    const W = instanceW(s, k);
    const norms = featureNorms(W, m, n);
    const pairs: SetPair[] = [];
    for (let i = 0; i < inSets; i++) {
      for (let j = i + 1; j < inSets; j++) {
        const gi = featureGroup(config, i);
        const gj = featureGroup(config, j);
        const same = gi.kind === gj.kind && gi.set === gj.set;
        const kind: PairKind = same ? (gi.kind as PairKind) : 'across sets';
        const angle = norms[i] >= REPRESENTED_NORM && norms[j] >= REPRESENTED_NORM ? angleBetween(W, m, n, i, j) : NaN;
        pairs.push({ kind, i, j, set: same ? gi.set : -1, angle });
      }
    }
    const meanAngle = Object.fromEntries(KINDS.map((kind) => [kind, mean(pairs.filter((p) => p.kind === kind && Number.isFinite(p.angle)).map((p) => p.angle))])) as Record<PairKind, number>;
    return { sparsity, geometry: instanceMetrics(W, m, n).geometry, pairs, meanAngle };
  });
  const meanAngle = Object.fromEntries(
    KINDS.map((kind) => [kind, mean(instances.map((inst) => inst.meanAngle[kind]).filter(Number.isFinite))]),
  ) as Record<PairKind, number>;
  return { instances, meanAngle };
}
