// A/B compare headless (the CLI's `compare` command and the tests): train A and B with their seeds to the end
// and write both run records, the per-feature deltas and the verdict as one JSON-able record.

import { buildRunRecord, type RunRecord } from '../toy/runRecord';
import { trainToEnd } from '../toy/runner';
import { createTrainer } from '../toy/createTrainer';
import type { EngineChoice } from '../shared/engines';
import type { LabConfig } from '../toy/config';
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

/** Train one side to the end; its run record. */
export function trainSide(config: LabConfig, engine: EngineChoice = 'auto', backend: string | null = null, curvePoints = 200): RunRecord {
  const trainer = createTrainer(config, engine);
  try {
    const outcome = trainToEnd(trainer, { curvePoints });
    return buildRunRecord({
      config, snapshot: trainer.snapshot(), finalLosses: outcome.finalLosses, lossCurve: outcome.lossCurve, seconds: outcome.seconds,
      engine: trainer.engine, backend: trainer.engine === 'tfjs' ? backend : null,
    });
  } finally {
    trainer.dispose();
  }
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

/** Train both and compare them. */
export function runCompare(pair: ComparePair, opts: { engine?: EngineChoice; backend?: string | null; curvePoints?: number } = {}): CompareRecord {
  const a = trainSide(pair.a, opts.engine, opts.backend ?? null, opts.curvePoints);
  const b = trainSide(pair.b, opts.engine, opts.backend ?? null, opts.curvePoints);
  return compareRecord(pair, a, b);
}
