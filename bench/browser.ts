// Browser benchmark in Debian's headless Chromium (playwright-core), two parts:
//  1. engine rows: each bench config × engine timed inside a Web Worker with the same
//     measureTrainer and step plan as the Node bench (rows for bench/run.ts's table);
//  2. the live lab: time from a config change to a converged pentagon (n=5, m=2, S=0.95),
//     steps/s of the lab's training worker, and the page's frames per second while training.
// The app and the bench page are built together into a temporary folder (dist/ is left alone).
//
//   npm run bench                      (run.ts calls runBrowserBench)
//   node --import tsx bench/browser.ts (this file alone: prints both parts)

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { startHarness } from '../tests/e2e/harness.ts';
import { validateConfig } from '../src/engine/toy/config.ts';
import type { MeasureJob } from './browser/protocol.ts';
import { CONFIGS, ENGINES, stepPlan, totalSteps } from './tables.ts';
import type { BenchConfig, BenchRow, BrowserBenchOptions, Log } from './types.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const JOB_TIMEOUT_MS = 180_000;

interface Session {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Build the app + bench page into a temp folder, serve it, start Chromium. */
async function startSession(log: Log): Promise<Session> {
  const outDir = mkdtempSync(join(tmpdir(), 'lab-browser-bench-'));
  log('browser bench: building the app and the bench page…');
  await build({
    root: ROOT,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: { app: join(ROOT, 'index.html'), bench: join(ROOT, 'bench/browser/index.html') } } },
  });
  const h = await startHarness({ root: ROOT, outDir });
  return {
    url: h.url,
    browser: h.browser,
    async close() {
      await h.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

function labConfigOf(c: BenchConfig, steps: number) {
  const v = validateConfig({ model: c.model, n: c.n, m: c.m, instances: c.instances, sparsity: c.sparsity, importanceDecay: c.importanceDecay, batch: c.batch, lr: c.lr, seed: c.seed, steps });
  if (!v.ok) throw new Error(`bench config ${c.id} is invalid: ${v.errors.join('; ')}`);
  return v.config;
}

/** Part 1: every config × engine, timed in a worker. */
async function engineRows(s: Session, opts: BrowserBenchOptions, log: Log): Promise<BenchRow[]> {
  const page = await s.browser.newPage();
  await page.goto(`${s.url}bench/browser/index.html`);
  await page.waitForFunction(() => window.__bench !== undefined, null, { timeout: 30_000 });
  const rows: BenchRow[] = [];
  for (const c of opts.configs) {
    for (const id of opts.engines) {
      const spec = ENGINES.find((e) => e.id === id);
      if (!spec) continue;
      const plan = opts.plan(c, id);
      const job: MeasureJob = { config: labConfigOf(c, plan.steps), engine: spec.engine, backend: spec.backend, plan };
      const reply = await page.evaluate(([j, t]) => window.__bench!.measure(j, t), [job, JOB_TIMEOUT_MS] as const);
      const load1 = loadavg()[0];
      if (reply.ok) {
        log(`chromium ${id} on (${c.id}): ${reply.result.stepsPerS.toFixed(0)} steps/s`);
        rows.push({ config: c.id, engine: id, where: 'chromium', status: 'ok', result: reply.result, detail: { backend: reply.backend ?? 'none', engine: reply.engine, load1 } });
      } else {
        log(`chromium ${id} on (${c.id}): ${reply.reason}`);
        const unavailable = /not available|could not start|no TF\.js backend/i.test(reply.reason);
        rows.push({ config: c.id, engine: id, where: 'chromium', status: unavailable ? 'unavailable' : 'error', reason: reply.reason, detail: { load1 } });
      }
    }
  }
  await page.close();
  return rows;
}

// ─────────────────────────── part 2: the live lab ───────────────────────────

/** In the page: ms from setConfig until the first frame whose geometry passes `check`. */
async function msToPentagon(page: Page, toleranceDeg: number, seed: number): Promise<{ ms: number; step: number }> {
  return page.evaluate(
    ([tol, s]) =>
      new Promise<{ ms: number; step: number }>((resolveMs, reject) => {
        const t0 = performance.now();
        const errors = window.__lab!.setConfig({ n: 5, m: 2, instances: 1, sparsity: 0.95, sparsityRange: null, importanceDecay: 0.9, model: 'relu-output', seed: s, steps: 10_000 });
        if (errors.length) return reject(new Error(errors.join('; ')));
        const check = () => {
          const r = window.__lab!.read();
          const gaps = r.runConfig?.sparsity === 0.95 && r.runConfig.seed === s ? r.angleGaps?.[0] : null;
          if (gaps && gaps.length === 5 && gaps.every((g) => Math.abs(g - 72) <= tol)) return resolveMs({ ms: performance.now() - t0, step: r.step });
          if (performance.now() - t0 > 60_000) return reject(new Error('no pentagon within 60 s'));
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    [toleranceDeg, seed] as const,
  );
}

/** In the page: frames per second and worker steps/s over `ms` of training. */
async function fpsWhileTraining(page: Page, ms: number): Promise<{ fps: number; stepsPerS: number; longestFrameMs: number }> {
  return page.evaluate(
    (window_ms) =>
      new Promise<{ fps: number; stepsPerS: number; longestFrameMs: number }>((done) => {
        const step0 = window.__lab!.read().step;
        const t0 = performance.now();
        let frames = 0;
        let last = t0;
        let longest = 0;
        const tick = (t: number) => {
          frames++;
          longest = Math.max(longest, t - last);
          last = t;
          if (t - t0 < window_ms) return void requestAnimationFrame(tick);
          const seconds = (performance.now() - t0) / 1000;
          done({ fps: frames / seconds, stepsPerS: (window.__lab!.read().step - step0) / seconds, longestFrameMs: longest });
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Part 2: figures of the live lab (the built app, as a student gets it). */
export async function runLabBench(session?: Session, log: Log = () => {}): Promise<Record<string, number>> {
  const s = session ?? (await startSession(log));
  try {
    const figures: Record<string, number> = {};
    const page = await s.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    // tsx compiles this file with esbuild's keepNames: functions passed to page.evaluate call __name
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await page.goto(`${s.url}?sparsity=0.5&steps=200`);
    await page.waitForFunction(() => window.__lab?.read().done, null, { timeout: 60_000 });

    // time from a config change to a pentagon: seeds 1, 2, 4 (all give pentagons), median
    for (const tol of [8, 2]) {
      const runs: { ms: number; step: number }[] = [];
      for (const seed of [1, 2, 4]) {
        await page.evaluate(() => window.__lab!.setConfig({ sparsity: 0.5, steps: 200 }));
        await page.waitForFunction(() => window.__lab!.read().runConfig?.sparsity === 0.5 && window.__lab!.read().done, null, { timeout: 30_000 });
        runs.push(await msToPentagon(page, tol, seed));
      }
      figures[`msToPentagon_within${tol}deg`] = median(runs.map((r) => r.ms));
      figures[`stepsToPentagon_within${tol}deg`] = median(runs.map((r) => r.step));
      log(`lab: pentagon (gaps 72 ± ${tol}°) ${runs.map((r) => `${r.ms.toFixed(0)} ms / ${r.step} steps`).join(', ')}`);
    }

    // steps/s and fps while training, per engine the page can use
    for (const [label, query] of [['auto', ''], ['tfjs-wasm', '&engine=tfjs&backend=wasm'], ['tfjs-cpu', '&engine=tfjs&backend=cpu']] as const) {
      await page.goto(`${s.url}?steps=10000000${query}`);
      await page.waitForFunction(() => (window.__lab?.read().step ?? 0) > 300, null, { timeout: 60_000 });
      const r = await fpsWhileTraining(page, 3000);
      const engine = await page.evaluate(() => `${window.__lab!.read().engine}/${window.__lab!.read().backend}`);
      figures[`workerStepsPerS_${label}`] = r.stepsPerS;
      figures[`pageFps_${label}`] = r.fps;
      figures[`longestFrameMs_${label}`] = r.longestFrameMs;
      log(`lab (${label} → ${engine}): worker ${r.stepsPerS.toFixed(0)} steps/s, page ${r.fps.toFixed(1)} fps, longest frame ${r.longestFrameMs.toFixed(0)} ms`);
    }
    await page.goto(`${s.url}?autoplay=0`);
    await page.waitForFunction(() => window.__lab?.read().health === 'running', null, { timeout: 30_000 });
    figures.pageFps_idle = (await fpsWhileTraining(page, 2000)).fps;
    figures.load1 = loadavg()[0];
    await page.close();
    return figures;
  } finally {
    if (!session) await s.close();
  }
}

/** The contract of bench/run.ts: engine rows for its table, plus one row carrying the lab figures. */
export async function runBrowserBench(opts: BrowserBenchOptions): Promise<BenchRow[]> {
  const log = opts.log ?? (() => {});
  const s = await startSession(log);
  try {
    const rows = await engineRows(s, opts, log);
    const lab = await runLabBench(s, log);
    rows.push({ config: 'lab', engine: 'live-lab', where: 'chromium', status: 'ok', detail: lab });
    return rows;
  } finally {
    await s.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const log: Log = (line) => process.stderr.write(`  ${line}\n`);
  const rows = await runBrowserBench({
    configs: CONFIGS,
    engines: ENGINES.map((e) => e.id),
    quick,
    plan: (c, id) => stepPlan(totalSteps(c, quick, undefined, ENGINES.find((e) => e.id === id))),
    log,
  });
  console.log('| config | engine | steps/s (chromium worker) | ms/step (median) |\n|---|---|---|---|');
  for (const r of rows.filter((r) => r.result)) console.log(`| ${r.config} | ${r.engine} | ${r.result!.stepsPerS.toFixed(0)} | ${r.result!.medianBlockMs.toFixed(3)} |`);
  for (const r of rows.filter((r) => r.status !== 'ok')) console.log(`- ${r.config} ${r.engine}: ${r.status} ${r.reason ?? ''}`);
  const lab = rows.find((r) => r.config === 'lab')?.detail ?? {};
  console.log('\nLive lab:');
  for (const [k, v] of Object.entries(lab)) console.log(`  ${k}: ${typeof v === 'number' ? Number(v.toFixed(1)) : v}`);
}
