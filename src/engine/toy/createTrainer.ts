// Build a toy-model trainer on the engine asked for, or on the one estimated to be faster.

import type { EngineChoice } from '../shared/engines';
import type { LabConfig } from './config';
import { preferredEngine } from './engineChoice';
import { FusedTrainer } from './fused/fusedTrainer';
import { TfjsTrainer } from './tfjsTrainer';
import type { Trainer } from './trainer';

/**
 * Build a trainer for a validated config. 'auto' picks the engine estimated to be faster
 * (engineChoice.ts): the fused trainer for the sparse and small models (it covers all four), TF.js
 * for large dense ones where it is estimated faster.
 */
export function createTrainer(config: LabConfig, engine: EngineChoice = 'auto'): Trainer {
  switch (engine) {
    case 'auto':
      return preferredEngine(config, FusedTrainer.supports(config)) === 'fused' ? new FusedTrainer(config) : new TfjsTrainer(config);
    case 'tfjs':
      return new TfjsTrainer(config);
    case 'fused':
      return new FusedTrainer(config);
  }
}
