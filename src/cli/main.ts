// `npm run lab -- [flags]`: train headless with the same engine as the app and write one JSON file.

import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { validateConfig } from '../engine/toy/config';
import { validateSaeConfig } from '../engine/sae/config';
import { helpText, parseArgs, type CliOptions } from './args';
import type { LabConfig } from '../engine/toy/config';
import type { SaeConfig } from '../engine/sae/config';
import { progressBar } from './progress';
import { runViewCommand } from './viewCommand';
import { runRomeCommand, validateRomeCli } from './romeCommand';
import { runSweep, sweepRatioErrors, sweepSummary, validateSweepSae } from './saeCommands';
import { inductionHelp, runInductionCommand } from './inductionCommand';
import { monitorHelp, runMonitorCommand } from './monitorCommand';

function outDirError(out: string): string | null {
  const dir = dirname(resolve(out));
  if (!existsSync(dir)) return `--out: directory ${dir} does not exist`;
  if (!statSync(dir).isDirectory()) return `--out: ${dir} is not a directory`;
  if (existsSync(out) && statSync(out).isDirectory()) return `--out: ${out} is a directory; give a file name`;
  return null;
}

/** Write beside the target and rename, so a failure never leaves a partial file. */
function writeAtomically(out: string, text: string): void {
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const { command, raw, saeRaw, options, errors } = parseArgs(argv);
  if (options.help) {
    process.stdout.write((command === 'induction' ? inductionHelp() : command === 'monitor' ? monitorHelp() : helpText()) + '\n');
    return 0;
  }
  if (command === 'rome') {
    const rome = validateRomeCli(raw);
    const outError = options.out ? outDirError(options.out) : null;
    const all = [...errors, ...rome.errors, ...(outError ? [outError] : [])];
    if (all.length || !rome.ok) {
      for (const e of all) process.stderr.write(`error: ${e}\n`);
      return 2;
    }
    return runRomeCommand(rome.config, options, writeAtomically);
  }
  if (command === 'induction') return runInductionCommand({ raw, options, errors, outDirError, write: writeAtomically });
  if (command === 'monitor') return runMonitorCommand({ raw, options, errors, outDirError, write: writeAtomically });
  const checked = validateConfig(raw, undefined, { naming: 'flag' });
  errors.push(...checked.errors);
  const sweep = command === 'sae-sweep' ? validateSweepSae(saeRaw) : null;
  const saeChecked = command === 'sae' ? validateSaeConfig(saeRaw, undefined, { naming: 'flag' }) : (sweep?.checked ?? null);
  if (command === 'sae' && saeChecked) errors.push(...saeChecked.errors);
  if (sweep) errors.push(...sweep.errors, ...(sweep.checked.ok ? sweepRatioErrors(options, sweep.checked.config) : []));
  if (options.out) {
    const e = outDirError(options.out);
    if (e) errors.push(e);
  }
  if (errors.length || !checked.ok || (saeChecked && !saeChecked.ok)) {
    for (const e of errors) process.stderr.write(`error: ${e}\n`);
    return 2;
  }
  const config = checked.config;
  if (options.view) return runViewCommand(options.view, raw, config, options, writeAtomically);
  if (sweep?.checked.ok) return runSweepCommand(sweep.checked.config, options);
  if (saeChecked?.ok) return runSaeCommand(config, saeChecked.config, options);
  // TF.js loads only now, so bad input is answered at once
  const { createTrainer, initBackend } = await import('../engine/index');
  const { buildRunRecord } = await import('../engine/toy/runRecord');
  const { trainToEnd } = await import('../engine/toy/runner');
  const backend = (await initBackend([options.backend, 'cpu'])).active;
  const trainer = createTrainer(config, options.engine);
  const bar = !options.quiet && process.stderr.isTTY ? progressBar(process.stderr) : null;
  try {
    const outcome = trainToEnd(trainer, { curvePoints: options.curvePoints, onProgress: bar ? (p) => bar.update(p) : undefined });
    bar?.done();
    const record = buildRunRecord({
      config,
      snapshot: trainer.snapshot(),
      finalLosses: outcome.finalLosses,
      lossCurve: outcome.lossCurve,
      seconds: outcome.seconds,
      engine: trainer.engine,
      backend: trainer.engine === 'tfjs' ? backend : null,
    });
    const json = JSON.stringify(record);
    if (!options.out) {
      process.stdout.write(json + '\n');
      return 0;
    }
    writeAtomically(options.out, json + '\n');
    if (!options.quiet) {
      const summary = record.instances.map((r, k) => `  instance ${k}: S=${r.sparsity.toFixed(3)} loss ${r.loss.toPrecision(4)} — ${r.metrics.geometry}`);
      process.stderr.write(`wrote ${options.out} (${record.steps} steps in ${record.seconds.toFixed(1)} s, engine ${record.engine}${record.backend ? '/' + record.backend : ''})\n${summary.join('\n')}\n`);
    }
    return 0;
  } finally {
    trainer.dispose();
  }
}

async function runSaeCommand(config: LabConfig, sae: SaeConfig, options: CliOptions): Promise<number> {
  const { initBackend } = await import('../engine/index');
  const { runSae } = await import('../engine/sae/run');
  await initBackend([options.backend, 'cpu']);
  const show = !options.quiet && process.stderr.isTTY;
  const t0 = performance.now();
  const record = runSae(config, sae, {
    engine: options.engine,
    saeEngine: options.saeEngine,
    onProgress: show
      ? (step, stats) => {
          const mm = stats.map((s) => s.mmcs.toFixed(3)).join(' ');
          process.stderr.write(`\rSAE ${step}/${sae.saeSteps} steps  ${Math.round(step / ((performance.now() - t0) / 1000))} steps/s  MMCS ${mm}\x1b[K`);
        }
      : undefined,
  });
  if (show) process.stderr.write('\n');
  const json = JSON.stringify(record) + '\n';
  if (!options.out) process.stdout.write(json);
  else writeAtomically(options.out, json);
  if (!options.quiet && options.out) {
    const lines = record.instances.map((r, k) => `  SAE ${k}: λ=${r.l1.toPrecision(3)} MMCS ${r.metrics.mmcs.toFixed(3)}  L0 ${r.metrics.l0.toFixed(2)}  dead ${(100 * r.metrics.deadFraction).toFixed(0)}%  resampled ${r.metrics.resampled}`);
    process.stderr.write(`wrote ${options.out} (${record.seconds.toFixed(1)} s)\n${lines.join('\n')}\n`);
  }
  return 0;
}

async function runSweepCommand(sae: SaeConfig, options: CliOptions): Promise<number> {
  const record = await runSweep(sae, options);
  const json = JSON.stringify(record) + '\n';
  if (!options.out) process.stdout.write(json);
  else writeAtomically(options.out, json);
  if (!options.quiet && options.out) process.stderr.write(`wrote ${options.out}\n${sweepSummary(record)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
