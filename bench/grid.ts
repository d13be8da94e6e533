// The grid over two settings (issue 18): wall time of the 20×20 pentagon grid (n = 5, m = 2, sparsity ×
// importance decay) and of the phase diagrams, in Node (this process, as `npm run lab -- grid` runs them) and in
// headless Chromium (the built app: open the Grid tab with the preset in the link, wait until every cell is done).
// Beside them, in the same run, the phase diagram with the recipe the view used before the grid (lr 1e-2 × 1000
// steps × 3 passes): the goal is the pentagon grid in no more than the phase view's time, and each view ≤ 10 s.
// No PyTorch row: the colab has no grid to compare with (bench/views.ts has the views' PyTorch-free table too).
//
//   npm run bench                              (run.ts calls runGridBench; --no-grid skips it)
//   node --import tsx bench/grid.ts [--node|--chromium]     (this file alone)

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';
import { initBackend } from '../src/engine/index.ts';
import { runGrid } from '../src/engine/grid/run.ts';
import { gridPreset, GRID_PRESETS } from '../src/engine/grid/presets.ts';
import { GRID_FIELDS, type GridConfig } from '../src/engine/grid/config.ts';
import { trainView } from '../src/engine/views/runner.ts';
import { startHarness } from '../tests/e2e/harness.ts';
import type { Log } from './types.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface GridBenchRow {
  target: string;
  where: 'node' | 'chromium';
  seconds: number;
  detail: Record<string, number | string>;
}

const classes = (cells: readonly { geometry?: string }[]) => {
  const counts = new Map<string, number>();
  for (const c of cells) counts.set(c.geometry ?? '?', (counts.get(c.geometry ?? '?') ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${v} ${k}`).join(', ');
};

function nodeRows(log: Log): GridBenchRow[] {
  const rows: GridBenchRow[] = [];
  for (const p of GRID_PRESETS) {
    const t0 = performance.now();
    const run = runGrid(p.config);
    const seconds = (performance.now() - t0) / 1000;
    const detail: Record<string, number | string> = { load1: loadavg()[0], steps: run.progress().done, trainers: run.groups.length, classes: classes(run.cells) };
    const a = run.agreement();
    if (a !== null) detail.agreement = Number(a.toFixed(4));
    log(`grid (node): ${p.id} ${seconds.toFixed(1)} s`);
    rows.push({ target: `grid ${p.id}`, where: 'node', seconds, detail });
  }
  // the phase view as it trains now (the grid presets as view runs) and with the recipe it had before
  for (const [target, overrides] of [['view phase-n2m1', {}], ['view phase-n2m1, before (lr 1e-2 × 1000)', { lr: 1e-2, steps: 1000 }], ['view phase (both diagrams)', {}]] as const) {
    const t0 = performance.now();
    const outcomes = (target.startsWith('view phase (') ? ['phase-n2m1', 'phase-n3m2'] : ['phase-n2m1']).flatMap((id) => trainView(id, { overrides }));
    const seconds = (performance.now() - t0) / 1000;
    const a = outcomes[0].analysis;
    const detail: Record<string, number | string> = { load1: loadavg()[0], passes: outcomes[0].passes.map((p) => p.seconds.toFixed(2)).join(' + ') };
    if (a?.kind === 'phase' && a.result.agreement !== null) detail.agreement = Number(a.result.agreement.toFixed(4));
    log(`grid (node): ${target} ${seconds.toFixed(1)} s`);
    rows.push({ target, where: 'node', seconds, detail });
  }
  return rows;
}

/** The link that opens the Grid tab with a config (only what differs from the defaults would do; all is simpler). */
function gridLink(c: GridConfig): string {
  return '#view=grid&' + GRID_FIELDS.map((f) => `grid.${f.key}=${encodeURIComponent(String(c[f.key] ?? 'null'))}`).filter((kv) => !kv.endsWith('=null')).join('&');
}

async function chromiumRows(log: Log): Promise<GridBenchRow[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'lab-grid-bench-'));
  log('grid (chromium): building the app…');
  await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const h = await startHarness({ root: ROOT, outDir });
  const rows: GridBenchRow[] = [];
  try {
    for (const id of ['pentagon', 'phase-n2m1']) {
      const page = await h.browser.newPage({ viewport: { width: 1440, height: 1200 } });
      await page.addInitScript({ content: 'window.__name = (f) => f;' });
      const t0 = Date.now();
      await page.goto(`${h.url}?autoplay=0${gridLink(gridPreset(id))}`);
      await page.waitForFunction(() => window.__grid?.read().done === true, null, { timeout: 600_000, polling: 50 });
      const seconds = (Date.now() - t0) / 1000;
      const r = await page.evaluate(() => window.__grid!.read());
      const detail: Record<string, number | string> = { load1: loadavg()[0], steps: r.step, cells: r.cells };
      if (r.agreement !== null) detail.agreement = Number(r.agreement.toFixed(4));
      log(`grid (chromium): ${id} ${seconds.toFixed(1)} s from opening the link`);
      rows.push({ target: `grid ${id}`, where: 'chromium', seconds, detail });
      await page.close();
    }
  } finally {
    await h.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  return rows;
}

export async function runGridBench(opts: { where?: readonly ('node' | 'chromium')[]; log?: Log } = {}): Promise<GridBenchRow[]> {
  const log = opts.log ?? (() => {});
  const where = opts.where ?? ['node', 'chromium'];
  const rows: GridBenchRow[] = [];
  if (where.includes('node')) {
    await initBackend(['wasm', 'cpu']);
    rows.push(...nodeRows(log));
  }
  if (where.includes('chromium')) rows.push(...(await chromiumRows(log)));
  return rows;
}

export function gridBenchTable(rows: readonly GridBenchRow[]): string {
  const lines = ['| what | where | wall s | notes |', '|---|---|---|---|'];
  for (const r of rows) {
    const notes = Object.entries(r.detail).filter(([k]) => k !== 'load1').map(([k, v]) => (k === 'agreement' ? `${(100 * Number(v)).toFixed(1)}% cells match theory` : `${k} ${v}`));
    lines.push(`| ${r.target} | ${r.where} | ${r.seconds.toFixed(1)} | ${[...notes, `load ${Number(r.detail.load1).toFixed(2)}`].join('; ')} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const only = process.argv.includes('--node') ? ['node' as const] : process.argv.includes('--chromium') ? ['chromium' as const] : undefined;
  const rows = await runGridBench({ where: only, log: (l) => process.stderr.write(`  ${l}\n`) });
  console.log(gridBenchTable(rows));
}
