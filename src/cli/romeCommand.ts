// `npm run lab -- rome [flags]`: the facts model (shipped for the default config, else trained), causal tracing and
// ROME with its baselines, written as one JSON record (src/engine/rome/run.ts, version 1).

import { toRunConfig, type RomeCliConfig } from '../engine/rome/config';
import type { FactsModelConfig } from '../engine/rome/factsModel';
import type { CliOptions } from './args';

export { validateRomeCli } from '../engine/rome/config';

export async function runRomeCommand(config: RomeCliConfig, options: CliOptions, write: (out: string, text: string) => void): Promise<number> {
  const { readFileSync, existsSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  const { initBackend } = await import('../engine/index');
  const { runRome } = await import('../engine/rome/run');
  const { decodeModel, MODEL_FILE_NAME } = await import('../engine/rome/modelFile');
  await initBackend(['wasm', 'cpu']);
  const file = resolve(import.meta.dirname, '../../public', MODEL_FILE_NAME);
  const shipped = existsSync(file) ? decodeModel(JSON.parse(readFileSync(file, 'utf8'))) : null;
  const show = !options.quiet && process.stderr.isTTY;
  const log = !options.quiet;
  const { record, sequentialNorms, source } = runRome(toRunConfig(config), shipped as { config: FactsModelConfig; params: never } | null, (s) => {
    if (!show && s.stage !== 'model') return;
    switch (s.stage) {
      case 'train':
        process.stderr.write(`\rtraining ${s.progress.step}/${s.progress.steps} steps, loss ${s.progress.loss.toFixed(4)}, accuracy ${s.progress.accuracy ?? '–'}\x1b[K`);
        break;
      case 'model':
        if (log) process.stderr.write(`${show ? '\r' : ''}model: ${s.source}, top-1 accuracy ${s.accuracy.toFixed(4)}\x1b[K\n`);
        break;
      case 'trace':
        process.stderr.write(`\rtracing ${s.done}/${s.total} facts\x1b[K`);
        break;
      case 'edit':
        process.stderr.write(`\r${s.method} edits ${s.done}/${s.total}\x1b[K`);
        break;
      case 'sequential':
        process.stderr.write(`\rsequential edits ${s.done}/${s.total}\x1b[K`);
        break;
    }
  });
  if (show) process.stderr.write('\r\x1b[K');
  const json = JSON.stringify(record) + '\n';
  const toFile = options.out !== null && options.out !== '-';
  write(toFile ? options.out! : '-', json);
  if (log) {
    const f = (x: number) => x.toFixed(3);
    const row = (e: typeof record.edit) =>
      `  ${e.method.padEnd(8)} layer ${e.layer}: efficacy ${f(e.efficacy)} paraphrase ${f(e.paraphrase)} neighbourhood ${f(e.neighbourhood)} token-sharing ${f(e.tokenSharing)} other relations ${f(e.otherRelations)} accuracy ${f(e.accuracyBefore)} → ${f(e.accuracyAfter)} ‖ΔW‖/‖W‖ ${f(e.normRatio)} constraint ${e.maxConstraintErr === null ? '–' : e.maxConstraintErr.toExponential(1)}`;
    const t = record.trace;
    process.stderr.write(
      [
        `${toFile ? `wrote ${options.out}` : 'done'} (${record.seconds.toFixed(1)} s, model ${source})`,
        `  trace over ${t.facts} facts: P(o) ${f(t.highScore)}, corrupted ${f(t.lowScore)} (ν ${t.noise.toFixed(3)}); MLP peak at ${t.tokens[t.peak.token]} layer ${t.peak.layer}; identities ${t.identities.allRestoredMaxErr.toExponential(1)} / ${t.identities.noneRestoredMaxErr.toExponential(1)} / ${t.identities.beforeSubjectMaxEffect.toExponential(1)}`,
        row(record.edit),
        row(record.naive),
        row(record.finetune),
        `  sequential: accuracy ${record.sequential.accuracyAfter.map(f).join(' ')}; ‖ΔW‖/‖W‖ ${sequentialNorms.map(f).join(' ')}; efficacy ${f(record.sequential.efficacy)}`,
      ].join('\n') + '\n',
    );
  }
  return 0;
}
