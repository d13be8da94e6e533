// The run as JSON (the CLI's contract, version 1). Built from a snapshot, so the CLI and
// the app's export write the same thing.

import { instanceImportance, instanceSparsities, type LabConfig } from './config';
import { instanceMetrics, type PolytopeLabel } from './metrics';
import { instanceB, instanceW, type Snapshot } from './snapshot';

export interface InstanceRecord {
  sparsity: number;
  importance: number[];
  /** m rows of n */
  W: number[][];
  b: number[];
  /** final loss, averaged over the last 1% of steps */
  loss: number;
  metrics: {
    featureNorms: number[];
    superposition: number[];
    featureDimensionality: number[];
    dimsPerFeature: number;
    polytopes: PolytopeLabel[];
    geometry: string;
  };
}

export interface RunRecord {
  version: 1;
  config: LabConfig;
  engine: string;
  backend: string | null;
  steps: number;
  instances: InstanceRecord[];
  /** [step, loss_0, …, loss_{K−1}] */
  lossCurve: number[][];
  seconds: number;
}

export function buildRunRecord(args: {
  config: LabConfig;
  snapshot: Snapshot;
  finalLosses: ArrayLike<number>;
  lossCurve: number[][];
  seconds: number;
  engine: string;
  backend: string | null;
}): RunRecord {
  const { config, snapshot: s } = args;
  const sparsities = instanceSparsities(config);
  const importance = instanceImportance(config);
  const instances = sparsities.map((sparsity, k): InstanceRecord => {
    const W = instanceW(s, k);
    const met = instanceMetrics(W, s.m, s.n);
    return {
      sparsity,
      importance: importance[k],
      W: Array.from({ length: s.m }, (_, j) => Array.from(W.subarray(j * s.n, (j + 1) * s.n))),
      b: Array.from(instanceB(s, k)),
      loss: args.finalLosses[k],
      metrics: {
        featureNorms: Array.from(met.featureNorms),
        superposition: Array.from(met.superposition),
        featureDimensionality: Array.from(met.featureDimensionality),
        dimsPerFeature: met.dimsPerFeature,
        polytopes: met.labels,
        geometry: met.geometry,
      },
    };
  });
  return { version: 1, config, engine: args.engine, backend: args.backend, steps: s.step, instances, lossCurve: args.lossCurve, seconds: args.seconds };
}
