// The transformer module's public face: the engine factory and what the CLI, UI and tests use.

import type { TransformerEngineChoice } from './config';
import type { TransformerShape, TransformerTrainer } from './model';
import { FusedTransformer } from './fusedTransformer';
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
export { FusedTransformer } from './fusedTransformer';

/**
 * A trainer for `shape` on the chosen engine. 'auto' is the fused engine: it covers every shape the
 * config allows and is about ten times faster than TF.js at these sizes (bench/transformer.ts).
 */
export function createTransformerTrainer(shape: TransformerShape, opts: TransformerTrainerOptions, engine: TransformerEngineChoice = 'auto'): TransformerTrainer {
  switch (engine) {
    case 'auto':
    case 'fused':
      return new FusedTransformer(shape, opts);
    case 'tfjs':
      return new TfjsTransformer(shape, opts);
  }
}
