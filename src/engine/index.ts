// The engine's public face: everything the worker, the CLI, the benches and the tests need.

import type { LabConfig } from './toy/config';
import { preferredEngine } from './toy/engineChoice';
import { FusedTrainer } from './toy/fused/fusedTrainer';
import { TfjsTrainer } from './toy/tfjsTrainer';
import type { Trainer } from './toy/trainer';
import type { EngineChoice } from './shared/engines';
export * from './shared/engines';

export * from './toy/config';
export * from './toy/metrics';
export * from './toy/snapshot';
export type { Trainer, EngineName } from './toy/trainer';
export { createRng } from './shared/rng';
export type { Rng } from './shared/rng';
export { initBackend } from './shared/backend';
export type { BackendName, BackendChoice } from './shared/backend';


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
