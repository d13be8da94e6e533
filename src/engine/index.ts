// The engine's public face: everything the worker, the CLI, the benches and the tests need.

import type { LabConfig } from './config';
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
 * Build a trainer for a validated config. 'auto' picks the fastest engine that covers the config:
 * the fused trainer covers relu-output, linear and relu-hidden and was faster than TF.js (wasm)
 * on every size measured (n = 5…100, K = 1…10, S = 0.9…0.99; see the fused trainer's report),
 * so TF.js serves only what the fused trainer does not cover.
 */
export function createTrainer(config: LabConfig, engine: EngineChoice = 'auto'): Trainer {
  switch (engine) {
    case 'auto':
      return FusedTrainer.supports(config) ? new FusedTrainer(config) : new TfjsTrainer(config);
    case 'tfjs':
      return new TfjsTrainer(config);
    case 'fused':
      return new FusedTrainer(config);
  }
}
