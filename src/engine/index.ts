// The engine's public face: everything the worker, the CLI, the benches and the tests need.

import type { LabConfig } from './config';
import { preferredEngine } from './engineChoice';
import { FusedTrainer } from './fusedTrainer';
import { TfjsTrainer } from './tfjsTrainer';
import type { EngineName, Trainer } from './trainer';

export * from './config';
export * from './metrics';
export * from './snapshot';
export type { Trainer, EngineName } from './trainer';
export { createRng } from './rng';
export type { Rng } from './rng';
export { initBackend } from './backend';
export type { BackendName, BackendChoice } from './backend';

export type EngineChoice = EngineName | 'auto';

/**
 * Build a trainer for a validated config. 'auto' picks the engine estimated to be faster
 * (engineChoice.ts): the fused trainer for the sparse and small models it covers (relu-output,
 * linear, relu-hidden), TF.js for large dense ones and for everything the fused trainer does not cover
 * (relu-hidden-tied).
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
