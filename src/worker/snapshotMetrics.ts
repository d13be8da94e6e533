// Per-instance metrics of a snapshot, flattened for the trip to the page.
// Pure: no tfjs, no DOM (the worker calls it; tests may too).

import { angleGaps, instanceMetrics } from '../engine/toy/metrics.ts';
import { instanceW, type Snapshot } from '../engine/toy/snapshot.ts';
import type { SnapshotMetrics } from './protocol.ts';

export function snapshotMetrics(s: Pick<Snapshot, 'W' | 'K' | 'm' | 'n'>): SnapshotMetrics {
  const { K, n, m } = s;
  const featureNorms = new Float32Array(K * n);
  const superposition = new Float32Array(K * n);
  const featureDimensionality = new Float32Array(K * n);
  const dimsPerFeature = new Float32Array(K);
  const geometry: string[] = [];
  const labels: string[][] = [];
  const gaps: number[][] | null = m === 2 ? [] : null;
  for (let k = 0; k < K; k++) {
    const W = instanceW(s, k);
    const im = instanceMetrics(W, m, n);
    featureNorms.set(im.featureNorms, k * n);
    superposition.set(im.superposition, k * n);
    featureDimensionality.set(im.featureDimensionality, k * n);
    dimsPerFeature[k] = im.dimsPerFeature;
    geometry.push(im.geometry);
    labels.push(im.labels);
    gaps?.push(angleGaps(W, n).gaps);
  }
  return { featureNorms, superposition, featureDimensionality, dimsPerFeature, geometry, labels, angleGaps: gaps };
}
