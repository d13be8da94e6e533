// The Node side of the benchmark, as functions for reuse (run.ts is only the CLI around them):
//   runNodeBench  — each engine × config in its own child process (bench/child.ts)
//   runTorchBench — the project's PyTorch reference (bench/toy_torch.py) on the same configs
// Everything runs sequentially: the machine has 2 cores and parallel runs would skew each other.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stepPlan, totalSteps } from './tables';
import { RESULT_PREFIX, type BenchConfig, type BenchRow, type ChildJob, type Measurement, type NodeBenchOptions, type TorchBenchOptions } from './types';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = dirname(BENCH_DIR);
const DEFAULT_TIMEOUT_MS = 10 * 60_000;

interface ProcResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runProcess(cmd: string, args: string[], timeoutMs: number): Promise<ProcResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr + String(e), timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

const lastLines = (s: string, n = 3) => s.trim().split('\n').slice(-n).join(' | ');

function failure(p: ProcResult, timeoutMs: number): string {
  if (p.timedOut) return `timed out after ${Math.round(timeoutMs / 1000)} s`;
  return `exit code ${p.code}: ${lastLines(p.stderr) || lastLines(p.stdout) || 'no output'}`;
}

export function describe(row: BenchRow): string {
  const head = `[${row.config}] ${row.engine}${row.where === 'node' || row.where === 'python' ? '' : ` (${row.where})`}`;
  if (row.status !== 'ok' || !row.result) return `${head}: ${row.status}${row.reason ? ` — ${row.reason}` : ''}`;
  const r = row.result;
  const loss = r.loss.reduce((a, b) => a + b, 0) / r.loss.length;
  const load = row.detail?.load1 !== undefined ? `, load ${row.detail.load1}` : '';
  return `${head}: ${r.stepsPerS.toFixed(1)} steps/s (median ${r.medianBlockMs.toFixed(3)} ms/step, wall ${r.wallMsPerStep.toFixed(3)}), loss ${loss.toPrecision(4)} after ${r.steps} steps${load}`;
}

/** Measure each engine on each config, one child process per measurement. */
export async function runNodeBench(opts: NodeBenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const childPath = join(BENCH_DIR, 'child.ts');
  for (const config of opts.configs) {
    for (const spec of opts.engines) {
      if (spec.browserOnly) continue;
      const plan = stepPlan(totalSteps(config, opts.quick, opts.steps, spec));
      const job: ChildJob = { config, engineId: spec.id, engine: spec.engine, backend: spec.backend, plan };
      const p = await runProcess(process.execPath, ['--expose-gc', '--import', 'tsx', childPath, JSON.stringify(job)], timeoutMs);
      const line = p.stdout.split('\n').filter((l) => l.startsWith(RESULT_PREFIX)).pop();
      let row: BenchRow;
      if (line) {
        row = JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchRow;
        if (row.status === 'error' && p.stderr.trim()) row.reason = `${row.reason} (${lastLines(p.stderr, 2)})`;
      } else {
        row = { config: config.id, engine: spec.id, where: 'node', status: 'error', reason: failure(p, timeoutMs) };
      }
      noteLoad(row);
      rows.push(row);
      opts.log?.(describe(row));
    }
  }
  return rows;
}

/** Record the 1-minute load average right after a measurement (other jobs on the 2 cores skew the numbers). */
function noteLoad(row: BenchRow): void {
  row.detail = { ...row.detail, load1: Math.round(loadavg()[0] * 100) / 100 };
}

/** The python interpreter to use for torch: explicit, $TORCH_PYTHON, Debian's /usr/bin/python3, then python3 on PATH. */
export function pythonCandidates(explicit?: string): string[] {
  if (explicit) return [explicit];
  const env = process.env.TORCH_PYTHON;
  return [...(env ? [env] : []), ...(existsSync('/usr/bin/python3') ? ['/usr/bin/python3'] : []), 'python3'];
}

type TorchLookup = { python: string; version: string } | { python: null; reason: string };
const torchLookups = new Map<string, TorchLookup>();

/** The first interpreter that can import torch, with its version; or why none can (cached per process). */
export function findTorch(explicit?: string): TorchLookup {
  const key = explicit ?? '';
  const cached = torchLookups.get(key);
  if (cached) return cached;
  const found = lookUpTorch(explicit);
  torchLookups.set(key, found);
  return found;
}

function lookUpTorch(explicit?: string): TorchLookup {
  const reasons: string[] = [];
  for (const python of pythonCandidates(explicit)) {
    const p = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
    if (p.status === 0) return { python, version: p.stdout.trim() };
    reasons.push(`${python}: ${p.error ? p.error.message : lastLines(p.stderr, 1)}`);
  }
  return { python: null, reason: reasons.join('; ') };
}

/** Arguments of bench/toy_torch.py for a config and step plan. */
export function torchArgs(c: BenchConfig, steps: number, threads: number): string[] {
  const plan = stepPlan(steps);
  return [
    '--model', c.model, '--n', String(c.n), '--m', String(c.m), '--instances', String(c.instances),
    '--sparsity', String(c.sparsity), '--importance-decay', String(c.importanceDecay), '--batch', String(c.batch),
    '--lr', String(c.lr), '--seed', String(c.seed), '--threads', String(threads),
    '--steps', String(plan.steps), '--warmup', String(plan.warmup), '--block', String(plan.block),
  ];
}

interface TorchJson {
  torch: string;
  threads: number;
  steps: number;
  warmup: number;
  timed_steps: number;
  block: number;
  blocks: number;
  ms_per_step: number;
  median_block_ms: number;
  best_block_ms: number;
  loss: number[];
}

/** Run bench/toy_torch.py on each config (same step plan as the Node engines without a cap). */
export async function runTorchBench(opts: TorchBenchOptions): Promise<BenchRow[]> {
  const threads = opts.threads ?? 2;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const found = findTorch(opts.python);
  if (found.python === null) {
    return opts.configs.map((c) => ({ config: c.id, engine: 'torch', where: 'python', status: 'unavailable', reason: `torch not available (${found.reason})` }));
  }
  const rows: BenchRow[] = [];
  for (const c of opts.configs) {
    const steps = totalSteps(c, opts.quick, opts.steps);
    const p = await runProcess(found.python, [join(BENCH_DIR, 'toy_torch.py'), ...torchArgs(c, steps, threads)], timeoutMs);
    const line = p.stdout.trim().split('\n').pop() ?? '';
    let row: BenchRow;
    if (p.code === 0 && line.startsWith('{')) {
      const j = JSON.parse(line) as TorchJson;
      const result: Measurement = {
        steps: j.steps, warmup: j.warmup, block: j.block, tail: Math.max(1, Math.floor(j.steps / 100)),
        timedSteps: j.timed_steps, blocks: j.blocks, medianBlockMs: j.median_block_ms, bestBlockMs: j.best_block_ms,
        wallMsPerStep: j.ms_per_step, stepsPerS: 1000 / j.median_block_ms, loss: j.loss,
      };
      row = { config: c.id, engine: 'torch', where: 'python', status: 'ok', detail: { torch: j.torch, threads: j.threads, python: found.python }, result };
    } else {
      row = { config: c.id, engine: 'torch', where: 'python', status: 'error', reason: failure(p, timeoutMs) };
    }
    noteLoad(row);
    rows.push(row);
    opts.log?.(describe(row));
  }
  return rows;
}
