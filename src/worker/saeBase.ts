// The base toy model as the SAE sees it: its activation source and what the page shows of it.
// Pure (no tfjs).

import { toyModelSource, type ActivationSource } from '../engine/sae/activations.ts';
import { instanceSparsities, type LabConfig } from '../engine/toy/config.ts';
import { featureNorms, instanceMetrics, REPRESENTED_NORM } from '../engine/toy/metrics.ts';
import type { Rng } from '../engine/shared/rng.ts';
import { covariance, pca } from '../engine/sae/pca.ts';
import type { BaseMessage, FileBaseSpec } from './saeProtocol.ts';

/** h = W x of one instance of the toy model on fresh inputs (the CLI's `sae` command uses the same). */
export function activationSourceForBase(config: LabConfig, instance: number, W: Float32Array, rng: Rng): ActivationSource {
  return toyModelSource(config, instance, W, rng);
}

export function baseMessageFields(config: LabConfig, instance: number, W: Float32Array) {
  const { n, m } = config;
  const norms = featureNorms(W, m, n);
  const featureOf = Int32Array.from(Array.from(norms.keys()).filter((i) => norms[i] >= REPRESENTED_NORM));
  const G = featureOf.length;
  const trueDirections = new Float32Array(G * m);
  featureOf.forEach((i, g) => {
    for (let j = 0; j < m; j++) trueDirections[g * m + j] = W[j * n + i] / norms[i];
  });
  return { n, m, W: W.slice(), trueDirections, G, featureOf, geometry: instanceMetrics(W, m, n).geometry, density: 1 - instanceSparsities(config)[instance] };
}

/**
 * What the page shows of a file base: d as m, the truth directions (if any) as the "features", and for d > 3 the
 * data's top 3 principal components, onto which the pictures project every direction.
 */
export function fileBaseMessage(spec: FileBaseSpec): Omit<BaseMessage, 'runId'> {
  const G = spec.truth?.rows ?? 0;
  const p = spec.cols > 3 ? pca(spec.values, spec.rows, spec.cols, 3) : null;
  return {
    type: 'base', n: G, m: spec.cols, W: new Float32Array(0),
    trueDirections: spec.truth ? spec.truth.values.slice() : new Float32Array(0), G,
    featureOf: Int32Array.from({ length: G }, (_, g) => g),
    loss: NaN, geometry: '', density: NaN, seconds: 0,
    file: { name: spec.name, rows: spec.rows, truthName: spec.truth?.name ?? null, variance: p ? p.total : totalVariance(spec.values, spec.rows, spec.cols), pca: p && { components: p.components, variances: p.variances, total: p.total, k: p.k } },
  };
}

/** Σ over the d dimensions of the rows' variance (the trace of their covariance). */
function totalVariance(x: Float32Array, n: number, d: number): number {
  const cov = covariance(x, n, d);
  let t = 0;
  for (let j = 0; j < d; j++) t += cov[j * d + j];
  return t;
}
