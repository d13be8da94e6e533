// The A/B compare record (the CLI's output and the tab's JSON export): both run records, B's changed settings,
// the per-feature deltas, WᵀW of B − A and the verdict. Pure (no TF.js): the page builds it too.

import type { RunRecord } from '../toy/runRecord';
import { compareRuns, type Comparison, type FeatureDelta } from './compare';
import { changedSettings, type ComparePair } from './settings';

export interface CompareRecord {
  version: 1;
  kind: 'compare';
  instance: number;
  /** B's settings that differ from A's, e.g. "sparsity 0.95 → 0" */
  changed: string[];
  a: RunRecord;
  b: RunRecord;
  comparison: {
    geometryA: string;
    geometryB: string;
    features: FeatureDelta[];
    /** B − A over the shared features, rows of WᵀW */
    gramDiff: number[][];
    lossA: number;
    lossB: number;
    lossChange: number;
  };
  verdict: string;
}

/** The comparison of instance k of two run records. */
export function compareRecords(a: RunRecord, b: RunRecord, k: number): Comparison {
  const side = (r: RunRecord) => {
    const inst = r.instances[k];
    const m = inst.W.length;
    const n = inst.b.length;
    return { W: Float32Array.from(inst.W.flat()), m, n, loss: inst.loss };
  };
  return compareRuns(side(a), side(b));
}

export function compareRecord(pair: ComparePair, a: RunRecord, b: RunRecord): CompareRecord {
  const c = compareRecords(a, b, pair.instance);
  const rows = (G: Float32Array, n: number) => Array.from({ length: n }, (_, i) => Array.from(G.subarray(i * n, (i + 1) * n)));
  return {
    version: 1, kind: 'compare', instance: pair.instance, changed: changedSettings(pair), a, b,
    comparison: { geometryA: c.geometryA, geometryB: c.geometryB, features: c.features, gramDiff: rows(c.gramDiff, c.shared), lossA: c.lossA, lossB: c.lossB, lossChange: c.lossChange },
    verdict: c.verdict,
  };
}

