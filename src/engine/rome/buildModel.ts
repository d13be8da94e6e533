// Regenerates the shipped facts model, public/rome-facts-model.json (the default config and seed):
//   npm run rome:model        (node --import tsx src/engine/rome/buildModel.ts)

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createFactsTrainer } from './engine';
import { DEFAULT_FACTS_CONFIG, evaluateFacts, trainFacts } from './factsModel';
import { encodeModel, MODEL_FILE_NAME } from './modelFile';

const config = DEFAULT_FACTS_CONFIG;
const trainer = createFactsTrainer(config);
const run = trainFacts(trainer, config, (p) => process.stderr.write(`\rstep ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} accuracy ${p.accuracy ?? '–'} ${p.stepsPerSecond.toFixed(1)} steps/s\x1b[K`), 50);
process.stderr.write('\n');
const acc = evaluateFacts(trainer, run.set);
if (acc.all < 0.99) throw new Error(`the facts model reached only ${acc.all} top-1 accuracy`);
const file = encodeModel(config, trainer.params(), {
  engine: trainer.engine, steps: run.steps, trainSeconds: Math.round(run.seconds * 10) / 10,
  accuracy: { all: acc.all, rewrite: acc.rewrite, paraphrase: acc.paraphrase },
});
const out = resolve(import.meta.dirname, '../../../public', MODEL_FILE_NAME);
writeFileSync(out, JSON.stringify(file) + '\n');
process.stderr.write(`wrote ${out}: ${run.steps} steps in ${run.seconds.toFixed(1)} s, accuracy ${acc.all} (rewrite ${acc.rewrite}, paraphrase ${acc.paraphrase})\n`);
trainer.dispose();
