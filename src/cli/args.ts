// Command-line flags → a raw config (checked by the one validator) plus the CLI's own options.

import { FIELDS, type FieldSpec } from '../engine/toy/config';
import { SAE_FIELDS } from '../engine/sae/config';
import { viewTargets } from '../engine/views/views';
import { ROME_FIELDS } from '../engine/rome/config';
import { INDUCTION_FIELDS } from '../engine/transformer/config';
import { MONITOR_FIELDS } from '../engine/monitor/config';

import { ENGINE_CHOICES, SELECTABLE_BACKENDS } from '../engine/shared/engines';

export const ENGINES = ENGINE_CHOICES;
export const SAE_ENGINES = ENGINE_CHOICES;
export const BACKENDS = SELECTABLE_BACKENDS;

export interface CliOptions {
  out: string | null;
  quiet: boolean;
  help: boolean;
  engine: (typeof ENGINES)[number];
  backend: (typeof BACKENDS)[number];
  /** loss-curve points (approximately) */
  curvePoints: number;
  /** sae, sae-sweep: the SAE engine */
  saeEngine: (typeof SAE_ENGINES)[number];
  /** sae-sweep: dictionary sizes as multiples of the number of true features */
  ratios: number[] | null;
  /** --view: train one of the paper's views (or one run of it) and write the numbers its panels show */
  view: string | null;
  /** sae --data file:…: ground-truth directions to score MMCS against (a path, read by check.ts) */
  truth: string | null;
}

interface CliFlag {
  flag: string;
  help: string;
  boolean?: boolean;
  set(opts: CliOptions, value: string): string | null;
}

const oneOf = <T extends string>(name: string, values: readonly T[], assign: (o: CliOptions, v: T) => void) =>
  (o: CliOptions, v: string): string | null => {
    if (!(values as readonly string[]).includes(v)) return `--${name} must be one of ${values.join(', ')}; got ${JSON.stringify(v)}`;
    assign(o, v as T);
    return null;
  };

export const CLI_FLAGS: readonly CliFlag[] = [
  { flag: 'out', help: 'write the run as JSON to FILE, a new or regular file in a writable directory (default, or -: print it to stdout)', set: (o, v) => ((o.out = v), null) },
  { flag: 'engine', help: `training engine: ${ENGINES.join(', ')} (auto picks the fastest that covers the model)`, set: oneOf('engine', ENGINES, (o, v) => (o.engine = v)) },
  { flag: 'backend', help: `TF.js backend for the tfjs engine: ${BACKENDS.join(', ')} (default wasm, falls back to cpu)`, set: oneOf('backend', BACKENDS, (o, v) => (o.backend = v)) },
  {
    flag: 'curve-points',
    help: 'about how many points the loss curve keeps (default 200)',
    set: (o, v) => {
      const x = Number(v);
      if (!/^\d+$/.test(v) || x < 1 || x > 100_000) return `--curve-points must be an integer from 1 to 100000; got ${JSON.stringify(v)}`;
      o.curvePoints = x;
      return null;
    },
  },
  { flag: 'quiet', help: 'no progress bar', boolean: true, set: (o) => ((o.quiet = true), null) },
  { flag: 'help', help: 'show this help', boolean: true, set: (o) => ((o.help = true), null) },
];

/** Flags of the train command only: the paper's views. */
export const VIEW_CLI_FLAGS: readonly CliFlag[] = [
  {
    flag: 'view',
    help: `train one of the paper's views and write the numbers its panels show: ${viewTargets().join(', ')}`,
    set: (o, v) => {
      if (!viewTargets().includes(v)) return `--view must be one of ${viewTargets().join(', ')}; got ${JSON.stringify(v)}`;
      o.view = v;
      return null;
    },
  },
];

/** Flags of the SAE commands only. */
export const SAE_CLI_FLAGS: readonly CliFlag[] = [
  { flag: 'sae-engine', help: `SAE engine: ${SAE_ENGINES.join(', ')} (auto: the fused one, the faster at every size measured)`, set: oneOf('sae-engine', SAE_ENGINES, (o, v) => (o.saeEngine = v)) },
  {
    flag: 'truth',
    help: 'with --data file:…, file:dirs.npy (or .json): ground-truth directions [k][d] to score MMCS',
    set: (o, v) => {
      if (!v.startsWith('file:') || v.length === 5) return `--truth must be file:PATH (a .npy or JSON file of directions [k][d]); got ${JSON.stringify(v)}`;
      o.truth = v.slice(5);
      return null;
    },
  },
];

/** Flags of sae-sweep only. */
export const SWEEP_CLI_FLAGS: readonly CliFlag[] = [
  {
    flag: 'ratios',
    help: 'dictionary sizes as multiples of the number of true features G, comma-separated (default 0.5,1,2,4)',
    set: (o, v) => {
      const xs = v.split(',').map((x) => x.trim());
      if (xs.some((x) => !/^(\d+\.?\d*|\.\d+)$/.test(x))) return `--ratios must be positive numbers separated by commas, e.g. 0.5,1,2,4; got ${JSON.stringify(v)}`;
      o.ratios = xs.map(Number);
      return null;
    },
  },
];

/** Flags of the rome command: only the output ones (it picks its engine and backend itself). */
export const ROME_CLI_FLAGS: readonly CliFlag[] = CLI_FLAGS.filter((f) => ['out', 'quiet', 'help'].includes(f.flag));

/** The CLI's own flags that the induction command takes (its engine is a config field). */
export const INDUCTION_CLI_FLAGS: readonly CliFlag[] = CLI_FLAGS.filter((f) => ['out', 'backend', 'quiet', 'help'].includes(f.flag));

/** The monitor command's own flags: only the output ones (its engines are the lab's defaults). */
export const MONITOR_CLI_FLAGS: readonly CliFlag[] = CLI_FLAGS.filter((f) => ['out', 'quiet', 'help'].includes(f.flag));

export const COMMANDS = ['train', 'sae', 'sae-sweep', 'induction', 'rome', 'monitor'] as const;
export type Command = (typeof COMMANDS)[number];

export interface ParsedArgs {
  command: Command;
  /** toy-model settings as typed, for validateConfig */
  raw: Record<string, string>;
  /** SAE settings as typed, for validateSaeConfig */
  saeRaw: Record<string, string>;
  options: CliOptions;
  errors: string[];
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const command: Command = argv[0] === 'sae' || argv[0] === 'sae-sweep' || argv[0] === 'induction' || argv[0] === 'rome' || argv[0] === 'monitor' ? argv[0] : 'train';
  if (command !== 'train') argv = argv.slice(1);
  const options: CliOptions = { out: null, quiet: false, help: false, engine: 'auto', backend: 'wasm', curvePoints: 200, saeEngine: 'auto', ratios: null, view: null, truth: null };
  const raw: Record<string, string> = {};
  const saeRaw: Record<string, string> = {};
  const errors: string[] = [];
  // the sae command splits its flags between the toy and SAE tables; the monitor command has one table of its own
  const saeKeys = new Set<string>(command === 'monitor' ? [] : SAE_FIELDS.map((f) => f.key));
  const tables: readonly FieldSpec<object>[] =
    command === 'sae' ? ([...FIELDS, ...SAE_FIELDS] as FieldSpec<object>[])
    : command === 'sae-sweep' ? (SAE_FIELDS as FieldSpec<object>[])
    : command === 'induction' ? (INDUCTION_FIELDS as FieldSpec<object>[])
    : command === 'rome' ? (ROME_FIELDS as FieldSpec<object>[])
    : command === 'monitor' ? (MONITOR_FIELDS as FieldSpec<object>[])
    : (FIELDS as FieldSpec<object>[]);
  const configFlags = new Map<string, FieldSpec<object>>(tables.map((f) => [f.flag, f]));
  const cliFlags = new Map(
    (command === 'induction' ? INDUCTION_CLI_FLAGS : command === 'rome' ? ROME_CLI_FLAGS : command === 'monitor' ? MONITOR_CLI_FLAGS : [...CLI_FLAGS, ...(command === 'train' ? VIEW_CLI_FLAGS : SAE_CLI_FLAGS), ...(command === 'sae-sweep' ? SWEEP_CLI_FLAGS : [])]).map((f) => [f.flag, f]),
  );
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      // a run of stray words is one problem, one line
      const words = [arg];
      while (i + 1 < argv.length && (!argv[i + 1].startsWith('--') || argv[i + 1] === '--')) words.push(argv[++i]);
      errors.push(`unexpected argument${words.length > 1 ? 's' : ''} ${words.map((w) => JSON.stringify(w)).join(' ')}; flags look like ${command === 'induction' ? '--layers 2' : command === 'monitor' ? '--target 3' : '--n 5'} (see --help)`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const field = configFlags.get(name);
    const cli = cliFlags.get(name);
    if (!field && !cli) {
      errors.push(`unknown flag --${name} (see --help)`);
      // its value goes with it: one problem, one line
      if (eq === -1 && i + 1 < argv.length && !argv[i + 1].startsWith('--')) i++;
      continue;
    }
    if (seen.has(name)) errors.push(`--${name} is given more than once`);
    seen.add(name);
    if (cli?.boolean) {
      if (eq !== -1) errors.push(`--${name} takes no value`);
      else cli.set(options, '');
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    else if (field?.type.kind === 'bool') value = 'on'; // a bare switch (--mlp) turns it on
    if (value === undefined || value === '') {
      errors.push(`--${name} needs a value`);
      continue;
    }
    if (field) (saeKeys.has(field.key) ? saeRaw : raw)[field.key] = value;
    else {
      const err = cli!.set(options, value);
      if (err) errors.push(err);
    }
  }
  if ('sparsity' in raw && 'sparsityRange' in raw) errors.push('give either --sparsity or --sparsity-range, not both');
  if (command !== 'monitor' && 'l1' in saeRaw && 'l1Range' in saeRaw) errors.push('give either --l1 or --l1-range, not both');
  return { command, raw, saeRaw, options, errors };
}

export function flagRows(fields: readonly FieldSpec<object>[]): [string, string][] {
  const value = (f: FieldSpec<object>) => (f.type.kind === 'enum' ? f.type.values.join('|') : f.type.kind === 'range' ? 'a:b' : f.type.kind === 'bool' ? 'on|off' : 'X');
  return fields.map((f) => [`--${f.flag} ${value(f)}`, f.help]);
}

export function helpText(): string {
  const rows: [string, string][] = [
    ...flagRows(FIELDS as FieldSpec<object>[]),
    ...CLI_FLAGS.map((f): [string, string] => [`--${f.flag}${f.boolean ? '' : ' X'}`, f.help]),
  ];
  const saeRows = flagRows(SAE_FIELDS as FieldSpec<object>[]);
  const width = Math.max(...[...rows, ...saeRows].map(([a]) => a.length)) + 2;
  return [
    'Superposition Lab — train toy models of superposition headless and write the run as JSON.',
    '',
    'Usage: npm run lab -- [flags]',
    'Example: npm run lab -- --n 5 --m 2 --sparsity 0.95 --steps 10000 --seed 1 --out run.json',
    '',
    'Flags (defaults give the pentagon: n=5, m=2, S=0.95, r=0.9):',
    ...rows.map(([a, b]) => `  ${a.padEnd(width)}${b}`),
    '',
    'The paper\'s views: npm run lab -- --view ID [toy-model flags] --out FILE',
    '  trains every run of the view (or one run) with its preset config, the flags given overriding it (e.g. --seed 2),',
    '  and writes {"version":1,"view":{…the numbers the view shows…},"runs":[one run record per run and pass]}.',
    'Example: npm run lab -- --view phase-n2m1 --out phase.json',
    ...VIEW_CLI_FLAGS.map((f) => `  ${`--${f.flag} ID`.padEnd(width)}${f.help}`),
    '',
    'Sparse autoencoders: npm run lab -- sae [toy-model flags] [SAE flags]',
    '  trains the toy model above, then SAEs on its hidden activations h = Wx (or, with --data sharkey,',
    '  on synthetic data with known features), and writes their decoders and metrics (MMCS, L0, dead latents).',
    'Example: npm run lab -- sae --sparsity 0.975 --importance-decay 1 --seed 1 --out sae.json',
    '  Your own activations: --data file:acts.npy (2-D float32/float64 .npy, or JSON {"shape":[N,d],"data":[…]} or [[…],…])',
    '  [--truth file:dirs.npy]; the record adds each latent\'s top-activating rows (README: "SAEs on your own activations").',
    ...saeRows.map(([a, b]) => `  ${a.padEnd(width)}${b}`),
    ...SAE_CLI_FLAGS.map((f) => `  ${`--${f.flag} X`.padEnd(width)}${f.help}`),
    '',
    'Sharkey et al.\'s benchmark: npm run lab -- sae-sweep [SAE flags] [--ratios a,b,…]',
    '  SAEs of dictionary size ratio × G on synthetic data with G known features, λ spread over the instances',
    '  (--l1-range); writes the grid of final MMCS, L0, dead fraction and reconstruction per (ratio, λ).',
    '  Defaults: d = 32, G = 64, 5 active, λ 1e-3:0.1 over 6 instances, batch 256, lr 3e-3, 3000 steps per ratio.',
    '  Paper size: --sharkey-dim 256 --sharkey-features 512 (slow).',
    'Example: npm run lab -- sae-sweep --ratios 0.5,1,2,4 --l1-range 0.001:0.1 --sae-instances 6 --out sweep.json',
    ...SWEEP_CLI_FLAGS.map((f) => `  ${`--${f.flag} X`.padEnd(width)}${f.help}`),
    '',
    'Induction heads in a tiny transformer: npm run lab -- induction [flags]  (flags: npm run lab -- induction --help)',
    '',
    'A grid over two settings (issue 18): npm run lab -- grid --x sparsity:0:0.99:log --y importance-decay:0.5:1 --cells 12x12 --out grid.json  (flags: npm run lab -- grid --help)',
    '',
    'Monitor & ablate (detect, monitor and ablate a feature; issue 14): npm run lab -- monitor [flags]  (flags: npm run lab -- monitor --help)',
    '',
    'A/B compare (issue 18): npm run lab -- compare [toy flags for A] --b sparsity=0 …  (flags: npm run lab -- compare --help)',
    '',
    'Causal tracing and ROME: npm run lab -- rome [flags]',
    '  the facts model of transformers.md §2.1 (the shipped one for the default config, else trained), the causal-tracing',
    '  heatmaps averaged over --trace-facts facts, --edits independent edits with ROME, the naive rank-one update and',
    '  fine-tuning, and 10 sequential ROME edits; writes {"version":1,"kind":"rome",…}.',
    'Example: npm run lab -- rome --seed 1 --edits 50 --out rome.json',
    ...flagRows(ROME_FIELDS as FieldSpec<object>[]).map(([a, b]) => `  ${a.padEnd(width)}${b}`),
    '',
    'Exit codes: 0 done, 2 bad input (one line per problem on stderr), 1 failure.',
  ].join('\n');
}
