// Build an SAE trainer on either engine. Imports TF.js (through sae.ts): for the worker, the CLI and
// tests, never for the page.

import type { ActivationSource } from './activations';
import { SaeTrainer } from './tfjsSae';
import type { SaeEngine } from './core';
import type { EngineChoice } from '../shared/engines';
import type { SaeConfig } from './config';
import { preferredSaeEngine, SaeFusedTrainer } from './fused';

/** the SAE domain picks among the same engines as every other */
export type SaeEngineChoice = EngineChoice;

export { preferredSaeEngine };

export function createSaeTrainer(config: SaeConfig, source: ActivationSource, engine: SaeEngineChoice = 'auto'): SaeEngine {
  const name = engine === 'auto' ? preferredSaeEngine({ dIn: source.dIn, dictSize: config.dictSize }) : engine;
  return name === 'fused' ? new SaeFusedTrainer(config, source) : new SaeTrainer(config, source);
}
