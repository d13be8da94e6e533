// Neurons of the ReLU-hidden model (science.md §1.3–1.4, §5.5–5.6, A6): which features each
// hidden neuron reads (row j of W₁, with signs) and writes to (column j of W₂), and whether it is
// monosemantic (one feature carries nearly all of its input weight) or polysemantic.

import { instanceSparsities, type LabConfig } from '../../toy/config';
import { instanceW } from '../../toy/snapshot';
import type { ViewSnapshot } from './viewSnapshot';

/** A neuron reads feature i when w_i² is at least this share of its largest w². */
export const READ_SHARE = 0.1;
/** A neuron is monosemantic when its largest weight carries at least this share of Σ w². */
export const MONOSEMANTIC_SHARE = 0.9;
/** A neuron whose input weights have Σ w² below this is dead (never fires usefully). */
export const DEAD_BELOW = 0.01;

export interface NeuronWeight {
  feature: number;
  weight: number;
}

export interface NeuronFacts {
  /** features the neuron reads (largest first), with signed weights */
  reads: NeuronWeight[];
  /** outputs the neuron feeds (W₂), largest first; empty without W₂ */
  writes: NeuronWeight[];
  /** share of Σ w² carried by the largest input weight */
  topShare: number;
  monosemantic: boolean;
  dead: boolean;
}

export interface NeuronInstance {
  sparsity: number;
  neurons: NeuronFacts[];
  /** monosemantic neurons / live neurons */
  monosemanticFraction: number;
  polysemantic: number;
  dead: number;
  /** mean number of features a live neuron reads */
  featuresPerNeuron: number;
  /** features read by at least one live neuron */
  featuresComputed: number;
}

export interface NeuronResult {
  n: number;
  m: number;
  instances: NeuronInstance[];
}

function significant(weights: number[], share: number): NeuronWeight[] {
  const max = Math.max(...weights.map((w) => w * w));
  if (max === 0) return [];
  return weights
    .map((weight, feature) => ({ feature, weight }))
    .filter((w) => w.weight * w.weight >= share * max)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
}

export function neuronFacts(W: ArrayLike<number>, W2: ArrayLike<number> | null, m: number, n: number, j: number): NeuronFacts {
  const row = Array.from({ length: n }, (_, i) => W[j * n + i]);
  const total = row.reduce((s, w) => s + w * w, 0);
  const top = Math.max(...row.map((w) => w * w));
  const dead = total < DEAD_BELOW;
  const writes = W2 ? significant(Array.from({ length: n }, (_, i) => W2[i * m + j]), READ_SHARE) : [];
  const topShare = total > 0 ? top / total : 0;
  return { reads: dead ? [] : significant(row, READ_SHARE), writes: dead ? [] : writes, topShare, monosemantic: !dead && topShare >= MONOSEMANTIC_SHARE, dead };
}

export function neuronAnalysis(config: LabConfig, s: ViewSnapshot): NeuronResult {
  const { n, m } = s;
  const size = n * m;
  const instances = instanceSparsities(config).map((sparsity, k): NeuronInstance => {
    const W = instanceW(s, k);
    const W2 = s.W2 ? s.W2.subarray(k * size, (k + 1) * size) : null;
    const neurons = Array.from({ length: m }, (_, j) => neuronFacts(W, W2, m, n, j));
    const live = neurons.filter((x) => !x.dead);
    const mono = live.filter((x) => x.monosemantic).length;
    const computed = new Set(live.flatMap((x) => x.reads.map((r) => r.feature)));
    return {
      sparsity, neurons,
      monosemanticFraction: live.length ? mono / live.length : 0,
      polysemantic: live.length - mono,
      dead: m - live.length,
      featuresPerNeuron: live.length ? live.reduce((s2, x) => s2 + x.reads.length, 0) / live.length : 0,
      featuresComputed: computed.size,
    };
  });
  return { n, m, instances };
}
