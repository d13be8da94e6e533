// The transformer module's public face: the engine factory and what the CLI, UI and tests use.

import type { TransformerEngineChoice } from './config';
import type { TransformerShape, TransformerTrainer } from './model';
import { TfjsTransformer } from './tfjsTransformer';
import type { TransformerTrainerOptions } from './trainerOptions';

export * from './config';
export * from './model';
export * from './metrics';
export * from './evaluate';
export * from './induction';
export { evalSet, sampleBatch, trainingRng, repeatLengthRange, type EvalSet, type InductionDataSpec } from './data';
export type { TransformerTrainerOptions } from './trainerOptions';
export { TfjsTransformer } from './tfjsTransformer';

/**
 * A trainer for `shape` on the chosen engine. Until the fused engine is merged, 'auto' is the TF.js
 * engine and 'fused' fails with a clear error; this switch is the one place that changes at the merge.
 */
export function createTransformerTrainer(shape: TransformerShape, opts: TransformerTrainerOptions, engine: TransformerEngineChoice = 'auto'): TransformerTrainer {
  switch (engine) {
    case 'auto':
    case 'tfjs':
      return new TfjsTransformer(shape, opts);
    case 'fused':
      throw new Error('fused transformer engine not available');
  }
}
