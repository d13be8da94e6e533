// The facts model's trainer from either engine of the transformer contract.

import type { TransformerTrainer } from '../transformer/model';
import { FusedTransformer } from '../transformer/fusedTransformer';
import { TfjsTransformer } from '../transformer/tfjsTransformer';
import { factsShape, type FactsModelConfig } from './factsModel';

export const ROME_ENGINES = ['fused', 'tfjs'] as const;
export type RomeEngine = (typeof ROME_ENGINES)[number];

/** A trainer of the facts model with the config's initial weights (seed) and optimiser settings (tfjs needs a TF.js backend). */
export function createFactsTrainer(config: FactsModelConfig, engine: RomeEngine = 'fused'): TransformerTrainer {
  const opts = { lr: config.lr, weightDecay: config.weightDecay, seed: config.seed };
  switch (engine) {
    case 'fused':
      return new FusedTransformer(factsShape(config), opts);
    case 'tfjs':
      return new TfjsTransformer(factsShape(config), opts);
  }
}
