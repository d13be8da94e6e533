// The "Locate & edit" tab in Chromium: the time of one causal trace and one ROME edit in the tab's own worker
// (the built app, shipped model), as the worker measures them, and the wall time the page waits for each (click →
// result in the store, messages included). Measures only (never pass/fail on timings); bench/rome.ts has the same
// in Node beside the training speed.
//   node --import tsx bench/romeBrowser.ts [--facts 5] [--built]     (--built: serve ./dist as it is, no build)

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface RomeBrowserResult {
  facts: number;
  /** in the worker: traceFact of one fact (K = 10, no prefix: 5 tokens × 4 layers × 3 kinds) */
  traceMs: number[];
  /** in the worker: RomeEditor.prepare + apply at the trace's peak layer (C of the layer cached) */
  editMs: number[];
  /** in the worker: C of the layer, once per layer (the first edit at a layer pays it) */
  covarianceMs: number[];
  /** on the page: from the request to the result in the store */
  traceWallMs: number[];
  editWallMs: number[];
}

export async function runRomeBrowserBench(opts: { facts?: number; built?: boolean; log?: (s: string) => void } = {}): Promise<RomeBrowserResult> {
  const n = opts.facts ?? 5;
  const log = opts.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const { startHarness } = await import('../tests/e2e/harness.ts');
  let outDir: string | undefined;
  if (!opts.built) {
    const { build } = await import('vite');
    outDir = mkdtempSync(join(tmpdir(), 'lab-rome-bench-'));
    log('rome browser bench: building the app…');
    await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  }
  const h = await startHarness({ root: ROOT, outDir });
  const result: RomeBrowserResult = { facts: n, traceMs: [], editMs: [], covarianceMs: [], traceWallMs: [], editWallMs: [] };
  try {
    const page = await h.browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`${h.url}?autoplay=0#view=locate`);
    await page.waitForFunction(() => window.__locate?.read().source === 'shipped' && window.__locate.read().traceFactId === 0, null, { timeout: 120_000, polling: 50 });
    for (let i = 1; i <= n; i++) {
      const subject = 11 * i;
      // one trace: pick the fact, wait for its maps
      const trace = await page.evaluate(async (s) => {
        const t0 = performance.now();
        window.__locate!.controller.edit('subject', s);
        const id = window.__locate!.read().factId;
        while (window.__locate!.read().traceFactId !== id) await new Promise((r) => setTimeout(r, 2));
        return { wall: performance.now() - t0, ms: window.__locate!.read().traceMs! };
      }, subject);
      // one edit at the peak
      const edit = await page.evaluate(async () => {
        const t0 = performance.now();
        window.__locate!.controller.applyEdit();
        while (!window.__locate!.read().edit) await new Promise((r) => setTimeout(r, 2));
        const e = window.__locate!.read().edit!;
        return { wall: performance.now() - t0, ms: e.ms, cov: e.covarianceMs, layer: e.layer };
      });
      result.traceMs.push(trace.ms);
      result.traceWallMs.push(trace.wall);
      result.editMs.push(edit.ms);
      result.editWallMs.push(edit.wall);
      if (edit.cov > 0.5) result.covarianceMs.push(edit.cov);
      log(`  fact ${subject * 4}: trace ${trace.ms.toFixed(0)} ms (page waited ${trace.wall.toFixed(0)} ms); edit at layer ${edit.layer} ${edit.ms.toFixed(0)} ms (page waited ${edit.wall.toFixed(0)} ms${edit.cov > 0.5 ? `, C of the layer ${edit.cov.toFixed(0)} ms first` : ''})`);
    }
    await page.close();
  } finally {
    await h.close();
  }
  return result;
}

export function romeBrowserSummary(r: RomeBrowserResult): string {
  const f = (x: number) => x.toFixed(0);
  return [
    `Locate & edit tab in Chromium (its worker, shipped model, ${r.facts} facts, medians):`,
    `  one causal trace ${f(median(r.traceMs))} ms in the worker (the page waited ${f(median(r.traceWallMs))} ms)`,
    `  one ROME edit ${f(median(r.editMs))} ms in the worker (prepare + apply; the page waited ${f(median(r.editWallMs))} ms, which includes the before/after probes` +
      `${r.covarianceMs.length ? ` and, for the first edit at a layer, C: ${r.covarianceMs.map(f).join(', ')} ms` : ''})`,
    `  one trace + one edit: ${f(median(r.traceMs) + median(r.editMs))} ms in the worker (goal: under 1 s)`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { facts: { type: 'string', default: '5' }, built: { type: 'boolean', default: false } } });
  const r = await runRomeBrowserBench({ facts: Number(values.facts), built: values.built });
  process.stdout.write(romeBrowserSummary(r) + '\n' + JSON.stringify({ kind: 'rome-browser-bench', ...r }) + '\n');
}
