// The A/B pair as the CLI's compare record (engine/compare/record.ts), built from what the tab holds. Pure.

import { compareRecord, type CompareRecord } from '../../engine/compare/record.ts';
import type { ComparePair } from '../../engine/compare/settings.ts';
import { buildRunRecord, type RunRecord } from '../../engine/toy/runRecord.ts';
import type { SideRun } from '../compareStore.ts';

export function sideRecord(run: SideRun): RunRecord {
  const snapshot = { step: run.step, model: run.config.model, K: run.K, n: run.n, m: run.m, W: run.W, b: run.b, W2: run.W2, losses: run.losses };
  return buildRunRecord({ config: run.config, snapshot, finalLosses: run.losses, lossCurve: run.curve, seconds: 0, engine: run.engine, backend: null });
}

/** The record of two finished sides, or null while one is missing or training. */
export function compareExport(pair: ComparePair | null, a: SideRun | null, b: SideRun | null): CompareRecord | null {
  if (!pair || !a?.done || !b?.done) return null;
  return compareRecord(pair, sideRecord(a), sideRecord(b));
}
