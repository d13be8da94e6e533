// `npm run lab -- induction [flags]`: train a tiny transformer on repeated random segments, watch
// induction heads form, and write the run record (transformers.md §1) as JSON.

import { INDUCTION_FIELDS, type InductionConfig } from '../engine/transformer/config';
import type { FieldSpec } from '../engine/shared/fields';
import type { InductionProgress, InductionRecord } from '../engine/transformer/induction';
import { flagRows, INDUCTION_CLI_FLAGS, type CliOptions } from './args';

export function inductionHelp(): string {
  const rows: [string, string][] = [
    ...flagRows(INDUCTION_FIELDS as FieldSpec<object>[]),
    ...INDUCTION_CLI_FLAGS.map((f): [string, string] => [`--${f.flag}${f.boolean ? '' : ' X'}`, f.help]),
  ];
  const width = Math.max(...rows.map(([a]) => a.length)) + 2;
  return [
    'Induction heads — train a tiny attention-only transformer on random tokens with one repeated segment',
    'and write its losses, head scores, ablations and composition scores as JSON.',
    '',
    'Usage: npm run lab -- induction [flags]',
    'Example: npm run lab -- induction --seed 1 --out induction.json',
    'Control: npm run lab -- induction --layers 1 (no induction circuit); pitfall: --layers 1 --repeat fixed',
    '',
    'Flags (defaults: 2 layers × 2 heads, d_model 32, 64 tokens + BOS, T 32, batch 16, Adam lr 1e-2, 2000 steps):',
    ...rows.map(([a, b]) => `  ${a.padEnd(width)}${b}`),
    '',
    'The eval set is 256 fixed sequences [BOS, r_1..r_L, r_1..r_L] (L = 15 for T ≥ 31). Losses are in nats;',
    'first copy = predicting r_2..r_L in the first copy (≈ ln V), second copy = the same tokens in the second.',
    '',
    'Exit codes: 0 done, 2 bad input (one line per problem on stderr), 1 failure.',
  ].join('\n');
}

export interface InductionCommandInput {
  /** checked before any work (src/cli/check.ts) */
  config: InductionConfig;
  options: CliOptions;
  write: (out: string, text: string) => void;
}

export async function runInductionCommand({ config, options, write }: InductionCommandInput): Promise<number> {
  // TF.js loads only now, so bad input is answered at once
  const { createTransformerTrainer, runInduction } = await import('../engine/transformer/index');
  const { initBackend } = await import('../engine/shared/backend');
  const backend = config.engine === 'tfjs' ? (await initBackend([options.backend, 'cpu'])).active : null;
  const show = !options.quiet && process.stderr.isTTY;
  const record = runInduction(config, (shape, opts) => createTransformerTrainer(shape, opts, config.engine), {
    onProgress: show ? progressLine(config) : undefined,
  });
  if (show) process.stderr.write('\n');
  const json = JSON.stringify({ ...record, backend: record.engine === 'tfjs' ? backend : null }) + '\n';
  const toFile = options.out !== null && options.out !== '-';
  write(toFile ? options.out! : '-', json);
  if (!options.quiet && toFile) process.stderr.write(`wrote ${options.out}\n${summary(record)}\n`);
  return 0;
}

/** A one-line status on a terminal, redrawn at most 10 times a second. */
function progressLine(config: InductionConfig): (p: InductionProgress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 100 && p.step < p.total) return;
    last = now;
    const [step, first, second, induction, prev] = p.latest;
    process.stderr.write(
      `\r${p.step}/${p.total} steps  ${Math.round(p.stepsPerSecond)} steps/s  loss ${p.loss.toFixed(3)}  | step ${step}: copies ${first.toFixed(2)}/${second.toFixed(2)} nats (ln V ${Math.log(config.vocab).toFixed(2)})  induction ${induction.toFixed(2)}  prev-token ${prev.toFixed(2)}\x1b[K`,
    );
  };
}

function summary(r: InductionRecord): string {
  const f = r.final;
  const heads = f.heads.map((h) => `  L${h.layer}H${h.head}: induction ${h.induction.toFixed(2)}  prev-token ${h.prevToken.toFixed(2)}  current ${h.currentToken.toFixed(2)}  BOS ${h.bos.toFixed(2)}`);
  const ablated = f.ablateInduction.heads.length
    ? `zeroing the induction heads ${f.ablateInduction.heads.map(([l, h]) => `L${l}H${h}`).join(', ')}: second copy ${f.ablateInduction.secondCopyLoss!.toFixed(3)}`
    : 'no induction head (≥ 0.4) in layers ≥ 1';
  return [
    `${r.config.steps} steps in ${r.seconds.toFixed(1)} s (${r.stepsPerSecond} steps/s, engine ${r.engine}); induction formed at ${r.formedAtStep ?? 'never'}`,
    `first copy ${f.firstCopyLoss.toFixed(3)}, second copy ${f.secondCopyLoss.toFixed(3)} nats (ln V = ${r.lnV.toFixed(3)}); ${ablated}`,
    ...heads,
  ].join('\n');
}
