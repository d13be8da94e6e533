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

/**
 * One markdown table: a row per shape, per runtime × build a column of GFLOP/s (% of peak) and, where a
 * helper worker ran, one of the shared-memory build on two threads (× its own one-thread time).
 */
export function gemmTable(runs: readonly GemmRun[]): string {
  const cols = runs.flatMap((r) => r.results.map((res) => ({ run: r, res, threads: res.rows.every((x) => x.threads) })));
  if (!cols.length) return runs.map((r) => `- GEMM ${r.where}: ${r.error ?? 'no result'}`).join('\n');
  // the peak of a runtime: its fused multiply-add loop where relaxed SIMD validates, else the mul+add loop
  const peakOf = (run: GemmRun) => Math.max(...run.results.map((x) => x.peak));
  const heads = cols.flatMap((c) => [`${c.run.where} ${c.res.build} GFLOP/s (% of peak)`, ...(c.threads ? [`2 threads GFLOP/s (× 1 thread)`] : [])]);
  const lines = [`| product (M×N×K, layout) | ${heads.join(' | ')} |`, `|---|${heads.map(() => '---').join('|')}|`];
  lines.push(`| **peak loop** (12 independent madd chains, one core) | ${cols.flatMap((c) => [`**${f1(c.res.peak)}**`, ...(c.threads ? [''] : [])]).join(' | ')} |`);
  const shapes = cols[0].res.rows.map((r) => r.shape);
  shapes.forEach((s, i) => {
    const cells = cols.flatMap((c) => {
      const row = c.res.rows[i];
      const one = `${f1(row.gflops)} (${Math.round((100 * row.gflops) / peakOf(c.run))}%)`;
      return c.threads ? [one, `${f1(row.threads!.two)} (${(row.threads!.two / row.threads!.one).toFixed(2)}×)`] : [one];
    });
    lines.push(`| ${s.label} (${s.M}×${s.N}×${s.K}, ${s.layout}) | ${cells.join(' | ')} |`);
  });
  const notes = runs.flatMap((r) => [
    r.error ? `- ${r.where}: ${r.error}` : r.relaxedByDefault === null ? null : `- ${r.where} validates relaxed SIMD without a flag: ${r.relaxedByDefault ? 'yes' : 'no'}`,
    ...r.results.map((res) => (res.threadsNote ? `- ${r.where} ${res.build}: no two-thread figure (${res.threadsNote})` : null)),
  ]).filter((x): x is string => x !== null);
  return [
    ...lines,
    '',
    "% of peak: of the runtime's highest peak loop (the fused multiply-add one where relaxed SIMD is on). " +
      '2 threads: the shared-memory build with a helper worker taking part of each product, against the same build on one thread, timed back to back.',
    ...notes,
  ].join('\n');
}
