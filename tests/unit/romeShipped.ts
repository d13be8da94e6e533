// The shipped facts model for the rome tests (public/rome-facts-model.json), on the fused engine.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFactsTrainer, type RomeEngine } from '../../src/engine/rome/engine';
import { makeFacts } from '../../src/engine/rome/facts';
import { decodeModel, MODEL_FILE_NAME } from '../../src/engine/rome/modelFile';

export function shippedModel(engine: RomeEngine = 'fused') {
  const file = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'public', MODEL_FILE_NAME), 'utf8'));
  const { config, params, meta } = decodeModel(file);
  const trainer = createFactsTrainer(config, engine);
  trainer.setParams(params);
  return { config, params, meta, trainer, set: makeFacts(config.seed) };
}
