// Does splitting K independent instances across worker threads pay on this machine?
//   node --import tsx bench/parallel.ts [--steps N]
// Each shard trains its own slice of the instances (its own trainer, its own RNG stream) in a
// worker_thread; the wall time of 1 shard is compared with 2 shards in the same run.

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism, loadavg } from 'node:os';
import { createTrainer, validateConfig, type LabConfig } from '../src/engine/index';

interface ShardJob {
  config: LabConfig;
  steps: number;
}

/** A contiguous slice of the instances, as its own config (a slice of a log-spaced sweep is log-spaced). */
export function shardConfig(c: LabConfig, shard: number, shards: number): LabConfig {
  const rows = c.instances / c.gridColumns;
  const from = Math.floor((shard * rows) / shards), to = Math.floor(((shard + 1) * rows) / shards);
  const count = to - from;
  const sparsityRange = c.sparsityRange && rows > 1 ? sliceRange(c.sparsityRange, from, to - 1, rows) : c.sparsityRange;
  return { ...c, instances: count * c.gridColumns, sparsityRange, seed: (c.seed + shard * 7919) >>> 0 };
}

function sliceRange([a, b]: [number, number], first: number, last: number, count: number): [number, number] {
  const at = (i: number) => 1 - (1 - a) * Math.pow((1 - b) / (1 - a), i / (count - 1));
  return [at(first), at(last)];
}

function runShard(job: ShardJob): number {
  const t0 = performance.now();
  const t = createTrainer(job.config, 'auto');
  t.step(job.steps);
  t.dispose();
  return performance.now() - t0;
}

/** Worker threads do not inherit tsx's loader: register it, then load this file. */
const BOOTSTRAP = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`;

async function wallTime(config: LabConfig, steps: number, shards: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: shards }, (_, s) => new Promise<number>((resolve, reject) => {
      const w = new Worker(BOOTSTRAP, { eval: true, workerData: { config: shardConfig(config, s, shards), steps } satisfies ShardJob });
      w.once('message', resolve);
      w.once('error', reject);
    })),
  );
  return performance.now() - t0;
}

const CASES: { label: string; config: Record<string, unknown>; steps: number }[] = [
  { label: 'n=20, m=5, K=10 sweep', config: { n: 20, m: 5, instances: 10, sparsityRange: '0:0.95', importanceDecay: 0.9 }, steps: 1000 },
  { label: 'n=2, m=1 phase grid 20×20', config: { n: 2, m: 1, instances: 400, gridColumns: 20, sparsityRange: '0:0.99', extraImportanceRange: '0.1:10', importanceDecay: 1 }, steps: 500 },
  { label: 'n=100, m=20, K=8 dense→sparse', config: { n: 100, m: 20, instances: 8, sparsityRange: '0:0.99' }, steps: 100 },
];

async function main(): Promise<void> {
  const stepsFlag = process.argv.indexOf('--steps');
  console.log(`cores: ${availableParallelism()}, load average ${loadavg()[0].toFixed(1)}`);
  console.log('| case | 1 thread | 2 threads | speed-up |\n|---|---|---|---|');
  for (const c of CASES) {
    const config = validateConfig(c.config).config!;
    const steps = stepsFlag > 0 ? Number(process.argv[stepsFlag + 1]) : c.steps;
    await wallTime(config, 20, 1); // warm-up (module load, wasm compile)
    const one = await wallTime(config, steps, 1);
    const two = await wallTime(config, steps, 2);
    console.log(`| ${c.label}, ${steps} steps | ${(one / 1000).toFixed(2)} s | ${(two / 1000).toFixed(2)} s | ${(one / two).toFixed(2)}× |`);
  }
}

if (isMainThread) void main();
else parentPort!.postMessage(runShard(workerData as ShardJob));
