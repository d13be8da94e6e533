// `npm run lab -- compare [toy flags for A] --b sparsity=0 [--b importance-decay=0.8 …] [--instance K] [--out FILE]`:
// train A, then B = A with the --b changes (the same seed unless --b seed=… says otherwise), and write both run
// records, the per-feature deltas and the verdict as JSON (engine/compare/run.ts CompareRecord).

import { FIELDS, validateConfig, type LabConfig } from '../engine/toy/config';
import type { FieldSpec } from '../engine/shared/fields';
import { pairError, type ComparePair } from '../engine/compare/settings';
import type { CompareRecord } from '../engine/compare/run';
import { CLI_FLAGS, COMMANDS, flagRows, parseArgs, type CliOptions } from './args';

export function compareHelp(): string {
  const rows: [string, string][] = [
    ['--b KEY=VALUE', 'a setting of B that differs from A, as a toy flag without its dashes (repeat --b, or separate with commas)'],
    ['--instance K', 'the instance of A and B to compare, from 0 (default 0)'],
    ...flagRows(FIELDS as FieldSpec<object>[]),
    ...CLI_FLAGS.map((f): [string, string] => [`--${f.flag}${f.boolean ? '' : ' X'}`, f.help]),
  ];
  const width = Math.max(...rows.map(([a]) => a.length)) + 2;
  return [
    'A/B compare — train A (the toy flags), then B = A with the --b changes and the same seed, and write both run records,',
    'per-feature ‖Wᵢ‖ and Dᵢ with their roles in A and B, WᵀW of B − A and a one-line verdict of what changed.',
    '',
    'Usage: npm run lab -- compare [toy flags for A] --b KEY=VALUE [--b KEY=VALUE …] [--out FILE]',
    'Example: npm run lab -- compare --sparsity 0.9 --b sparsity=0 --out ab.json',
    '',
    'Flags (A defaults to the pentagon: n=5, m=2, S=0.95, r=0.9, seed 1):',
    ...rows.map(([a, b]) => `  ${a.padEnd(width)}${b}`),
    '',
    'Exit codes: 0 done, 2 bad input (one line per problem on stderr), 1 failure.',
  ].join('\n');
}

export type ComparePlan = { kind: 'compare'; pair: ComparePair; options: CliOptions } | { kind: 'help'; text: string } | { kind: 'errors'; errors: string[] };

const FLAG_TO_KEY = new Map<string, keyof LabConfig>(FIELDS.map((f) => [f.flag, f.key]));

/** Every problem with `compare`'s arguments (after the word compare), before any work, or the pair to train. */
export function checkCompareArgs(argv: readonly string[]): ComparePlan {
  const rest: string[] = [];
  const bItems: string[] = [];
  let instanceRaw: string | null = null;
  const errors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, null];
    if (name !== '--b' && name !== '--instance') {
      rest.push(arg);
      continue;
    }
    const value = inline ?? (i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[++i] : undefined);
    if (value === undefined || value === '') errors.push(`${name} needs a value${name === '--b' ? ', e.g. --b sparsity=0.9' : ''}`);
    else if (name === '--b') bItems.push(...value.split(',').map((s) => s.trim()).filter(Boolean));
    else if (instanceRaw !== null) errors.push('--instance is given more than once');
    else instanceRaw = value;
  }
  if (rest.some((a) => a === '--view' || a.startsWith('--view='))) errors.push('--view is not a compare flag: compare trains one config as A and one as B');
  // a leading word would be read as another command: it is a stray argument here
  if (rest.length && (COMMANDS as readonly string[]).includes(rest[0])) errors.push(`unexpected argument ${JSON.stringify(rest.shift())}; flags look like --n 5 (see --help)`);
  const parsed = parseArgs(rest);
  if (parsed.options.help) return { kind: 'help', text: compareHelp() };
  errors.push(...parsed.errors);

  const bRaw: Record<string, string> = {};
  for (const item of bItems) {
    const eq = item.indexOf('=');
    const flag = (eq === -1 ? item : item.slice(0, eq)).replace(/^--/, '');
    const key = FLAG_TO_KEY.get(flag);
    if (eq === -1) errors.push(`--b ${JSON.stringify(item)} must be KEY=VALUE, e.g. sparsity=0.9`);
    else if (!key) errors.push(`--b: unknown toy setting ${JSON.stringify(flag)} (the settings are the toy flags: ${[...FLAG_TO_KEY.keys()].join(', ')})`);
    else if (key in bRaw) errors.push(`--b ${flag} is given more than once`);
    else bRaw[key] = item.slice(eq + 1);
  }
  if (!bItems.length && !errors.length) errors.push('give at least one setting for B, e.g. --b sparsity=0 (B is A with these changes)');

  const flag = { naming: 'flag' } as const;
  const a = validateConfig(parsed.raw, undefined, flag);
  errors.push(...a.errors);
  // B's settings through the same validator, over A, with the same messages (prefixed with B)
  const b = a.ok ? validateConfig(bRaw, a.config, flag) : null;
  if (b) errors.push(...b.errors.map((e) => `B: ${e}`));
  let instance = 0;
  if (instanceRaw !== null) {
    instance = /^\d{1,4}$/.test(instanceRaw) ? Number(instanceRaw) : NaN;
    if (!Number.isInteger(instance)) errors.push(`--instance must be a whole number from 0; got ${JSON.stringify(instanceRaw)}`);
  }
  if (errors.length || !a.ok || !b?.ok) return { kind: 'errors', errors: [...new Set(errors)] };
  const pair = { a: a.config, b: b.config, instance };
  const clash = pairError(pair);
  if (clash) return { kind: 'errors', errors: [`--${clash}`] };
  return { kind: 'compare', pair, options: parsed.options };
}

export interface CompareCommandInput {
  pair: ComparePair;
  options: CliOptions;
  write: (out: string, text: string) => void;
}

export async function runCompareCommand({ pair, options, write }: CompareCommandInput): Promise<number> {
  // TF.js loads only now, so bad input is answered at once
  const { initBackend } = await import('../engine/shared/backend');
  const { trainSide, compareRecord } = await import('../engine/compare/run');
  const backend = (await initBackend([options.backend, 'cpu'])).active;
  const show = !options.quiet && process.stderr.isTTY;
  if (show) process.stderr.write('training A…');
  const a = trainSide(pair.a, options.engine, backend, options.curvePoints);
  if (show) process.stderr.write('\rtraining B…\x1b[K');
  const b = trainSide(pair.b, options.engine, backend, options.curvePoints);
  if (show) process.stderr.write('\r\x1b[K');
  const record = compareRecord(pair, a, b);
  const toFile = options.out !== null && options.out !== '-';
  write(toFile ? options.out! : '-', JSON.stringify(record) + '\n');
  if (!options.quiet && toFile) process.stderr.write(`wrote ${options.out}\n${compareSummary(record)}\n`);
  return 0;
}

/** Three lines: what B changed, the two geometries, the verdict. */
export function compareSummary(r: CompareRecord): string {
  const c = r.comparison;
  return [`B: ${r.changed.join(', ') || 'the same settings as A'}`, `A: ${c.geometryA} (loss ${c.lossA.toPrecision(4)})  B: ${c.geometryB} (loss ${c.lossB.toPrecision(4)})`, r.verdict].join('\n');
}
