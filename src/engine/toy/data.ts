// Sparse synthetic features. Batches are generated in JS (one Float32Array, layout [K][batch][n])
// rather than with tf.random ops: it is faster on every backend and seeded the same everywhere.

import { instanceImportance, instanceSparsities, type AnticorrelatedConvention, type LabConfig } from './config';
import type { Rng } from '../shared/rng';

export interface DataSpec {
  K: number;
  n: number;
  batch: number;
  /** probability that feature i of instance k is active, [K][n] */
  density: Float32Array;
  /** importance of feature i in instance k's loss, [K][n] */
  importance: Float32Array;
  /** active values are U[-1,1] (the |x| task) instead of U[0,1] */
  signed: boolean;
  correlatedSets: number;
  anticorrelatedSets: number;
  setSize: number;
  anticorrelatedConvention: AnticorrelatedConvention;
}

export function dataSpecFromConfig(c: LabConfig): DataSpec {
  const { instances: K, n } = c;
  const sparsities = instanceSparsities(c);
  const imp = instanceImportance(c);
  const density = new Float32Array(K * n);
  const importance = new Float32Array(K * n);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < n; i++) {
      density[k * n + i] = 1 - sparsities[k];
      importance[k * n + i] = imp[k][i];
    }
  }
  return {
    K, n, batch: c.batch, density, importance,
    signed: c.model === 'relu-hidden', // relu-hidden-tied stores unsigned U[0,1] features (science.md §1.3)
    correlatedSets: c.correlatedSets,
    anticorrelatedSets: c.anticorrelatedSets,
    setSize: c.setSize,
    anticorrelatedConvention: c.anticorrelatedConvention,
  };
}

/** Which set a feature belongs to: features are ordered [correlated sets…, anticorrelated sets…, independent…]. */
export function featureGroup(spec: Pick<DataSpec, 'correlatedSets' | 'anticorrelatedSets' | 'setSize'>, i: number): { kind: 'correlated' | 'anticorrelated' | 'independent'; set: number } {
  const corrEnd = spec.correlatedSets * spec.setSize;
  const antiEnd = corrEnd + spec.anticorrelatedSets * spec.setSize;
  if (i < corrEnd) return { kind: 'correlated', set: Math.floor(i / spec.setSize) };
  if (i < antiEnd) return { kind: 'anticorrelated', set: Math.floor((i - corrEnd) / spec.setSize) };
  return { kind: 'independent', set: -1 };
}

export function allocBatch(spec: DataSpec): Float32Array {
  return new Float32Array(spec.K * spec.batch * spec.n);
}

/** Fill `out` ([K][batch][n]) with a fresh batch. */
export function sampleBatch(spec: DataSpec, rng: Rng, out: Float32Array): Float32Array {
  const { K, n, batch, density, signed, setSize } = spec;
  const corrEnd = spec.correlatedSets * setSize;
  const antiEnd = corrEnd + spec.anticorrelatedSets * setSize;
  const paper = spec.anticorrelatedConvention === 'paper';
  const value = signed ? () => 2 * rng.next() - 1 : () => rng.next();
  for (let k = 0; k < K; k++) {
    const dk = k * n;
    for (let b = 0; b < batch; b++) {
      const row = (k * batch + b) * n;
      for (let s = 0; s < corrEnd; s += setSize) {
        const on = rng.next() < density[dk + s];
        for (let j = 0; j < setSize; j++) out[row + s + j] = on ? value() : 0;
      }
      for (let s = corrEnd; s < antiEnd; s += setSize) {
        const pSet = paper ? density[dk + s] : density[dk + s] * setSize;
        for (let j = 0; j < setSize; j++) out[row + s + j] = 0;
        if (rng.next() < pSet) out[row + s + Math.floor(rng.next() * setSize)] = value();
      }
      for (let i = antiEnd; i < n; i++) {
        out[row + i] = rng.next() < density[dk + i] ? value() : 0;
      }
    }
  }
  return out;
}
