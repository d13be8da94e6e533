// The facts model's training speed on our engines beside the PyTorch reference (bench/facts_torch.py), in one run,
// and the time of one causal trace and one ROME edit in Node.
//   node --import tsx bench/rome.ts [--steps N] [--python /usr/bin/python3] [--out FILE]
// Prints a table and one JSON line (written to --out too).

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '../src/engine/shared/backend';
import { createFactsTrainer, type RomeEngine } from '../src/engine/rome/engine';
import { makeFacts, trainingBatch } from '../src/engine/rome/facts';
import { DEFAULT_FACTS_CONFIG } from '../src/engine/rome/factsModel';
import { decodeModel, MODEL_FILE_NAME } from '../src/engine/rome/modelFile';
import { pickEdits, RomeEditor } from '../src/engine/rome/rome';
import { pickTraceFacts, subjectEmbeddingStd, traceFact } from '../src/engine/rome/trace';
import { createRng } from '../src/engine/shared/rng';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const steps = Number(flag('steps', '200'));
const python = flag('python', '/usr/bin/python3');
const out = flag('out', '');
const ROOT = join(import.meta.dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function engineStepsPerSecond(engine: RomeEngine): { msPerStep: number; stepsPerSecond: number } {
  const c = DEFAULT_FACTS_CONFIG;
  const trainer = createFactsTrainer(c, engine);
  const set = makeFacts(c.seed);
  const rng = createRng(2);
  const block = Math.max(5, Math.floor(steps / 10));
  const warm = block;
  const blocks: number[] = [];
  let t0 = 0;
  for (let s = 0; s < steps + warm; s++) {
    if (s === warm) t0 = performance.now();
    const { tokens, weights } = trainingBatch(set, c.batch, rng, c.bioFraction);
    trainer.trainStep(tokens, c.batch, weights);
    if (s >= warm && (s - warm + 1) % block === 0) {
      const now = performance.now();
      blocks.push((now - t0) / block);
      t0 = now;
    }
  }
  trainer.dispose();
  const ms = median(blocks);
  return { msPerStep: ms, stepsPerSecond: 1000 / ms };
}

function torchStepsPerSecond(): { msPerStep: number; stepsPerSecond: number; torch: string } | { error: string } {
  const c = DEFAULT_FACTS_CONFIG;
  const block = Math.max(5, Math.floor(steps / 10));
  const r = spawnSync(python, [join(ROOT, 'bench', 'facts_torch.py'), '--layers', String(c.layers), '--d-model', String(c.dModel), '--heads', String(c.heads),
    '--mlp-ratio', String(c.mlpRatio), '--batch', String(c.batch), '--lr', String(c.lr), '--steps', String(steps + block), '--warmup', String(block), '--block', String(block), '--threads', '1'], { encoding: 'utf8', timeout: 600_000 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) return { error: `exit ${r.status}: ${r.stderr.trim().split('\n').at(-1)}` };
  const j = JSON.parse(line);
  return { msPerStep: j.msPerStep, stepsPerSecond: j.stepsPerSecond, torch: j.torch };
}

await initBackend(['wasm', 'cpu']);
const fused = engineStepsPerSecond('fused');
const tfjs = engineStepsPerSecond('tfjs');
const torch = torchStepsPerSecond();

// one trace (K = 10, 1 filler) and one ROME edit (C cached first, as in the tab after the first edit) on the shipped model
const { config, params } = decodeModel(JSON.parse(readFileSync(join(ROOT, 'public', MODEL_FILE_NAME), 'utf8')));
const trainer = createFactsTrainer(config);
trainer.setParams(params);
const set = makeFacts(config.seed);
const noise = 3 * subjectEmbeddingStd(params, set);
const facts = pickTraceFacts(trainer, set, 5, 1, 0, [3]);
const traceMs = facts.map((f) => {
  const t0 = performance.now();
  traceFact(trainer, set, f, { noise, samples: 10, seed: 1, prefix: [3] });
  return performance.now() - t0;
});
const editor = new RomeEditor(trainer, set, config.seed);
let t0 = performance.now();
editor.covariance(0);
const covarianceMs = performance.now() - t0;
const editMs = pickEdits(set, 5, 1).map((e) => {
  t0 = performance.now();
  editor.prepare({ ...e, layer: 0, method: 'rome' });
  return performance.now() - t0;
});
trainer.dispose();

const record = {
  kind: 'rome-bench', steps, model: { layers: config.layers, dModel: config.dModel, heads: config.heads, batch: config.batch },
  training: { fused, tfjs, torch },
  node: { traceMs: median(traceMs), editMs: median(editMs), covarianceMs },
};
const f = (x: number) => x.toFixed(1);
process.stdout.write(
  [
    `facts model ${config.layers} layers, d ${config.dModel}, ${config.heads} heads, batch ${config.batch}, ${steps} timed steps`,
    `  fused (wasm SIMD)     ${f(fused.stepsPerSecond)} steps/s  (${f(fused.msPerStep)} ms/step)`,
    `  tfjs (${'wasm'})          ${f(tfjs.stepsPerSecond)} steps/s  (${f(tfjs.msPerStep)} ms/step)`,
    'error' in torch ? `  torch: ${torch.error}` : `  torch ${torch.torch} 1 thread  ${f(torch.stepsPerSecond)} steps/s  (${f(torch.msPerStep)} ms/step)`,
    `  one trace (K = 10, 6 tokens × 4 layers × 3 kinds): ${f(record.node.traceMs)} ms;  one ROME edit: ${f(record.node.editMs)} ms (+ C once: ${f(covarianceMs)} ms)`,
  ].join('\n') + '\n' + JSON.stringify(record) + '\n',
);
if (out) writeFileSync(out, JSON.stringify(record) + '\n');
