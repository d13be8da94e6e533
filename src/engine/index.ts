// The engine's public face: everything the worker, the CLI, the benches and the tests need.

import type { LabConfig } from './config';
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

/** Build a trainer for a validated config. 'auto' picks the fastest engine that covers the config. */
export function createTrainer(config: LabConfig, engine: EngineChoice = 'auto'): Trainer {
  switch (engine) {
    case 'auto':
    case 'tfjs':
      return new TfjsTrainer(config);
    case 'fused':
      throw new Error('the fused engine is not available yet');
  }
}
