// `npm run lab -- [flags]`: train headless with the same engine as the app and write one JSON file.

import { checkCommandLine } from './check';
import type { CliOptions } from './args';
import type { LabConfig } from '../engine/toy/config';
import type { SaeConfig } from '../engine/sae/config';
import type { SaeFileData } from '../engine/sae/run';
import { progressBar } from './progress';
import { runViewCommand } from './viewCommand';
import { runRomeCommand } from './romeCommand';
import { runSweep, sweepSummary } from './saeCommands';
import { runInductionCommand } from './inductionCommand';
import { STDOUT, writeOut } from './output';
import { runMonitorCommand } from './monitorCommand';
import { runCompareCommand } from './compareCommand';
import { runGridCommand } from './gridCommand';
import { useNodeKernelHelpers } from '../worker/nodeKernelHelpers';

// large SAE products run on two threads (a worker_threads helper) where the kernel is big enough
useNodeKernelHelpers();

/** Where the JSON goes: --out FILE, or stdout (no --out, or --out -). */
const toFile = (options: CliOptions): string | null => (options.out === null || options.out === STDOUT ? null : options.out);

async function main(argv: string[]): Promise<number> {
  // every check before any work: flags, configs (each run of a view), where the output goes
  const plan = checkCommandLine(argv);
  switch (plan.kind) {
    case 'help':
      process.stdout.write(plan.text + '\n');
      return 0;
    case 'errors':
      for (const e of plan.errors) process.stderr.write(`error: ${e}\n`);
      return 2;
    case 'rome':
      return runRomeCommand(plan.config, plan.options, writeOut);
    case 'induction':
      return runInductionCommand({ config: plan.config, options: plan.options, write: writeOut });
    case 'monitor':
      return runMonitorCommand({ config: plan.config, options: plan.options, write: writeOut });
    case 'compare':
      return runCompareCommand({ pair: plan.pair, options: plan.options, write: writeOut });
    case 'grid':
      return runGridCommand(plan.config, plan.options, writeOut);
    case 'view':
      return runViewCommand(plan.target, plan.raw, plan.config, plan.options, writeOut);
    case 'sae-sweep':
      return runSweepCommand(plan.sae, plan.options);
    case 'sae':
      return runSaeCommand(plan.config, plan.sae, plan.options, plan.file);
    case 'train':
      return runTrainCommand(plan.config, plan.options);
  }
}

async function runTrainCommand(config: LabConfig, options: CliOptions): Promise<number> {
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
    const out = toFile(options);
    writeOut(out ?? STDOUT, json + '\n');
    if (out && !options.quiet) {
      const summary = record.instances.map((r, k) => `  instance ${k}: S=${r.sparsity.toFixed(3)} loss ${r.loss.toPrecision(4)} — ${r.metrics.geometry}`);
      process.stderr.write(`wrote ${out} (${record.steps} steps in ${record.seconds.toFixed(1)} s, engine ${record.engine}${record.backend ? '/' + record.backend : ''})\n${summary.join('\n')}\n`);
    }
    return 0;
  } finally {
    trainer.dispose();
  }
}

async function runSaeCommand(config: LabConfig, sae: SaeConfig, options: CliOptions, file?: SaeFileData): Promise<number> {
  const { initBackend } = await import('../engine/index');
  const { runSae } = await import('../engine/sae/run');
  await initBackend([options.backend, 'cpu']);
  const show = !options.quiet && process.stderr.isTTY;
  const t0 = performance.now();
  const record = runSae(config, sae, {
    engine: options.engine,
    saeEngine: options.saeEngine,
    file,
    onProgress: show
      ? (step, stats) => {
          const mm = stats.map((s) => s.mmcs.toFixed(3)).join(' ');
          process.stderr.write(`\rSAE ${step}/${sae.saeSteps} steps  ${Math.round(step / ((performance.now() - t0) / 1000))} steps/s  MMCS ${mm}\x1b[K`);
        }
      : undefined,
  });
  if (show) process.stderr.write('\n');
  const json = JSON.stringify(record) + '\n';
  const out = toFile(options);
  writeOut(out ?? STDOUT, json);
  if (!options.quiet && out) {
    const lines = record.instances.map((r, k) => `  SAE ${k}: λ=${r.l1.toPrecision(3)} MMCS ${r.metrics.mmcs.toFixed(3)}  L0 ${r.metrics.l0.toFixed(2)}  dead ${(100 * r.metrics.deadFraction).toFixed(0)}%  resampled ${r.metrics.resampled}`);
    const kernel = record.kernel ? `, kernel ${record.kernel.build} on ${record.kernel.threads} thread${record.kernel.threads > 1 ? 's' : ''}` : '';
    process.stderr.write(`wrote ${out} (${record.seconds.toFixed(1)} s${kernel})\n${lines.join('\n')}\n`);
  }
  return 0;
}

async function runSweepCommand(sae: SaeConfig, options: CliOptions): Promise<number> {
  const record = await runSweep(sae, options);
  const json = JSON.stringify(record) + '\n';
  const out = toFile(options);
  writeOut(out ?? STDOUT, json);
  if (!options.quiet && out) process.stderr.write(`wrote ${out}\n${sweepSummary(record)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
