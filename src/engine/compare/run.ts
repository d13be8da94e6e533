// A/B compare headless (the CLI's `compare` command and the tests): train A and B with their seeds to the end
// and build the compare record (record.ts) from both run records.

import { buildRunRecord, type RunRecord } from '../toy/runRecord';
import { trainToEnd } from '../toy/runner';
import { createTrainer } from '../toy/createTrainer';
import type { EngineChoice } from '../shared/engines';
import type { LabConfig } from '../toy/config';
import { compareRecord, type CompareRecord } from './record';
import type { ComparePair } from './settings';

export { compareRecord, type CompareRecord };

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

/** Train both and compare them. */
export function runCompare(pair: ComparePair, opts: { engine?: EngineChoice; backend?: string | null; curvePoints?: number } = {}): CompareRecord {
  const a = trainSide(pair.a, opts.engine, opts.backend ?? null, opts.curvePoints);
  const b = trainSide(pair.b, opts.engine, opts.backend ?? null, opts.curvePoints);
  return compareRecord(pair, a, b);
}
