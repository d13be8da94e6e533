// The SAE commands' extra pieces: the sweep's defaults and `npm run lab -- sae-sweep`.

import { DEFAULT_SAE_CONFIG, validateSaeConfig, type SaeConfig } from '../engine/sae/config';
import { SWEEP_DEFAULTS, validateSweepRatios, DEFAULT_SWEEP_RATIOS, type SaeSweepRecord } from '../engine/sae/sweep';
import type { ValidationResult } from '../engine/toy/config';
import type { CliOptions } from './args';

/** validateSaeConfig for sae-sweep: the sweep's defaults; --l1 alone means one λ for every instance. */
export function validateSweepSae(saeRaw: Record<string, string>): { checked: ValidationResult<SaeConfig>; errors: string[] } {
  const base: SaeConfig = { ...DEFAULT_SAE_CONFIG, ...SWEEP_DEFAULTS } as SaeConfig;
  const input: Record<string, unknown> = { ...saeRaw };
  if ('l1' in saeRaw && !('l1Range' in saeRaw)) input.l1Range = null;
  const checked = validateSaeConfig(input, base, { naming: 'flag' });
  const errors = [...checked.errors];
  if (checked.ok && checked.config.data !== 'sharkey') errors.push('--data must be sharkey for sae-sweep (the toy model has no ground truth to sweep over)');
  return { checked, errors };
}

export function sweepRatios(options: CliOptions): number[] {
  return options.ratios ?? [...DEFAULT_SWEEP_RATIOS];
}

export function sweepRatioErrors(options: CliOptions, sae: SaeConfig): string[] {
  return validateSweepRatios(sweepRatios(options), sae, { naming: 'flag' }).map((e) => (e.startsWith('ratios:') ? `--${e}` : e));
}

/** Train the sweep; a progress bar with the ETA on stderr when it is a terminal, a line per finished size. */
export async function runSweep(sae: SaeConfig, options: CliOptions): Promise<SaeSweepRecord> {
  const { initBackend } = await import('../engine/index');
  const { createSaeTrainer } = await import('../engine/sae/engine');
  const { runSaeSweep } = await import('../engine/sae/sweep');
  const { sweepProgressBar } = await import('./progress');
  if (options.saeEngine === 'tfjs') await initBackend([options.backend, 'cpu']);
  const ratios = sweepRatios(options);
  const bar = !options.quiet && process.stderr.isTTY ? sweepProgressBar(process.stderr) : null;
  const t0 = performance.now();
  const record = runSaeSweep(
    { ratios, sae }, (c, s) => createSaeTrainer(c, s, options.saeEngine),
    (row, sweep) => {
      if (options.quiet) return;
      const cells = sweep.grid.mmcs[row].map((x) => x.toFixed(3)).join(' ');
      const text = `D/G ${sweep.ratios[row]} (D = ${sweep.dictSizes[row]}, ${sweep.secondsPerRatio[row].toFixed(1)} s): MMCS ${cells}`;
      if (bar) bar.line(text);
      else process.stderr.write(`${text}\n`);
    },
    bar
      ? (sweep) => {
          const row = Math.min(sweep.row, sweep.ratios.length - 1);
          const { done, total } = sweep.work();
          bar.update({
            row: sweep.row, rows: sweep.ratios.length, ratio: sweep.ratios[row], dictSize: sweep.dictSizes[row],
            step: sweep.current()?.stepsDone ?? (sweep.done ? sae.saeSteps : 0), steps: sae.saeSteps,
            workDone: done, workTotal: total, elapsedSeconds: (performance.now() - t0) / 1000,
          });
        }
      : undefined,
  );
  bar?.done();
  return record;
}

/** The grid as a small table for the terminal. */
export function sweepSummary(rec: SaeSweepRecord): string {
  const head = `λ:        ${rec.l1.map((l) => l.toExponential(1).padStart(8)).join('')}`;
  const rows = rec.ratios.map((r, i) => `D/G ${String(r).padEnd(5)}${rec.grid.mmcs[i].map((x) => x.toFixed(3).padStart(8)).join('')}   best ${Math.max(...rec.grid.mmcs[i]).toFixed(3)}`);
  return [`MMCS (${rec.engine} engine, ${rec.seconds.toFixed(1)} s):`, head, ...rows].join('\n');
}
