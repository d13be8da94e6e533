// `npm run bench` — training speed of each engine against PyTorch, as a markdown table.
// The work is done by node.ts (runNodeBench, runTorchBench) and, when bench/browser.ts exists, by its
// runBrowserBench; this file parses flags, runs them, prints the table and checks the losses.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runNodeBench, runTorchBench } from './node';
import { CONFIGS, ENGINES, configLabel, stepPlan, totalSteps } from './tables';
import type { BenchConfig, BenchRow, BrowserBenchOptions, Log } from './types';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

const HELP = `npm run bench -- [flags]

Trains each toy-model config with each engine and prints steps/s next to PyTorch's (bench/toy_torch.py,
2 threads, run in the same invocation when torch is importable). steps/s is from the median timed block;
ms/step shows median and wall-clock. ratio = ours ÷ torch steps/s (≥ 1: we are faster).

  --quick            fewer steps (a smoke run; losses are then not checked)
  --only a,b         configs to run (${CONFIGS.map((c) => c.id).join(', ')}; default all)
  --engines x,y      engines to run (${ENGINES.map((e) => e.id).join(', ')}; default all; 'torch' is accepted and ignored)
  --steps N          total steps per config (overrides the table; slow engines keep their cap)
  --no-torch         skip PyTorch
  --no-browser       skip the browser bench (bench/browser.ts, when it exists)
  --no-sae           skip the SAE table (bench/sae.ts: fused and TF.js SAE engines vs bench/sae_torch.py, Node and Chromium)
  --no-views         skip the views' wall times (bench/views.ts: each of the six views, Node and Chromium)
  --no-grid          skip the grid's wall times (bench/grid.ts: the 20×20 pentagon grid and the phase diagrams, Node and Chromium)
  --no-induction     skip the induction-heads table (bench/induction.ts: transformer engines vs ref/induction_torch.py in Node and
                     Chromium, time to formation and fps in the built app)
  --no-locate        skip the Locate & edit timings (bench/romeBrowser.ts: one causal trace and one ROME edit in the tab's
                     Chromium worker, the built app; also skipped by --no-browser)
  --threads N        torch threads (default 2)
  --python PATH      python with torch (default $TORCH_PYTHON, /usr/bin/python3, python3)
  --json FILE        also write all results as JSON (directories are created; bench/results/ is git-ignored)
  --help             this text

Configs: ${CONFIGS.map(configLabel).join('; ')}; batch 1024, importance 0.9^i.`;

function usageError(msg: string): never {
  process.stderr.write(`bench: ${msg}\n(see npm run bench -- --help)\n`);
  process.exit(2);
}

function parseFlags() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        engines: { type: 'string' },
        steps: { type: 'string' },
        'no-torch': { type: 'boolean', default: false },
        'no-browser': { type: 'boolean', default: false },
        'no-sae': { type: 'boolean', default: false },
        'no-views': { type: 'boolean', default: false },
        'no-grid': { type: 'boolean', default: false },
        'no-induction': { type: 'boolean', default: false },
        'no-locate': { type: 'boolean', default: false },
        threads: { type: 'string', default: '2' },
        python: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    usageError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    process.stdout.write(HELP + '\n');
    process.exit(0);
  }
  const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const problems: string[] = [];
  const only = list(values.only);
  for (const id of only) if (!CONFIGS.some((c) => c.id === id)) problems.push(`unknown config "${id}" in --only; known: ${CONFIGS.map((c) => c.id).join(', ')}`);
  const engineIds = list(values.engines).filter((id) => id !== 'torch');
  for (const id of engineIds) if (!ENGINES.some((e) => e.id === id)) problems.push(`unknown engine "${id}" in --engines; known: ${ENGINES.map((e) => e.id).join(', ')}, torch`);
  const posInt = (name: string, s: string | undefined) => {
    if (s === undefined) return undefined;
    const x = Number(s);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(x) || x < 1) problems.push(`--${name} must be a positive integer; got "${s}"`);
    return x;
  };
  const steps = posInt('steps', values.steps);
  const threads = posInt('threads', values.threads) ?? 2;
  if (values.json === '') problems.push('--json needs a file name');
  if (problems.length) usageError(problems.join('\n'));
  return {
    quick: values.quick,
    configs: only.length ? CONFIGS.filter((c) => only.includes(c.id)) : CONFIGS,
    engines: engineIds.length ? ENGINES.filter((e) => engineIds.includes(e.id)) : ENGINES,
    steps,
    torch: !values['no-torch'],
    browser: !values['no-browser'],
    sae: !values['no-sae'],
    views: !values['no-views'],
    grid: !values['no-grid'],
    induction: !values['no-induction'],
    locate: !values['no-locate'] && !values['no-browser'],
    threads,
    python: values.python,
    json: values.json,
  };
}

type Flags = ReturnType<typeof parseFlags>;

// ════════════════════════ HOOK: browser benchmark ════════════════════════
// bench/browser.ts (written separately) is run here when the file exists. It must export
//   runBrowserBench(opts: BrowserBenchOptions): Promise<BenchRow[]>   (see types.ts)
// Its rows (where = 'chromium', …) join the same table and get ratios against the same torch runs.
async function runBrowserBenchIfPresent(flags: Flags, log: Log): Promise<BenchRow[]> {
  const file = join(BENCH_DIR, 'browser.ts');
  if (!flags.browser || !existsSync(file)) return [];
  try {
    const mod = (await import(pathToFileURL(file).href)) as { runBrowserBench?: (o: BrowserBenchOptions) => Promise<BenchRow[]> };
    if (typeof mod.runBrowserBench !== 'function') throw new Error('bench/browser.ts does not export runBrowserBench');
    return await mod.runBrowserBench({
      configs: flags.configs,
      engines: flags.engines.map((e) => e.id),
      quick: flags.quick,
      steps: flags.steps,
      plan: (c, engineId) => stepPlan(totalSteps(c, flags.quick, flags.steps, ENGINES.find((e) => e.id === engineId))),
      log,
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    log(`browser bench failed: ${reason}`);
    return [{ config: '*', engine: 'browser', where: 'browser', status: 'error', reason }];
  }
}
// ═════════════════════════════════════════════════════════════════════════

const meanLoss = (r: BenchRow) => (r.result ? r.result.loss.reduce((a, b) => a + b, 0) / r.result.loss.length : NaN);
const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const fmtRate = (x: number) => (!Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

interface LossCheck {
  config: string;
  engine: string;
  ours: number;
  torch: number;
  relDiff: number;
  tolerance: number;
  ok: boolean;
}

function engineCell(r: BenchRow): string {
  if (r.engine === 'torch') {
    const d = r.detail ?? {};
    return `torch ${d.torch ?? ''} (${d.threads ?? '?'} thr)`;
  }
  return r.where === 'node' ? r.engine : `${r.engine} (${r.where})`;
}

function buildTable(configs: readonly BenchConfig[], rows: BenchRow[]): { table: string; notes: string[]; checks: LossCheck[] } {
  const lines = [
    '| config | engine | steps | steps/s | ms/step (median · wall) | torch steps/s | ratio ours/torch | loss (last 1%) | Δ loss vs torch |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const checks: LossCheck[] = [];
  for (const c of configs) {
    const torch = rows.find((r) => r.config === c.id && r.engine === 'torch' && r.status === 'ok');
    const ordered = [...(torch ? [torch] : []), ...rows.filter((r) => r.config === c.id && r.engine !== 'torch' && r.status === 'ok')];
    for (const r of ordered) {
      const m = r.result!;
      const isTorch = r === torch;
      const tRate = torch ? torch.result!.stepsPerS : NaN;
      const loss = meanLoss(r);
      let dLoss = '';
      if (!isTorch && torch && torch.result!.steps === m.steps) {
        const rel = (loss - meanLoss(torch)) / meanLoss(torch);
        dLoss = `${rel >= 0 ? '+' : ''}${(100 * rel).toFixed(1)}%`;
        if (c.lossTolerance !== undefined && m.steps >= c.steps) {
          checks.push({ config: c.id, engine: engineCell(r), ours: loss, torch: meanLoss(torch), relDiff: rel, tolerance: c.lossTolerance, ok: Math.abs(rel) <= c.lossTolerance });
        }
      } else if (!isTorch && torch) {
        dLoss = `n/a (${m.steps} vs ${torch.result!.steps} steps)`;
      }
      lines.push(`| ${configLabel(c)} | ${engineCell(r)} | ${m.steps} | ${fmtRate(m.stepsPerS)} | ${fmt(m.medianBlockMs, 3)} · ${fmt(m.wallMsPerStep, 3)} | ${isTorch || !torch ? '' : fmtRate(tRate)} | ${isTorch || !torch ? '' : fmt(m.stepsPerS / tRate, 2)} | ${loss.toPrecision(4)} | ${dLoss} |`);
    }
  }
  // Unavailable and failed rows, grouped by engine and reason.
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    if (r.status === 'ok') continue;
    const key = `${r.engine}${r.where === 'node' || r.where === 'python' ? '' : ` (${r.where})`}: ${r.status} — ${r.reason ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r.config]);
  }
  const notes = [...groups].map(([key, ids]) => `${key} [config ${ids.join(', ')}]`);
  return { table: lines.join('\n'), notes, checks };
}

async function main(): Promise<void> {
  const flags = parseFlags();
  const log: Log = (line) => process.stderr.write(`  ${line}\n`);
  const started = new Date();
  const t0 = performance.now();
  const loadStart = loadavg();
  const cpu = cpus();
  process.stderr.write(`bench: ${flags.configs.length} configs × ${flags.engines.map((e) => e.id).join(', ')}${flags.torch ? ' + torch' : ''}${flags.quick ? ' (quick)' : ''}; load average ${loadStart.map((x) => x.toFixed(2)).join(' ')}\n`);

  // Config by config, torch right before our engines: on a shared machine the load drifts, and
  // measurements close in time are the fairest comparison.
  const rows: BenchRow[] = [];
  for (const config of flags.configs) {
    const configs = [config];
    if (flags.torch) rows.push(...(await runTorchBench({ configs, quick: flags.quick, steps: flags.steps, python: flags.python, threads: flags.threads, log })));
    rows.push(...(await runNodeBench({ configs, engines: flags.engines, quick: flags.quick, steps: flags.steps, log })));
  }
  rows.push(...(await runBrowserBenchIfPresent(flags, log)));
  // sparse autoencoders (bench/sae.ts): their own configs and table, torch ratios from bench/sae_torch.py
  const sae = flags.sae ? await (await import('./sae.ts')).runSaeBench({ quick: flags.quick, torch: flags.torch, browser: flags.browser, python: flags.python, threads: flags.threads, log }) : null;
  // the paper's views (bench/views.ts): wall time of each of the six views
  const views = flags.views ? await import('./views.ts') : null;
  const viewRows = views ? await views.runViewBench({ where: flags.browser ? ['node', 'chromium'] : ['node'], log }) : [];
  // the grid over two settings (bench/grid.ts): the 20×20 pentagon grid and the phase diagrams
  const gridBench = flags.grid ? await import('./grid.ts') : null;
  const gridRows = gridBench ? await gridBench.runGridBench({ where: flags.browser ? ['node', 'chromium'] : ['node'], log }) : [];
  // induction heads (bench/induction.ts): the transformer engines beside ref/induction_torch.py, formation time and fps in Chromium
  const induction = flags.induction ? await (await import('./induction.ts')).runInductionBench({ quick: flags.quick, torch: flags.torch, browser: flags.browser, python: flags.python, threads: flags.threads, log }) : null;
  // locate & edit (bench/romeBrowser.ts): one trace and one ROME edit in the tab's Chromium worker
  const romeBrowser = flags.locate ? await import('./romeBrowser.ts') : null;
  const locate = romeBrowser ? await romeBrowser.runRomeBrowserBench({ facts: flags.quick ? 3 : 5, log }) : null;

  const seconds = (performance.now() - t0) / 1000;
  const loadEnd = loadavg();
  const { table, notes, checks } = buildTable(flags.configs, rows);
  const torchOk = rows.some((r) => r.engine === 'torch' && r.status === 'ok');

  const out: string[] = [];
  out.push(`\n## Training speed (${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadStart[0].toFixed(2)} → ${loadEnd[0].toFixed(2)}, ${seconds.toFixed(0)} s)\n`);
  out.push(table);
  // The bench itself keeps up to ~2 runnable threads (torch uses 2); more than that means other jobs.
  const loads = [loadStart[0], loadEnd[0], ...rows.map((r) => Number(r.detail?.load1 ?? 0))];
  const peak = Math.max(...loads);
  if (peak > cpu.length + 1) {
    out.push(`\n**Warning: busy machine** (1-min load average up to ${peak.toFixed(2)} on ${cpu.length} cores; per-row load in --json). ` +
      'Other jobs skew every figure, torch with 2 threads most (its OpenMP threads spin-wait when a core is taken); ratios are not reliable. Re-run when the machine is idle.');
  }
  if (!flags.torch) out.push('\ntorch skipped (--no-torch): no ratios');
  else if (!torchOk) out.push('\ntorch not available: no ratios');
  if (notes.length) out.push('\n' + notes.map((n) => `- ${n}`).join('\n'));
  if (checks.length) {
    out.push('\nLoss check (same steps as torch, mean over instances):');
    for (const k of checks) out.push(`- (${k.config}) ${k.engine}: ${k.ours.toPrecision(4)} vs torch ${k.torch.toPrecision(4)}, Δ ${(100 * k.relDiff).toFixed(1)}% → ${k.ok ? 'OK' : `FAIL (tolerance ${100 * k.tolerance}%)`}`);
  } else if (torchOk && flags.configs.some((c) => c.lossTolerance !== undefined)) {
    out.push('\nLoss check skipped: it needs the full step count (not --quick).');
  }
  if (views && viewRows.length) out.push(`\n## Views: wall time\n\n${views.viewBenchTable(viewRows)}`);
  if (gridBench && gridRows.length) out.push(`\n## Grid over two settings: wall time\n\n${gridBench.gridBenchTable(gridRows)}`);
  if (sae) out.push(`\n## SAE training speed\n\n${sae.table}`);
  if (induction) out.push(`\n## Induction heads: transformer training speed (default config)\n\n${induction.table}`);
  if (locate && romeBrowser) out.push(`\n## Locate & edit: one trace and one edit in Chromium\n\n${romeBrowser.romeBrowserSummary(locate)}`);
  process.stdout.write(out.join('\n') + '\n');

  if (flags.json) {
    const file = resolve(flags.json);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({
      version: 1, date: started.toISOString(), seconds,
      host: { cpus: cpu.length, cpuModel: cpu[0]?.model, node: process.version, loadavgStart: loadStart, loadavgEnd: loadEnd },
      options: { quick: flags.quick, steps: flags.steps ?? null, threads: flags.threads, configs: flags.configs.map((c) => c.id), engines: flags.engines.map((e) => e.id), torch: flags.torch },
      configs: flags.configs, rows, lossChecks: checks, sae: sae?.rows ?? null, views: viewRows, grid: gridRows,
      induction: induction ? { rows: induction.rows, formation: induction.formation } : null,
      locate,
    }, null, 2) + '\n');
    process.stderr.write(`bench: wrote ${file}\n`);
  }
  if (checks.some((k) => !k.ok) || rows.some((r) => r.status === 'error')) process.exitCode = 1;
}

await main();
