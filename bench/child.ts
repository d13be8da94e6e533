// Child process of the Node bench: measures ONE engine on ONE config and prints one result line.
// A fresh process per measurement keeps the numbers clean: the TF.js backend is global per process,
// and no JIT state, wasm heap or garbage carries over from another engine.
// Usage (by node.ts): node --expose-gc --import tsx bench/child.ts '<ChildJob JSON>'

import { createTrainer, initBackend, validateConfig, type LabConfig, type Trainer } from '../src/engine';
import { measureTrainer } from './measure';
import { RESULT_PREFIX, type BenchConfig, type BenchRow, type ChildJob } from './types';

/** The engine's LabConfig for a bench config, through the engine's own validator. */
export function labConfig(c: BenchConfig, steps: number): LabConfig {
  const v = validateConfig({
    model: c.model, n: c.n, m: c.m, instances: c.instances, sparsity: c.sparsity,
    importanceDecay: c.importanceDecay, batch: c.batch, lr: c.lr, seed: c.seed, steps,
  });
  if (!v.ok) throw new Error(`bench config (${c.id}) is invalid: ${v.errors.join('; ')}`);
  return v.config;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function main(job: ChildJob): Promise<BenchRow> {
  const row: BenchRow = { config: job.config.id, engine: job.engineId, where: 'node', status: 'ok', detail: { node: process.version } };
  if (job.backend) {
    try {
      const choice = await initBackend([job.backend]);
      row.detail!.backend = choice.active;
    } catch (e) {
      return { ...row, status: 'unavailable', reason: `TF.js backend ${job.backend}: ${message(e)}` };
    }
  }
  let trainer: Trainer;
  try {
    trainer = createTrainer(labConfig(job.config, job.plan.steps), job.engine);
  } catch (e) {
    return { ...row, status: 'unavailable', reason: `createTrainer(config, '${job.engine}') threw: ${message(e)}` };
  }
  if (trainer.engine !== job.engine) {
    trainer.dispose();
    return { ...row, status: 'unavailable', reason: `createTrainer(config, '${job.engine}') returned the '${trainer.engine}' engine` };
  }
  try {
    const gc = (globalThis as { gc?: () => void }).gc;
    row.result = measureTrainer(trainer, job.plan, gc);
  } finally {
    trainer.dispose();
  }
  return row;
}

// Only when run as the child entry (labConfig may be imported elsewhere).
if (process.argv[1] && /child\.ts$/.test(process.argv[1])) {
  const job = JSON.parse(process.argv[2] ?? 'null') as ChildJob;
  const emit = (row: BenchRow) => process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(row)}\n`);
  try {
    emit(await main(job));
  } catch (e) {
    emit({ config: job.config.id, engine: job.engineId, where: 'node', status: 'error', reason: message(e) });
    process.exitCode = 1;
  }
}
