// Induction heads: training speed of each transformer engine on the default induction config
// (2 layers × 2 heads, d 32, 64 tokens + BOS, T 32, batch 16, Adam 1e-2) in Node (a child process
// per measurement) and in a Chromium worker, beside the PyTorch reference (ref/induction_torch.py,
// same config) in the same run; and, in Chromium against the built app, the time from opening the
// "Induction heads" tab to the first head with induction ≥ 0.4, and the page's frame rate meanwhile.
// Measures only (never pass/fail on timings). `npm run bench` runs it (run.ts); alone:
//   node --import tsx bench/induction.ts [--quick] [--no-torch] [--no-browser] [--threads 2] [--python PATH]

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { InductionMeasurement } from './inductionMeasure.ts';
import type { InductionBrowserJob, InductionBrowserReply } from './inductionBrowser/worker.ts';
import { findTorch } from './node.ts';
import type { Log } from './types.ts';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const TIMEOUT_MS = 15 * 60_000;
const ENGINES = ['fused', 'fused-js', 'tfjs'] as const;
type Engine = (typeof ENGINES)[number];
const LABEL: Record<Engine, string> = { fused: 'fused (wasm SIMD)', 'fused-js': 'fused (JS twin)', tfjs: 'tfjs-wasm' };

export interface InductionBenchOptions {
  quick: boolean;
  torch: boolean;
  browser: boolean;
  python?: string;
  threads?: number;
  log?: Log;
}

export interface InductionBenchRow {
  engine: Engine | 'torch';
  where: 'node' | 'chromium' | 'python';
  status: 'ok' | 'unavailable' | 'error';
  reason?: string;
  stepsPerS?: number;
  medianMs?: number;
  steps?: number;
  detail?: Record<string, string | number | boolean | null>;
}

export interface FormationResult {
  /** ms from the click on the tab to the page hearing of induction ≥ 0.4 */
  msToFormation: number | null;
  formedAtStep: number | null;
  /** steps/s the tab reported while training */
  stepsPerS: number;
  /** frames per second while training (mean, and the worst 1-s window) */
  fps: number;
  worstFps: number;
  /** ms from the click to the run's end (2 000 steps) */
  msToDone: number | null;
}

const load = () => Math.round(loadavg()[0] * 100) / 100;
const steps = (engine: Engine, quick: boolean) => ({ fused: quick ? 300 : 1500, 'fused-js': quick ? 60 : 200, tfjs: quick ? 30 : 100 })[engine];

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (e) => (clearTimeout(timer), done({ code: null, stdout, stderr: stderr + String(e) })));
    child.on('close', (code) => (clearTimeout(timer), done({ code, stdout, stderr })));
  });
}

const tail = (s: string) => s.trim().split('\n').slice(-2).join(' | ');

async function nodeRow(engine: Engine, quick: boolean): Promise<InductionBenchRow> {
  const p = await run(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'inductionChild.ts'), JSON.stringify({ engine, steps: steps(engine, quick) })]);
  const line = p.stdout.split('\n').find((l) => l.startsWith('INDUCTION_RESULT '));
  if (!line) return { engine, where: 'node', status: 'error', reason: `exit ${p.code}: ${tail(p.stderr)}` };
  const r = JSON.parse(line.slice('INDUCTION_RESULT '.length)) as InductionMeasurement;
  return { engine, where: 'node', status: 'ok', stepsPerS: r.stepsPerS, medianMs: r.medianBlockMs, steps: r.steps, detail: { meanMs: r.meanMs, load1: load() } };
}

async function torchRow(opts: InductionBenchOptions, threads: number): Promise<InductionBenchRow> {
  // the copy beside the other references (bench/induction_torch.py, on main) if present, else the shared original
  const local = join(BENCH_DIR, 'induction_torch.py');
  const script = resolve(process.env.INDUCTION_TORCH ?? (existsSync(local) ? local : join(ROOT, '..', 'shared', 'ref', 'induction_torch.py')));
  if (!existsSync(script)) return { engine: 'torch', where: 'python', status: 'unavailable', reason: `no reference script at ${script} (INDUCTION_TORCH)` };
  const found = findTorch(opts.python);
  if (found.python === null) return { engine: 'torch', where: 'python', status: 'unavailable', reason: `torch not available (${found.reason})` };
  const n = opts.quick ? 100 : 300;
  const p = await run(found.python, [script, '--steps', String(n), '--eval-every', String(n + 1), '--threads', String(threads)]);
  const line = p.stdout.trim().split('\n').pop() ?? '';
  if (p.code !== 0 || !line.startsWith('{')) return { engine: 'torch', where: 'python', status: 'error', reason: `exit ${p.code}: ${tail(p.stderr)}` };
  const j = JSON.parse(line) as { steps_per_s: number };
  return { engine: 'torch', where: 'python', status: 'ok', stepsPerS: j.steps_per_s, medianMs: 1000 / j.steps_per_s, steps: n, detail: { torch: found.version, threads, load1: load() } };
}

/** Build the app and the bench page, then time each engine in a worker and the tab's formation. */
async function browserRows(quick: boolean, log: Log): Promise<{ rows: InductionBenchRow[]; formation: FormationResult | null }> {
  const { build } = await import('vite');
  const { startHarness } = await import('../tests/e2e/harness.ts');
  const outDir = mkdtempSync(join(tmpdir(), 'lab-induction-bench-'));
  log('induction browser bench: building the app and the bench page…');
  await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true, rollupOptions: { input: { main: join(ROOT, 'index.html'), indbench: join(ROOT, 'bench/inductionBrowser/index.html') } } } });
  const h = await startHarness({ root: ROOT, outDir });
  const rows: InductionBenchRow[] = [];
  let formation: FormationResult | null = null;
  try {
    const page = await h.browser.newPage();
    await page.goto(`${h.url}bench/inductionBrowser/index.html`);
    await page.waitForFunction(() => window.__inductionBench !== undefined, null, { timeout: 30_000 });
    for (const engine of ENGINES) {
      const job: InductionBrowserJob = { engine, steps: steps(engine, quick) };
      const reply: InductionBrowserReply = await page.evaluate(([j, t]) => window.__inductionBench!.measure(j, t), [job, TIMEOUT_MS] as const);
      const row: InductionBenchRow = reply.ok
        ? { engine, where: 'chromium', status: 'ok', stepsPerS: reply.result.stepsPerS, medianMs: reply.result.medianBlockMs, steps: reply.result.steps, detail: { backend: reply.backend, load1: load() } }
        : { engine, where: 'chromium', status: 'error', reason: reply.reason };
      log(describe(row));
      rows.push(row);
    }
    await page.close();
    try {
      formation = await measureFormation(h.url, h.browser);
    } catch (e) {
      rows.push({ engine: 'fused', where: 'chromium', status: 'error', reason: `the tab's formation: ${e instanceof Error ? e.message : String(e)}` });
      return { rows, formation: null };
    }
    log(`induction tab: induction ≥ 0.4 ${formation.msToFormation === null ? 'never' : `${(formation.msToFormation / 1000).toFixed(1)} s`} after opening the tab (step ${formation.formedAtStep}), ${formation.stepsPerS.toFixed(0)} steps/s, ${formation.fps.toFixed(0)} fps (worst second ${formation.worstFps.toFixed(0)})`);
  } finally {
    await h.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  return { rows, formation };
}

/** Open the app (the live lab idle), click the tab, and time it until the first induction head; count frames meanwhile. */
async function measureFormation(url: string, browser: import('playwright-core').Browser): Promise<FormationResult> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(`${url}?autoplay=0`);
  await page.waitForFunction(() => window.__lab !== undefined, null, { timeout: 30_000 });
  // a string, not a function: tsx would wrap the named callback in a helper the page does not have
  await page.evaluate(`(() => {
    window.__frames = [];
    const tick = (t) => { window.__frames.push(t); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const tab = [...document.querySelectorAll('.view-tabs button[role=tab]')].find((b) => b.textContent === 'Induction heads');
    window.__benchT0 = performance.now();
    tab.click();
  })()`);
  await page.waitForFunction(() => window.__induction?.read().formedAt != null || window.__induction?.read().done, null, { timeout: 300_000, polling: 50 });
  const mid = await page.evaluate(() => ({ r: window.__induction!.read(), t0: (window as unknown as { __benchT0: number }).__benchT0 }));
  await page.waitForFunction(() => window.__induction!.read().done, null, { timeout: 300_000, polling: 100 });
  const end = await page.evaluate(() => {
    const w = window as unknown as { __benchT0: number; __frames: number[] };
    return { now: performance.now(), frames: w.__frames.filter((t) => t >= w.__benchT0), t0: w.__benchT0 };
  });
  await page.close();
  // frames from the click to the end of training, and the worst whole second
  const span = (end.frames.at(-1)! - end.frames[0]) / 1000;
  let worst = Infinity;
  for (let s = end.frames[0]; s + 1000 <= end.frames.at(-1)!; s += 250) worst = Math.min(worst, end.frames.filter((t) => t >= s && t < s + 1000).length);
  return {
    msToFormation: mid.r.formedAt != null ? mid.r.formedAt - mid.t0 : null,
    formedAtStep: mid.r.formedAtStep,
    stepsPerS: mid.r.stepsPerSecond,
    fps: (end.frames.length - 1) / span,
    worstFps: Number.isFinite(worst) ? worst : NaN,
    msToDone: end.now - end.t0,
  };
}

function describe(r: InductionBenchRow): string {
  const head = `[induction] ${r.engine} (${r.where})`;
  return r.status !== 'ok' ? `${head}: ${r.status} — ${r.reason ?? ''}` : `${head}: ${r.stepsPerS!.toFixed(1)} steps/s (median ${r.medianMs!.toFixed(3)} ms/step), load ${r.detail?.load1 ?? '?'}`;
}

const rate = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

export function inductionTable(rows: InductionBenchRow[], formation: FormationResult | null): string {
  const get = (engine: string, where: string, threads?: number) => rows.find((r) => r.engine === engine && r.where === where && r.status === 'ok' && (threads === undefined || r.detail?.threads === threads));
  const torch2 = get('torch', 'python', 2);
  const torch1 = get('torch', 'python', 1);
  const torches = rows.filter((r) => r.engine === 'torch' && r.status === 'ok');
  const lines = [
    '| engine | Node steps/s | Chromium steps/s | Node ÷ PyTorch 2 thr | Chromium ÷ PyTorch 2 thr | Node ÷ PyTorch 1 thr | Chromium ÷ PyTorch 1 thr |',
    '|---|---|---|---|---|---|---|',
  ];
  const ratio = (x: InductionBenchRow | undefined, t: InductionBenchRow | undefined) => (x && t ? (x.stepsPerS! / t.stepsPerS!).toFixed(2) : '—');
  for (const e of ENGINES) {
    const node = get(e, 'node');
    const chrome = get(e, 'chromium');
    lines.push(`| ${LABEL[e]} | ${rate(node?.stepsPerS)} | ${rate(chrome?.stepsPerS)} | ${ratio(node, torch2)} | ${ratio(chrome, torch2)} | ${ratio(node, torch1)} | ${ratio(chrome, torch1)} |`);
  }
  for (const t of torches) lines.push(`| PyTorch ${t.detail?.torch ?? ''} (${t.detail?.threads} thread${t.detail?.threads === 1 ? '' : 's'}, load ${t.detail?.load1 ?? '?'}) | ${rate(t.stepsPerS)} (python) | | | | | |`);
  if (formation) {
    lines.push('', `In Chromium (the built app, live lab idle): the first head with induction ≥ 0.4 was seen ${formation.msToFormation === null ? 'never' : `**${(formation.msToFormation / 1000).toFixed(1)} s**`} after clicking the "Induction heads" tab (evaluated step ${formation.formedAtStep ?? '—'}; the tab trained at ${formation.stepsPerS.toFixed(0)} steps/s); ` +
      `the 2 000-step run ended after ${formation.msToDone === null ? '—' : `${(formation.msToDone / 1000).toFixed(1)} s`}; the page drew **${formation.fps.toFixed(0)} fps** meanwhile (worst second: ${formation.worstFps.toFixed(0)}). Goals: ≤ 15 s, ≥ 50 fps.`);
  }
  const problems = rows.filter((r) => r.status !== 'ok').map((r) => `- ${r.engine} (${r.where}): ${r.status} — ${r.reason ?? ''}`);
  return [...lines, ...(problems.length ? ['', ...problems] : [])].join('\n');
}

export async function runInductionBench(opts: InductionBenchOptions): Promise<{ rows: InductionBenchRow[]; formation: FormationResult | null; table: string }> {
  const log = opts.log ?? (() => {});
  const rows: InductionBenchRow[] = [];
  // torch right before ours: on a shared machine the load drifts
  if (opts.torch) {
    for (const threads of [opts.threads ?? 2, ...(opts.threads === 1 ? [] : [1])]) {
      const r = await torchRow(opts, threads);
      log(describe(r));
      rows.push(r);
    }
  }
  for (const e of ENGINES) {
    const r = await nodeRow(e, opts.quick);
    log(describe(r));
    rows.push(r);
  }
  let formation: FormationResult | null = null;
  if (opts.browser) {
    try {
      const b = await browserRows(opts.quick, log);
      rows.push(...b.rows);
      formation = b.formation;
    } catch (e) {
      rows.push({ engine: 'fused', where: 'chromium', status: 'error', reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { rows, formation, table: inductionTable(rows, formation) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false }, 'no-torch': { type: 'boolean', default: false }, 'no-browser': { type: 'boolean', default: false },
      python: { type: 'string' }, threads: { type: 'string', default: '2' },
    },
  });
  const t0 = performance.now();
  const load0 = loadavg()[0];
  const { table } = await runInductionBench({
    quick: values.quick!, torch: !values['no-torch'], browser: !values['no-browser'], python: values.python, threads: Number(values.threads),
    log: (l) => process.stderr.write(`  ${l}\n`),
  });
  process.stdout.write(`\n## Induction heads: training speed (load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}, ${((performance.now() - t0) / 1000).toFixed(0)} s)\n\n${table}\n`);
}
