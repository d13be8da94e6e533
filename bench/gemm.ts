// The GEMM core's table: GFLOP/s at the SAE's and the transformer's shapes next to the measured
// single-core SIMD peak, in Node (a child without and one with --experimental-wasm-relaxed-simd, as
// Node 20 runs relaxed SIMD only behind that flag) and in Chromium (a bench-page worker, sae.ts).
// bench/sae.ts prints it above the SAE table in the same run.

import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GemmResult } from './gemmMeasure.ts';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const PREFIX = 'GEMM_BENCH_RESULT ';

export interface GemmRun {
  where: string;
  /** did the runtime validate relaxed SIMD by itself (without a flag)? */
  relaxedByDefault: boolean | null;
  results: GemmResult[];
  error?: string;
}

/** measureGemm in a fresh Node; `flag` adds --experimental-wasm-relaxed-simd. */
export function nodeGemm(flag: boolean): Promise<GemmRun> {
  const where = flag ? 'Node + relaxed flag' : 'Node';
  return new Promise((done) => {
    const args = [...(flag ? ['--experimental-wasm-relaxed-simd'] : []), '--import', 'tsx', join(BENCH_DIR, 'gemmChild.ts')];
    const child = spawn(process.execPath, args, { cwd: dirname(BENCH_DIR), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', () => {
      const line = out.split('\n').filter((l) => l.startsWith(PREFIX)).pop();
      if (!line) return done({ where, relaxedByDefault: null, results: [], error: err.trim().split('\n').slice(-2).join(' | ') });
      const r = JSON.parse(line.slice(PREFIX.length)) as { ok: true; relaxed: boolean; results: GemmResult[] } | { ok: false; reason: string };
      done(r.ok ? { where, relaxedByDefault: flag ? null : r.relaxed, results: r.results } : { where, relaxedByDefault: null, results: [], error: r.reason });
    });
  });
}

const f1 = (x: number) => x.toFixed(1);

/** One markdown table: a row per shape, a column pair (GFLOP/s, % of peak) per runtime × build. */
export function gemmTable(runs: readonly GemmRun[]): string {
  const cols = runs.flatMap((r) => r.results.map((res) => ({ run: r, res })));
  if (!cols.length) return runs.map((r) => `- GEMM ${r.where}: ${r.error ?? 'no result'}`).join('\n');
  // the peak of a runtime: its fused multiply-add loop where relaxed SIMD validates, else the mul+add loop
  const peakOf = (run: GemmRun) => Math.max(...run.results.map((x) => x.peak));
  const head = `| product (M×N×K, layout) | ${cols.map((c) => `${c.run.where} ${c.res.build} GFLOP/s (% of peak)`).join(' | ')} |`;
  const lines = [head, `|---|${cols.map(() => '---').join('|')}|`];
  lines.push(`| **peak loop** (12 independent madd chains) | ${cols.map((c) => `**${f1(c.res.peak)}**`).join(' | ')} |`);
  const shapes = cols[0].res.rows.map((r) => r.shape);
  shapes.forEach((s, i) => {
    lines.push(`| ${s.label} (${s.M}×${s.N}×${s.K}, ${s.layout}) | ${cols.map((c) => `${f1(c.res.rows[i].gflops)} (${Math.round((100 * c.res.rows[i].gflops) / peakOf(c.run))}%)`).join(' | ')} |`);
  });
  const notes = runs.map((r) =>
    r.error ? `- ${r.where}: ${r.error}` : r.relaxedByDefault === null ? null : `- ${r.where} validates relaxed SIMD without a flag: ${r.relaxedByDefault ? 'yes' : 'no'}`,
  ).filter((x): x is string => x !== null);
  return [...lines, '', '% of peak: of the runtime\'s highest peak loop (the fused multiply-add one where relaxed SIMD is on).', ...notes].join('\n');
}
