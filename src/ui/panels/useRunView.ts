// What every panel needs about the current run: the latest snapshot and facts derived from
// the run's own config (which may lag the controls by the debounce).

import { useMemo } from 'react';
import { featureImportance, instanceSparsities, type LabConfig } from '../../engine/toy/config.ts';
import { useLab } from '../../state/labStore.ts';
import type { SnapshotMessage } from '../../worker/protocol.ts';

export interface RunView {
  snapshot: SnapshotMessage;
  config: LabConfig;
  sparsities: number[];
  importance: number[];
}

export function useRunView(): RunView | null {
  const snapshot = useLab((s) => s.snapshot);
  const config = useLab((s) => s.runConfig);
  const derived = useMemo(
    () => (config ? { sparsities: instanceSparsities(config), importance: featureImportance(config) } : null),
    [config],
  );
  if (!snapshot || !config || !derived || snapshot.K !== config.instances || snapshot.n !== config.n || snapshot.m !== config.m) return null;
  return { snapshot, config, ...derived };
}

/** Instance k's W (m×n, row-major) as a view into the snapshot. */
export function instanceWeights(s: SnapshotMessage, k: number): Float32Array {
  return s.W.subarray(k * s.m * s.n, (k + 1) * s.m * s.n);
}

/** Instance k's slice of a flattened [K][n] array. */
export function perFeature(a: Float32Array, k: number, n: number): Float32Array {
  return a.subarray(k * n, (k + 1) * n);
}

/** Which instances to draw as small multiples: all, or an even spread of at most `max`. */
export function shownInstances(K: number, max: number): number[] {
  if (K <= max) return Array.from({ length: K }, (_, k) => k);
  return Array.from({ length: max }, (_, i) => Math.round((i * (K - 1)) / (max - 1)));
}

/** The hovered feature, for highlighting (null when nothing is hovered). */
export function useHoveredFeature(): number | null {
  return useLab((s) => s.hover?.feature ?? null);
}
