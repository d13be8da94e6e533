// Training speed of the fused transformer (WebAssembly SIMD kernel and its JavaScript twin) on the
// induction-heads default config (transformers.md §1.2: 2 layers, 2 heads, d 32, vocab 64 + BOS,
// T 32, batch 16, Adam lr 1e-2), beside the PyTorch reference (bench/induction_torch.py, a copy of shared/ref/induction_torch.py; same config)
// in the same run. Measures only; prints a markdown table.
//   node --import tsx bench/transformer.ts [--steps 2000] [--js-steps 200] [--torch-steps 300]
//     [--threads 2[,1]] [--no-torch] [--python PATH] [--torch-script PATH]
// A fused step includes drawing its batch (random tokens, one repeated segment), as the reference's
// step includes batch(). ms/step (mean) = timed steps ÷ their total time, the reference's definition.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng, type Rng } from '../src/engine/shared/rng.ts';
import { FusedTransformer } from '../src/engine/transformer/fusedTransformer.ts';
import type { TransformerShape } from '../src/engine/transformer/model.ts';
import { findTorch } from './node.ts';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CONTENT = 64;
const SHAPE: TransformerShape = { layers: 2, heads: 2, dModel: 32, vocab: CONTENT + 1, ctx: 32, mlp: false, dMlp: 128, layerNorm: false };
const BATCH = 16;
const LR = 1e-2;
const BLOCK = 50;
const WARMUP = 50;

/** transformers.md §1.5: 3 · (N(8d² + 4Td) + 2dV) per token, B·T tokens */
function flopsPerStep(s: TransformerShape, B: number): number {
  const { layers: N, dModel: d, ctx: T, vocab: V } = s;
  return 3 * (N * (8 * d * d + 4 * T * d) + 2 * d * V) * B * T;
}

interface Row {
  engine: string;
  steps: number;
  /** timed steps ÷ their total time */
  meanMs: number;
  /** median and fastest of BLOCK-step blocks (null when not measured that way) */
  medianMs: number | null;
  bestMs?: number | null;
  cpuMsPerStep: number | null;
  loss: number | null;
  note?: string;
}

const randInt = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));

/** The reference's batch(): BOS, random content tokens, one segment of length U{4 … 15} copied later. */
function sampleBatch(rng: Rng, out: Int32Array): Int32Array {
  const T = SHAPE.ctx;
  for (let b = 0; b < BATCH; b++) {
    const row = out.subarray(b * T, (b + 1) * T);
    row[0] = CONTENT;
    for (let i = 1; i < T; i++) row[i] = randInt(rng, 0, CONTENT - 1);
    const L = randInt(rng, 4, 15);
    const s1 = randInt(rng, 1, T - 2 * L);
    const s2 = randInt(rng, s1 + L, T - L);
    row.copyWithin(s2, s1, s1 + L);
  }
  return out;
}

function benchFused(simd: boolean, steps: number): Row {
  const model = new FusedTransformer(SHAPE, { lr: LR, seed: 1, simd });
  if (model.simd !== simd) return { engine: 'fused (WebAssembly SIMD)', steps: 0, meanMs: NaN, medianMs: null, cpuMsPerStep: null, loss: null, note: 'no WebAssembly SIMD here' };
  const rng = createRng(1).fork(1_000_000);
  const batch = new Int32Array(BATCH * SHAPE.ctx);
  for (let s = 0; s < WARMUP; s++) model.trainStep(sampleBatch(rng, batch), BATCH);
  const blocks: number[] = [];
  let total = 0, loss = 0;
  const cpu0 = process.cpuUsage();
  for (let done = 0; done < steps; ) {
    const n = Math.min(BLOCK, steps - done);
    const t0 = performance.now();
    for (let s = 0; s < n; s++) loss = model.trainStep(sampleBatch(rng, batch), BATCH);
    const ms = performance.now() - t0;
    total += ms;
    if (n === BLOCK) blocks.push(ms / n);
    done += n;
  }
  const cpu = process.cpuUsage(cpu0);
  blocks.sort((a, b) => a - b);
  return {
    engine: simd ? 'fused (WebAssembly SIMD)' : 'fused (JavaScript twin)',
    steps,
    meanMs: total / steps,
    medianMs: blocks.length ? blocks[blocks.length >> 1] : null,
    bestMs: blocks.length ? blocks[0] : null,
    cpuMsPerStep: (cpu.user + cpu.system) / 1000 / steps,
    loss,
  };
}

function benchTorch(python: string, script: string, steps: number, threads: number): Row {
  const engine = `PyTorch (${threads} thread${threads > 1 ? 's' : ''})`;
  const args = [script, '--steps', String(steps), '--threads', String(threads), '--eval-every', String(steps + 1),
    '--layers', String(SHAPE.layers), '--heads', String(SHAPE.heads), '--d', String(SHAPE.dModel), '--vocab', String(CONTENT),
    '--ctx', String(SHAPE.ctx), '--batch', String(BATCH), '--lr', String(LR)];
  const p = spawnSync(python, args, { encoding: 'utf8', timeout: 20 * 60_000 });
  const line = (p.stdout ?? '').trim().split('\n').pop() ?? '';
  if (p.status !== 0 || !line.startsWith('{')) {
    return { engine, steps: 0, meanMs: NaN, medianMs: null, cpuMsPerStep: null, loss: null, note: `failed: ${(p.stderr || String(p.error)).trim().split('\n').pop()}` };
  }
  const j = JSON.parse(line) as { steps_per_s: number; train_seconds: number };
  return { engine, steps, meanMs: (1000 * j.train_seconds) / steps, medianMs: null, cpuMsPerStep: null, loss: null };
}

function main(): void {
  const { values: o } = parseArgs({
    options: {
      steps: { type: 'string', default: '2000' },
      'js-steps': { type: 'string', default: '200' },
      'torch-steps': { type: 'string', default: '300' },
      threads: { type: 'string', default: '2' },
      'no-torch': { type: 'boolean', default: false },
      python: { type: 'string' },
      'torch-script': { type: 'string' },
    },
    strict: true,
  });
  const flops = flopsPerStep(SHAPE, BATCH);
  const load0 = loadavg()[0];
  console.log(`fused transformer vs PyTorch, default induction config (layers 2, heads 2, d 32, vocab 65, T 32, batch 16, Adam lr ${LR}); ` +
    `≈ ${(flops / 1e6).toFixed(1)} MFLOP/step; Node ${process.version}; load average ${load0.toFixed(2)}`);
  const rows: Row[] = [benchFused(true, Number(o.steps)), benchFused(false, Number(o['js-steps']))];
  if (!o['no-torch']) {
    const script = resolve(o['torch-script'] ?? process.env.INDUCTION_TORCH ?? join(ROOT, 'bench', 'induction_torch.py'));
    const torch = findTorch(o.python);
    for (const threads of o.threads.split(',').map(Number)) {
      if (!existsSync(script)) rows.push({ engine: `PyTorch (${threads} threads)`, steps: 0, meanMs: NaN, medianMs: null, cpuMsPerStep: null, loss: null, note: `no script at ${script} (--torch-script)` });
      else if (torch.python === null) rows.push({ engine: `PyTorch (${threads} threads)`, steps: 0, meanMs: NaN, medianMs: null, cpuMsPerStep: null, loss: null, note: `torch not available: ${torch.reason}` });
      else rows.push({ ...benchTorch(torch.python, script, Number(o['torch-steps']), threads), engine: `PyTorch ${torch.version} (${threads} thread${threads > 1 ? 's' : ''})` });
    }
  }
  const torch2 = rows.find((r) => r.engine.startsWith('PyTorch') && r.engine.includes('(2 threads)') && Number.isFinite(r.meanMs));
  const f = (x: number | null, digits = 2) => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(digits));
  console.log(`\n| engine | steps | ms/step (mean) | ms/step (median / best ${BLOCK}-step block) | steps/s | GFLOP/s | PyTorch-2-thread time ÷ ours | CPU ms/step |`);
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const ratio = torch2 && Number.isFinite(r.meanMs) ? `${(torch2.meanMs / r.meanMs).toFixed(2)}×` : '–';
    console.log(`| ${r.engine}${r.note ? ` (${r.note})` : ''} | ${r.steps} | ${f(r.meanMs, 3)} | ${r.medianMs === null ? '–' : `${f(r.medianMs, 3)} / ${f(r.bestMs ?? null, 3)}`} | ${f(1000 / r.meanMs, 1)} | ${f(flops / (r.meanMs * 1e6), 2)} | ${ratio} | ${f(r.cpuMsPerStep, 3)} |`);
  }
  console.log(`\nload average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)} (2 cores; other jobs inflate every figure, torch's 2 threads most)`);
}

main();
