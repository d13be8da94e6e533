// Build an SAE trainer on either engine. Imports TF.js (through sae.ts): for the worker, the CLI and
// tests, never for the page.

import type { ActivationSource } from './activations';
import { SaeTrainer } from './sae';
import type { SaeEngine, SaeEngineName } from './saeCore';
import type { SaeConfig } from './saeConfig';
import { preferredSaeEngine, SaeFusedTrainer } from './saeFused';

export type SaeEngineChoice = SaeEngineName | 'auto';

export { preferredSaeEngine };

export function createSaeTrainer(config: SaeConfig, source: ActivationSource, engine: SaeEngineChoice = 'auto'): SaeEngine {
  const name = engine === 'auto' ? preferredSaeEngine({ dIn: source.dIn, dictSize: config.dictSize }) : engine;
  return name === 'fused' ? new SaeFusedTrainer(config, source) : new SaeTrainer(config, source);
}
