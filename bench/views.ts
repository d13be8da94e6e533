// Wall time of each of the paper's six views (every run and pass of the view, as its tab trains them), in Node
// (the engine in this process, as `npm run lab -- --view` runs it) and in headless Chromium (the
// built app: click the view's tab, wait until every run is done; training in the page's worker).
//
//   npm run bench                       (run.ts calls runViewBench)
//   node --import tsx bench/views.ts [--node|--chromium] [--view sweep,dynamics]    (this file alone)

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';
import { initBackend } from '../src/engine/index.ts';
import { trainViewRun } from '../src/engine/views/runner.ts';
import { findRunSpec, VIEW_SPECS } from '../src/engine/views/views.ts';
import { startHarness } from '../tests/e2e/harness.ts';
import type { Log } from './types.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface ViewBenchRow {
  /** what was timed: 'phase-n2m1' (the full n=2, m=1 diagram) or 'sweep' (both models) */
  target: string;
  where: 'node' | 'chromium';
  /** wall seconds until every model of the target was trained */
  seconds: number;
  /** seconds per run and pass, and other facts */
  detail: Record<string, number | string>;
}

export interface ViewBenchOptions {
  where?: readonly ('node' | 'chromium')[];
  /** view ids to time (default: all six) */
  views?: readonly string[];
  log?: Log;
}

/** Every view of the paper (its tab title and the run ids that make it up), one target each. */
export const TARGETS = VIEW_SPECS.map((v) => ({ target: v.id, view: v.id, tab: v.title, runs: v.runs.map((r) => r.id) }));

/**
 * CPU seconds (user + system) of every process descended from this one: the Chromium the harness launched, its
 * renderers and their workers. Linux /proc only (null elsewhere); a view's share is the difference over its run.
 * With the machine shared this is what the view costs, where the wall time also counts the other jobs.
 */
function childCpuSeconds(): number | null {
  try {
    const parent = new Map<number, number>();
    const cpu = new Map<number, number>();
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
        parent.set(Number(d), Number(f[1]));
        cpu.set(Number(d), (Number(f[11]) + Number(f[12])) / 100); // utime + stime in clock ticks (USER_HZ = 100)
      } catch {
        // the process ended meanwhile
      }
    }
    const isDescendant = (pid: number): boolean => {
      for (let p = parent.get(pid), hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++) if (p === process.pid) return true;
      return false;
    };
    let total = 0;
    for (const [pid, s] of cpu) if (isDescendant(pid)) total += s;
    return total;
  } catch {
    return null;
  }
}

/** Only these views (`--view sweep,dynamics`), or all. */
function selected(only: readonly string[] | undefined) {
  return only?.length ? TARGETS.filter((t) => only.includes(t.target)) : TARGETS;
}

function nodeRows(log: Log, only?: readonly string[]): ViewBenchRow[] {
  const rows: ViewBenchRow[] = [];
  for (const t of selected(only)) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    // by run spec: trainView('correlated') would train the whole correlated view (both runs), not the run of that id
    const outcomes = t.runs.map((id) => trainViewRun(findRunSpec(id)!.run));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // CPU seconds of this process: what the view costs when the machine is not shared (wall time follows the load)
    const detail: Record<string, number | string> = { load1: loadavg()[0], cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)) };
    for (const o of outcomes)
      o.passes.forEach((p, i) => {
        const name = `${o.spec.id}${o.passes.length > 1 ? `#${i + 1}` : ''}`;
        detail[name] = Number(p.seconds.toFixed(2));
        if (p.stoppedEarly !== null) detail[`${name} stopped at step`] = p.stoppedEarly;
      });
    detail.engine = [...new Set(outcomes.flatMap((o) => o.passes.map((p) => p.engine)))].join('+');
    const a = outcomes[0].analysis;
    if (a?.kind === 'phase' && a.result.agreement !== null) detail.agreement = Number(a.result.agreement.toFixed(4));
    log(`views (node): ${t.target} ${seconds.toFixed(1)} s (CPU ${detail.cpuSeconds} s)`);
    rows.push({ target: t.target, where: 'node', seconds, detail });
  }
  return rows;
}

async function chromiumRows(log: Log, only?: readonly string[]): Promise<ViewBenchRow[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'lab-views-bench-'));
  log('views (chromium): building the app…');
  await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const h = await startHarness({ root: ROOT, outDir });
  const { url, browser } = h;
  const rows: ViewBenchRow[] = [];
  try {
    for (const t of selected(only)) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      await page.addInitScript({ content: 'window.__name = (f) => f;' }); // tsx's keepNames in page.evaluate
      await page.goto(`${url}?autoplay=0`);
      await page.waitForFunction(() => window.__lab !== undefined, null, { timeout: 30_000 });
      const t0 = Date.now();
      const cpu0 = childCpuSeconds();
      await page.locator('.view-tabs button[role=tab]').filter({ hasText: t.tab }).click();
      // frames per second of the page while the view trains (is it still responsive?)
      const fps = page.evaluate(
        (ms) =>
          new Promise<number>((done) => {
            let frames = 0;
            const start = performance.now();
            const tick = () => (++frames, performance.now() - start < ms ? requestAnimationFrame(tick) : done((frames * 1000) / (performance.now() - start)));
            requestAnimationFrame(tick);
          }),
        3000,
      );
      await page.waitForFunction(
        ({ view, runs }: { view: string; runs: string[] }) => {
          const r = window.__views?.read(view);
          return !!r && r.runs.filter((x) => runs.includes(x.id)).every((x) => x.passes.every((p) => p.status === 'done'));
        },
        { view: t.view, runs: [...t.runs] as string[] },
        { timeout: 600_000, polling: 50 },
      );
      const seconds = (Date.now() - t0) / 1000;
      const cpu1 = childCpuSeconds();
      const r = (await page.evaluate((v) => window.__views!.read(v), t.view))!;
      const detail: Record<string, number | string> = { load1: loadavg()[0], pageFpsWhileTraining: Number((await fps).toFixed(1)) };
      if (cpu0 !== null && cpu1 !== null) detail.cpuSeconds = Number((cpu1 - cpu0).toFixed(1));
      const engines = new Set<string>();
      for (const run of r.runs.filter((x) => (t.runs as readonly string[]).includes(x.id))) {
        run.passes.forEach((p, i) => {
          const name = `${run.id}${run.passes.length > 1 ? `#${i + 1}` : ''}`;
          detail[name] = Number(p.seconds.toFixed(2));
          if (p.stoppedEarly !== null) detail[`${name} stopped at step`] = p.stoppedEarly;
          engines.add(p.engine);
        });
      }
      detail.engine = [...engines].join('+');
      // a second visit (the page reloaded, same browser profile): the results cache answers
      await page.reload();
      await page.waitForFunction(() => window.__lab !== undefined, null, { timeout: 30_000 });
      const t1 = Date.now();
      await page.locator('.view-tabs button[role=tab]').filter({ hasText: t.tab }).click();
      await page.waitForFunction((view: string) => window.__views?.read(view)?.finished === true, t.view, { timeout: 600_000, polling: 20 });
      detail.revisitSeconds = Number(((Date.now() - t1) / 1000).toFixed(2));
      log(`views (chromium): ${t.target} ${seconds.toFixed(1)} s from the click (Chromium CPU ${detail.cpuSeconds} s), page ${detail.pageFpsWhileTraining} fps while training; second visit ${detail.revisitSeconds} s`);
      rows.push({ target: t.target, where: 'chromium', seconds, detail });
      await page.close();
    }
  } finally {
    await h.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  return rows;
}

export async function runViewBench(opts: ViewBenchOptions = {}): Promise<ViewBenchRow[]> {
  const log = opts.log ?? (() => {});
  const where = opts.where ?? ['node', 'chromium'];
  const rows: ViewBenchRow[] = [];
  if (where.includes('node')) {
    await initBackend(['wasm', 'cpu']);
    rows.push(...nodeRows(log, opts.views));
  }
  if (where.includes('chromium')) rows.push(...(await chromiumRows(log, opts.views)));
  return rows;
}

const NOT_PASSES = new Set(['load1', 'agreement', 'pageFpsWhileTraining', 'engine', 'revisitSeconds', 'cpuSeconds']);

/** The rows as a markdown table. */
export function viewBenchTable(rows: readonly ViewBenchRow[]): string {
  const lines = ['| view | where | wall s | per run / pass (s) | notes |', '|---|---|---|---|---|'];
  for (const r of rows) {
    const passes = Object.entries(r.detail).filter(([k]) => !NOT_PASSES.has(k)).map(([k, v]) => `${k} ${v}`).join(', ');
    const notes = [r.detail.agreement !== undefined ? `${(100 * Number(r.detail.agreement)).toFixed(1)}% cells match theory (n=2, m=1)` : '', r.detail.pageFpsWhileTraining !== undefined ? `page ${r.detail.pageFpsWhileTraining} fps while training` : '', r.detail.revisitSeconds !== undefined ? `second visit ${r.detail.revisitSeconds} s (cached)` : '', r.detail.cpuSeconds !== undefined ? `CPU ${r.detail.cpuSeconds} s` : '', r.detail.engine ? `${r.detail.engine}` : '', `load ${Number(r.detail.load1).toFixed(2)}`].filter(Boolean).join('; ');
    const title = VIEW_SPECS.find((v) => v.id === r.target)?.title ?? r.target;
    lines.push(`| ${title} | ${r.where} | ${r.seconds.toFixed(1)} | ${passes} | ${notes} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const only = process.argv.includes('--node') ? ['node' as const] : process.argv.includes('--chromium') ? ['chromium' as const] : undefined;
  const at = process.argv.indexOf('--view');
  const views = at > 0 ? (process.argv[at + 1] ?? '').split(',').filter(Boolean) : undefined;
  const rows = await runViewBench({ where: only, views, log: (l) => process.stderr.write(`  ${l}\n`) });
  console.log(viewBenchTable(rows));
}
