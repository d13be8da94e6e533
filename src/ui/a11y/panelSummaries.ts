// One or two plain sentences per panel, for screen readers: what the figure shows right now.
// Pure: the latest snapshot and the run's facts in, text out. Unknown panels get no summary.

import { REPRESENTED_NORM, representedCounts } from '../../engine/toy/metrics.ts';
import type { SnapshotMessage } from '../../worker/protocol.ts';
import { num, sparsityLabel } from '../format.ts';

/** 10,000 rather than the figures' thin-space 10 000, which screen readers may read digit by digit. */
const spoken = (x: number) => Math.round(x).toLocaleString('en-US');
import { describeInstance } from '../panels/geometry/geometryWords.ts';

export interface SummaryInput {
  snapshot: SnapshotMessage;
  sparsities: number[];
  totalSteps: number;
  /** selected instance */
  instance: number;
}

const slice = (a: Float32Array, k: number, n: number) => Array.from(a.subarray(k * n, (k + 1) * n));

function instanceWords(s: SnapshotMessage, sparsities: number[], k: number): string {
  return s.K > 1 ? `Instance ${k + 1} of ${s.K} (${sparsityLabel(sparsities[k])})` : sparsityLabel(sparsities[k]);
}

/** Largest |Wᵢ·Wⱼ| over pairs i ≠ j of instance k, and the pair. */
export function largestInterference(s: Pick<SnapshotMessage, 'W' | 'm' | 'n'>, k: number): { value: number; i: number; j: number } | null {
  const { m, n } = s;
  const W = s.W.subarray(k * m * n, (k + 1) * m * n);
  let best: { value: number; i: number; j: number } | null = null;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      for (let r = 0; r < m; r++) dot += W[r * n + i] * W[r * n + j];
      if (!best || Math.abs(dot) > Math.abs(best.value)) best = { value: dot, i, j };
    }
  return best;
}

export function panelSummary(id: string, input: SummaryInput): string | null {
  const { snapshot: s, sparsities, totalSteps } = input;
  const k = Math.min(input.instance, s.K - 1);
  const step = `Step ${spoken(s.step)} of ${spoken(totalSteps)}.`;
  const norms = slice(s.metrics.featureNorms, k, s.n);
  const { represented, superposed } = representedCounts(norms, slice(s.metrics.superposition, k, s.n));
  switch (id) {
    case 'geometry':
      return `${step} ${instanceWords(s, sparsities, k)}: ${describeInstance(s.metrics.geometry[k] ?? '', represented, s.n, s.m)}`;
    case 'gram': {
      const top = largestInterference(s, k);
      const b = slice(s.b, k, s.n);
      const overlap = top ? `The largest overlap between two features is ${num(top.value, 2)}, features ${top.i + 1} and ${top.j + 1}.` : 'There is only one feature.';
      return `${step} ${instanceWords(s, sparsities, k)}: ${overlap} Biases range from ${num(Math.min(...b), 2)} to ${num(Math.max(...b), 2)}.`;
    }
    case 'norms': {
      return `${step} ${instanceWords(s, sparsities, k)}: ${represented} of ${s.n} features are represented (norm at least ${REPRESENTED_NORM}), ${superposed} of them in superposition.`;
    }
    case 'dimensionality': {
      const D = slice(s.metrics.featureDimensionality, k, s.n).filter((_, i) => norms[i] >= REPRESENTED_NORM);
      const shown = D.slice(0, 8).map((d) => num(d, 2)).join(', ');
      return `${step} ${instanceWords(s, sparsities, k)}: ${num(s.metrics.dimsPerFeature[k], 3)} dimensions per feature.${D.length ? ` Dimensionality of the represented features: ${shown}${D.length > 8 ? ', …' : ''}.` : ''}`;
    }
    case 'loss': {
      const losses = Array.from(s.losses);
      if (!losses.some(Number.isFinite)) return `${step} No loss yet.`;
      return s.K > 1
        ? `${step} Loss of instance ${k + 1}: ${num(losses[k], 3)}; across instances from ${num(Math.min(...losses), 3)} to ${num(Math.max(...losses), 3)}.`
        : `${step} Loss ${num(losses[0], 3)}.`;
    }
    default:
      return null;
  }
}
