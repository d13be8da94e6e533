// The facts model's trainer from either engine of the transformer contract, and the shipped default model.

import type { TransformerTrainer } from '../transformer/model';
import { FusedTransformer } from '../transformer/fusedTransformer';
import { factsShape, type FactsModelConfig } from './factsModel';

export const ROME_ENGINES = ['fused'] as const;
export type RomeEngine = (typeof ROME_ENGINES)[number];

/** A trainer of the facts model with the config's initial weights (seed) and optimiser settings. */
export function createFactsTrainer(config: FactsModelConfig, engine: RomeEngine = 'fused'): TransformerTrainer {
  switch (engine) {
    case 'fused':
      return new FusedTransformer(factsShape(config), { lr: config.lr, weightDecay: config.weightDecay, seed: config.seed });
  }
}
