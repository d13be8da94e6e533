// `npm run lab -- grid --x sparsity:0:0.99:log --y importance-decay:0.5:1 --cells 12x12 [toy flags] --out grid.json`:
// train a grid over two of the toy model's settings (issue 18) and write it as JSON ({"version":1,"kind":"grid",…},
// engine/grid/run.ts gridRecord) or, for an --out ending in .csv, as CSV (one line per cell).

import { DEFAULT_GRID_CONFIG, GRID_FIELDS, GRID_SETTINGS, parseAxis, parseCells, validateGridConfig, type GridConfig } from '../engine/grid/config';
import type { FieldSpec } from '../engine/shared/fields';
import type { GridProgress, GridRecord } from '../engine/grid/run';
import { flagRows } from './args';
import { checkOut, STDOUT } from './output';

export interface GridCliOptions {
  out: string | null;
  quiet: boolean;
  help: boolean;
}

/** The table's fields the CLI takes as flags (the axes and the resolution come as --x, --y and --cells). */
const AXIS_KEYS = new Set(['xSetting', 'xFrom', 'xTo', 'xScale', 'ySetting', 'yFrom', 'yTo', 'yScale', 'cols', 'rows']);
const TOY_FLAGS = GRID_FIELDS.filter((f) => !AXIS_KEYS.has(f.key));

const OWN_FLAGS: [string, string][] = [
  ['--x SETTING:FROM:TO[:log]', `the setting across the grid and its range (settings: ${GRID_SETTINGS.join(', ')}); :log spaces the values logarithmically (sparsity: its densities 1 − S)`],
  ['--y SETTING:FROM:TO[:log]', 'the setting down the grid and its range'],
  ['--cells COLSxROWS', 'the resolution, e.g. 12x12 (each 2…32)'],
  ['--out FILE', 'write the grid to FILE: JSON, or CSV when FILE ends in .csv (default, or -: JSON to stdout)'],
  ['--quiet', 'no progress line'],
  ['--help', 'show this help'],
];

export function gridHelp(): string {
  const rows = [...OWN_FLAGS, ...flagRows(TOY_FLAGS as FieldSpec<object>[])];
  const width = Math.max(...rows.map(([a]) => a.length)) + 2;
  const d = DEFAULT_GRID_CONFIG;
  return [
    'A grid over two settings — every cell trains the toy model (cells differing only in sparsity or importance share',
    'one fused trainer) and is classified by its geometry; each trainer stops once every cell\'s class has settled.',
    '',
    'Usage: npm run lab -- grid --x SETTING:FROM:TO[:log] --y SETTING:FROM:TO[:log] --cells COLSxROWS [flags] --out FILE',
    'Example: npm run lab -- grid --x sparsity:0:0.99:log --y importance-decay:0.5:1 --cells 12x12 --out grid.json',
    'Phase diagram (n = 2, m = 1): npm run lab -- grid --x last-importance:0.1:10:log --y sparsity:0:0.99:log --cells 20x20 --n 2 --m 1 --importance-decay 1 --steps 150 --lr 0.1 --restarts 3 --settle 0 --classify phase',
    '',
    `Flags (defaults: the pentagon config n = ${d.n}, m = ${d.m}, ${d.steps} steps of batch ${d.batch} at lr ${d.lr}):`,
    ...rows.map(([a, b]) => `  ${a.padEnd(width)}${b}`),
    '',
    'Exit codes: 0 done, 2 bad input (one line per problem on stderr), 1 failure.',
  ].join('\n');
}

export type GridPlan = { kind: 'help'; text: string } | { kind: 'errors'; errors: string[] } | { kind: 'grid'; config: GridConfig; options: GridCliOptions };

/** Every problem of a grid command line (argv after "grid"), before any work, or the validated config. */
export function checkGridCommand(argv: readonly string[]): GridPlan {
  const options: GridCliOptions = { out: null, quiet: false, help: false };
  const errors: string[] = [];
  const raw: Record<string, unknown> = {};
  const byFlag = new Map(TOY_FLAGS.map((f) => [f.flag, f]));
  const seen = new Set<string>();
  const given: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      errors.push(`unexpected argument ${JSON.stringify(arg)}; flags look like --x sparsity:0:0.99:log (see --help)`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (seen.has(name)) errors.push(`--${name} is given more than once`);
    seen.add(name);
    if (name === 'help' || name === 'quiet') {
      options[name] = true;
      continue;
    }
    const known = name === 'x' || name === 'y' || name === 'cells' || name === 'out' || byFlag.has(name);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (!known) {
      errors.push(`unknown flag --${name} (see npm run lab -- grid --help)`);
      continue;
    }
    if (value === undefined || value === '') {
      errors.push(`--${name} needs a value`);
      continue;
    }
    given[name] = value;
  }
  if (options.help) return { kind: 'help', text: gridHelp() };
  for (const a of ['x', 'y'] as const) {
    if (given[a] === undefined) {
      errors.push(`--${a} is required, e.g. --${a} ${a === 'x' ? 'sparsity:0:0.99:log' : 'importance-decay:0.5:1'}`);
      continue;
    }
    const parsed = parseAxis(given[a], `--${a}`);
    if (!parsed.axis) errors.push(...parsed.errors);
    else Object.assign(raw, { [`${a}Setting`]: parsed.axis.setting, [`${a}From`]: parsed.axis.from, [`${a}To`]: parsed.axis.to, [`${a}Scale`]: parsed.axis.scale });
  }
  if (given.cells !== undefined) {
    const cells = parseCells(given.cells);
    if ('error' in cells) errors.push(cells.error);
    else Object.assign(raw, cells);
  }
  for (const [flag, value] of Object.entries(given)) {
    const f = byFlag.get(flag);
    if (f) raw[f.key] = value;
  }
  if (given.out !== undefined) {
    options.out = given.out;
    const e = checkOut(given.out);
    if (e) errors.push(e);
  }
  // the axes are judged with the rest only when they and the resolution parsed (one problem, one line)
  if ('xSetting' in raw && 'ySetting' in raw && (given.cells === undefined || 'cols' in raw)) {
    const r = validateGridConfig(raw, DEFAULT_GRID_CONFIG, { naming: 'flag' });
    if (!r.ok) errors.push(...r.errors);
    else if (!errors.length) return { kind: 'grid', config: r.config, options };
  }
  return { kind: 'errors', errors: [...new Set(errors)] };
}

export async function runGridCommand(config: GridConfig, options: GridCliOptions, write: (out: string, text: string) => void): Promise<number> {
  const { runGrid, recordOfRun, gridCsv } = await import('../engine/grid/run');
  const show = !options.quiet && process.stderr.isTTY;
  const run = runGrid(config, show ? progressLine() : undefined);
  if (show) process.stderr.write('\r\x1b[K');
  const record = recordOfRun(run);
  const out = options.out ?? STDOUT;
  const csv = out !== STDOUT && out.toLowerCase().endsWith('.csv');
  write(out, csv ? gridCsv(config, run.cells) : JSON.stringify(record) + '\n');
  if (!options.quiet && out !== STDOUT) process.stderr.write(`wrote ${out}\n${gridSummary(record)}\n`);
  return 0;
}

function progressLine(): (p: GridProgress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 100) return;
    last = now;
    process.stderr.write(`\rtrainer ${p.group + 1}/${p.groups}: ${p.cellsDone} cells done, ${p.done} steps\x1b[K`);
  };
}

/** How many cells of each class, and the time. */
export function gridSummary(r: GridRecord): string {
  const counts = new Map<string, number>();
  for (const c of r.cells) counts.set(String(c.geometry), (counts.get(String(c.geometry)) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`).join(', ');
  return `${r.cells.length} cells, ${r.trainers} trainer${r.trainers === 1 ? '' : 's'}, ${r.stepsTaken} steps in ${r.seconds.toFixed(1)} s${r.agreement === null ? '' : `; ${(100 * r.agreement).toFixed(1)}% of cells in their closed-form phase`}\n  ${top}`;
}
