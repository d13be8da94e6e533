// `npm run lab -- [flags]`: train headless with the same engine as the app and write one JSON file.

import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { validateConfig } from '../engine/config';
import { helpText, parseArgs } from './args';
import { progressBar } from './progress';

function outDirError(out: string): string | null {
  const dir = dirname(resolve(out));
  if (!existsSync(dir)) return `--out: directory ${dir} does not exist`;
  if (!statSync(dir).isDirectory()) return `--out: ${dir} is not a directory`;
  if (existsSync(out) && statSync(out).isDirectory()) return `--out: ${out} is a directory; give a file name`;
  return null;
}

async function main(argv: string[]): Promise<number> {
  const { raw, options, errors } = parseArgs(argv);
  if (options.help) {
    process.stdout.write(helpText() + '\n');
    return 0;
  }
  const checked = validateConfig(raw, undefined, { naming: 'flag' });
  errors.push(...checked.errors);
  if (options.out) {
    const e = outDirError(options.out);
    if (e) errors.push(e);
  }
  if (errors.length || !checked.ok) {
    for (const e of errors) process.stderr.write(`error: ${e}\n`);
    return 2;
  }
  const config = checked.config;
  // TF.js loads only now, so bad input is answered at once
  const { createTrainer, initBackend } = await import('../engine/index');
  const { buildRunRecord } = await import('../engine/runRecord');
  const { trainToEnd } = await import('../engine/runner');
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
    // write beside the target and rename, so a failure never leaves a partial file
    const tmp = `${options.out}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, json + '\n');
      renameSync(tmp, options.out);
    } finally {
      rmSync(tmp, { force: true });
    }
    if (!options.quiet) {
      const summary = record.instances.map((r, k) => `  instance ${k}: S=${r.sparsity.toFixed(3)} loss ${r.loss.toPrecision(4)} — ${r.metrics.geometry}`);
      process.stderr.write(`wrote ${options.out} (${record.steps} steps in ${record.seconds.toFixed(1)} s, engine ${record.engine}${record.backend ? '/' + record.backend : ''})\n${summary.join('\n')}\n`);
    }
    return 0;
  } finally {
    trainer.dispose();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
