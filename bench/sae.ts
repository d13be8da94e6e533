// SAE training speed: the fused and TF.js SAE engines in Node (a child process per measurement) and in
// headless Chromium (a worker per measurement), against PyTorch (bench/sae_torch.py, same architecture,
// loss and Adam) on the same configs. `npm run bench` runs it after the toy-model table (run.ts);
// alone: node --import tsx bench/sae.ts [--quick] [--no-torch] [--no-browser] [--no-gemm] [--only sa,sb,sc] [--engines fused,fused-2t,tfjs] [--repeat N] [--json FILE]
// First the GEMM core's GFLOP/s against the machine's SIMD peak (gemm.ts), Node and Chromium.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { instanceL1 } from '../src/engine/sae/config.ts';
import { findTorch } from './node.ts';
import { SAE_CONFIGS, SAE_ENGINE_IDS, SAE_RESULT_PREFIX, saeConfigOf, type SaeBenchConfig, type SaeBenchEngine, type SaeMeasurement } from './saeMeasure.ts';
import type { SaeBrowserJob, SaeBrowserReply } from './saeBrowser/worker.ts';
import { gemmTable, nodeGemm, type GemmRun } from './gemm.ts';
import { stepPlan } from './tables.ts';
import type { Log } from './types.ts';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const TIMEOUT_MS = 10 * 60_000;

export interface SaeBenchOptions {
  quick: boolean;
  torch: boolean;
  browser: boolean;
  python?: string;
  threads?: number;
  /** config ids (default all) */
  only?: readonly string[];
  /** the GEMM core's GFLOP/s against the SIMD peak (gemm.ts; default on) */
  gemm?: boolean;
  /** our engines to measure (default all) */
  engines?: readonly SaeBenchEngine[];
  /** measure each config × engine this many times, engines alternating (default 1); the table gives medians and ranges */
  repeat?: number;
  log?: Log;
}

export interface SaeBenchRow {
  config: string;
  engine: SaeBenchEngine | 'torch';
  where: 'node' | 'chromium' | 'python';
  status: 'ok' | 'unavailable' | 'error';
  reason?: string;
  result?: SaeMeasurement | (Omit<SaeMeasurement, 'engine'> & { engine: 'torch' });
  detail?: Record<string, string | number | boolean | null>;
}

interface Proc {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function run(cmd: string, args: string[]): Promise<Proc> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ code: null, stdout, stderr: stderr + String(e), timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, timedOut });
    });
  });
}

const ENGINE_LABEL: Record<SaeBenchEngine, string> = { fused: 'fused (1 thread)', 'fused-2t': 'fused, 2 threads', tfjs: 'tfjs-wasm' };

const tail = (s: string) => s.trim().split('\n').slice(-2).join(' | ');
const stepsOf = (c: SaeBenchConfig, quick: boolean) => (quick ? c.quickSteps : c.steps);
const load = () => Math.round(loadavg()[0] * 100) / 100;

async function nodeRow(c: SaeBenchConfig, engine: SaeBenchEngine, quick: boolean): Promise<SaeBenchRow> {
  const plan = stepPlan(stepsOf(c, quick));
  const p = await run(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'saeChild.ts'), JSON.stringify({ config: c, engine, plan })]);
  const line = p.stdout.split('\n').filter((l) => l.startsWith(SAE_RESULT_PREFIX)).pop();
  if (!line) return { config: c.id, engine, where: 'node', status: 'error', reason: p.timedOut ? 'timed out' : `exit ${p.code}: ${tail(p.stderr)}` };
  const r = JSON.parse(line.slice(SAE_RESULT_PREFIX.length)) as { ok: true; result: SaeMeasurement; backend: string | null } | { ok: false; reason: string };
  if (!r.ok) return { config: c.id, engine, where: 'node', status: 'error', reason: r.reason };
  return { config: c.id, engine, where: 'node', status: 'ok', result: r.result, detail: { backend: r.backend, load1: load() } };
}

function torchArgs(c: SaeBenchConfig, steps: number, threads: number): string[] {
  const plan = stepPlan(steps);
  const sae = saeConfigOf(c, steps);
  return [
    '--data', c.data, '--dim', String(c.dim), '--features', String(c.features), '--active', String(c.active), '--sparsity', '0.975',
    '--dict-size', String(c.dictSize), '--instances', String(c.instances), '--l1', ...instanceL1(sae).map(String),
    '--batch', String(c.batch), '--lr', String(c.lr), '--steps', String(plan.steps), '--warmup', String(plan.warmup), '--block', String(plan.block),
    '--threads', String(threads),
  ];
}

async function torchRow(c: SaeBenchConfig, opts: SaeBenchOptions): Promise<SaeBenchRow> {
  const found = findTorch(opts.python);
  if (found.python === null) return { config: c.id, engine: 'torch', where: 'python', status: 'unavailable', reason: `torch not available (${found.reason})` };
  const threads = opts.threads ?? 2;
  const p = await run(found.python, [join(BENCH_DIR, 'sae_torch.py'), ...torchArgs(c, stepsOf(c, opts.quick), threads)]);
  const line = p.stdout.trim().split('\n').pop() ?? '';
  if (p.code !== 0 || !line.startsWith('{')) return { config: c.id, engine: 'torch', where: 'python', status: 'error', reason: p.timedOut ? 'timed out' : `exit ${p.code}: ${tail(p.stderr)}` };
  const j = JSON.parse(line) as { torch: string; threads: number; steps: number; median_block_ms: number; best_block_ms: number; ms_per_step: number; loss: number[]; l0: number[] };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    config: c.id, engine: 'torch', where: 'python', status: 'ok',
    result: { steps: j.steps, medianBlockMs: j.median_block_ms, bestBlockMs: j.best_block_ms, wallMsPerStep: j.ms_per_step, stepsPerS: 1000 / j.median_block_ms, loss: mean(j.loss), l0: mean(j.l0), engine: 'torch' },
    detail: { torch: j.torch, threads: j.threads, load1: load() },
  };
}

/** Build the SAE bench page, serve it, time every config × engine in Chromium workers. */
async function browserRows(
  engines: readonly SaeBenchEngine[], configs: readonly SaeBenchConfig[], quick: boolean, log: Log, gemmRuns: GemmRun[] | null, repeat = 1,
): Promise<SaeBenchRow[]> {
  const { build } = await import('vite');
  const { startHarness } = await import('../tests/e2e/harness.ts');
  const outDir = mkdtempSync(join(tmpdir(), 'lab-sae-bench-'));
  log('SAE browser bench: building the bench page…');
  await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input: { saebench: join(ROOT, 'bench/saeBrowser/index.html') } } } });
  const h = await startHarness({ root: ROOT, outDir });
  const { url, browser } = h;
  const rows: SaeBenchRow[] = [];
  try {
    const page = await browser.newPage();
    await page.goto(`${url}bench/saeBrowser/index.html`);
    await page.waitForFunction(() => window.__saeBench !== undefined, null, { timeout: 30_000 });
    if (gemmRuns) {
      const g = await page.evaluate((t) => window.__saeBench!.gemm(t), TIMEOUT_MS);
      gemmRuns.push(g.ok ? { where: 'Chromium', relaxedByDefault: g.relaxed, results: g.results } : { where: 'Chromium', relaxedByDefault: null, results: [], error: g.reason });
      log(`GEMM Chromium: ${g.ok ? `relaxed SIMD ${g.relaxed ? 'on' : 'off'}, peak ${g.results.map((r) => `${r.build} ${r.peak.toFixed(1)}`).join(', ')} GFLOP/s` : g.reason}`);
    }
    for (const c of configs) {
      for (const engine of Array.from({ length: repeat }, () => engines).flat()) {
        const job: SaeBrowserJob = { config: c, engine, plan: stepPlan(stepsOf(c, quick)) };
        const reply: SaeBrowserReply = await page.evaluate(([j, t]) => window.__saeBench!.measure(j, t), [job, TIMEOUT_MS] as const);
        const row: SaeBenchRow = reply.ok
          ? { config: c.id, engine, where: 'chromium', status: 'ok', result: reply.result, detail: { backend: reply.backend, load1: load() } }
          : { config: c.id, engine, where: 'chromium', status: 'error', reason: reply.reason };
        log(describe(row));
        rows.push(row);
      }
    }
  } finally {
    await h.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  return rows;
}

function describe(r: SaeBenchRow): string {
  const head = `[${r.config}] ${r.engine} (${r.where})`;
  if (r.status !== 'ok' || !r.result) return `${head}: ${r.status} — ${r.reason ?? ''}`;
  return `${head}: ${r.result.stepsPerS.toFixed(1)} steps/s (median ${r.result.medianBlockMs.toFixed(3)} ms/step, best ${r.result.bestBlockMs.toFixed(3)}), L0 ${r.result.l0.toFixed(2)}, load ${r.detail?.load1 ?? '?'}${splitText(r)}`;
}

/** the fused engine's time split, e.g. " — time: kernel 55%, copies 12%, Adam+norm 20%, batch 10%, other 3%" */
function splitText(r: SaeBenchRow): string {
  const s = r.result && 'split' in r.result ? r.result.split : undefined;
  if (!s) return '';
  const pct = (x: number) => `${Math.round(100 * x)}%`;
  return ` — time: wasm kernel ${pct(s.kernel)}, copies in/out ${pct(s.copies)}, Adam+norm ${pct(s.update)}, batch ${pct(s.batch)}, other ${pct(s.other)}`;
}

const rate = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

export function saeTable(configs: readonly SaeBenchConfig[], rows: SaeBenchRow[]): string {
  // with repeats: the measurement of median steps/s, and the range of all of them
  const all = (c: string, engine: string, where: string) => rows.filter((r) => r.config === c && r.engine === engine && r.where === where && r.status === 'ok').map((r) => r.result!);
  const get = (c: string, engine: string, where: string) => {
    const xs = all(c, engine, where).sort((a, b) => a.stepsPerS - b.stepsPerS);
    return xs.length ? xs[(xs.length - 1) >> 1] : undefined;
  };
  const rateOf = (c: string, engine: string, where: string) => {
    const xs = all(c, engine, where).map((x) => x.stepsPerS);
    const mid = get(c, engine, where)?.stepsPerS;
    return xs.length > 1 ? `${rate(mid)} (${rate(Math.min(...xs))}–${rate(Math.max(...xs))})` : rate(mid);
  };
  const lines = [
    '| config | engine | Node steps/s | Chromium steps/s | torch steps/s | Node ÷ torch | Chromium ÷ torch |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of configs) {
    const torch = get(c.id, 'torch', 'python');
    for (const engine of SAE_ENGINE_IDS.filter((e) => rows.some((r) => r.engine === e))) {
      const node = get(c.id, engine, 'node');
      const chrome = get(c.id, engine, 'chromium');
      const ratio = (x: { stepsPerS: number } | undefined) => (x && torch ? (x.stepsPerS / torch.stepsPerS).toFixed(2) : '—');
      lines.push(`| ${c.label} | ${ENGINE_LABEL[engine]} | ${rateOf(c.id, engine, 'node')} | ${rateOf(c.id, engine, 'chromium')} | ${rate(torch?.stepsPerS)} | ${ratio(node)} | ${ratio(chrome)} |`);
    }
  }
  const problems = rows.filter((r) => r.status !== 'ok').map((r) => `- ${r.config} ${r.engine} (${r.where}): ${r.status} — ${r.reason ?? ''}`);
  const splits = rows.filter((r) => r.status === 'ok' && splitText(r)).map((r) => `- ${r.config} ${r.engine} (${r.where})${splitText(r)}`);
  return [...lines, ...(splits.length ? ['', 'Where the fused engine\'s time goes (share of the timed steps):', ...splits] : []), ...(problems.length ? ['', ...problems] : [])].join('\n');
}

/** Everything, config by config (torch right before ours: the load drifts on a shared machine), then Chromium. */
export async function runSaeBench(opts: SaeBenchOptions): Promise<{ rows: SaeBenchRow[]; table: string; gemm: GemmRun[] }> {
  const log = opts.log ?? (() => {});
  const configs = opts.only?.length ? SAE_CONFIGS.filter((c) => opts.only!.includes(c.id)) : SAE_CONFIGS;
  const rows: SaeBenchRow[] = [];
  const gemmRuns: GemmRun[] = [];
  if (opts.gemm !== false) {
    for (const flag of [false, true]) {
      const g = await nodeGemm(flag);
      log(`GEMM ${g.where}: ${g.error ?? g.results.map((r) => `${r.build} peak ${r.peak.toFixed(1)}, encoder ${r.rows[0].gflops.toFixed(1)} GFLOP/s`).join('; ')}`);
      gemmRuns.push(g);
    }
  }
  for (const c of configs) {
    if (opts.torch) {
      const r = await torchRow(c, opts);
      log(describe(r));
      rows.push(r);
    }
    for (let rep = 0; rep < (opts.repeat ?? 1); rep++) {
      for (const engine of opts.engines ?? SAE_ENGINE_IDS) {
        const r = await nodeRow(c, engine, opts.quick);
        log(describe(r));
        rows.push(r);
      }
    }
  }
  if (opts.browser) {
    try {
      rows.push(...(await browserRows(opts.engines ?? SAE_ENGINE_IDS, configs, opts.quick, log, opts.gemm !== false ? gemmRuns : null, opts.repeat ?? 1)));
    } catch (e) {
      rows.push({ config: '*', engine: 'fused', where: 'chromium', status: 'error', reason: e instanceof Error ? e.message : String(e) });
    }
  }
  const gemm = gemmRuns.length ? `### GEMM core (src/engine/kernels/gemm.as.ts) against the single-core SIMD peak\n\n${gemmTable(gemmRuns)}\n\n### SAE steps/s\n\n` : '';
  return { rows, table: gemm + saeTable(configs, rows), gemm: gemmRuns };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false }, 'no-torch': { type: 'boolean', default: false }, 'no-browser': { type: 'boolean', default: false },
      only: { type: 'string' }, python: { type: 'string' }, threads: { type: 'string', default: '2' }, json: { type: 'string' },
      'no-gemm': { type: 'boolean', default: false }, engines: { type: 'string' }, repeat: { type: 'string', default: '1' },
    },
  });
  const engines = (values.engines ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const badEngine = engines.filter((e) => !(SAE_ENGINE_IDS as readonly string[]).includes(e));
  if (badEngine.length) {
    process.stderr.write(`sae bench: unknown engine ${badEngine.join(', ')}; known: ${SAE_ENGINE_IDS.join(', ')}\n`);
    process.exit(2);
  }
  if (!/^\d+$/.test(values.repeat!) || Number(values.repeat) < 1 || Number(values.repeat) > 20) {
    process.stderr.write(`sae bench: --repeat must be a whole number from 1 to 20; got "${values.repeat}"\n`);
    process.exit(2);
  }
  const only = (values.only ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((id) => !SAE_CONFIGS.some((c) => c.id === id));
  if (unknown.length) {
    process.stderr.write(`sae bench: unknown config ${unknown.join(', ')}; known: ${SAE_CONFIGS.map((c) => c.id).join(', ')}\n`);
    process.exit(2);
  }
  const t0 = performance.now();
  const load0 = loadavg()[0];
  const { rows, table, gemm } = await runSaeBench({
    quick: values.quick!, torch: !values['no-torch'], browser: !values['no-browser'], python: values.python, threads: Number(values.threads), only, gemm: !values['no-gemm'],
    repeat: Number(values.repeat),
    engines: engines.length ? (engines as SaeBenchEngine[]) : undefined,
    log: (l) => process.stderr.write(`  ${l}\n`),
  });
  process.stdout.write(`\n## SAE training speed (load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}, ${((performance.now() - t0) / 1000).toFixed(0)} s)\n\n${table}\n`);
  if (values.json) {
    const file = resolve(values.json);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 1, date: new Date().toISOString(), configs: SAE_CONFIGS, rows, gemm }, null, 2) + '\n');
  }
}
