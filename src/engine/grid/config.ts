// Settings of a grid over two of the toy model's settings (issue 18 item 2): which two settings the
// axes vary, their ranges (linear or log) and resolution, how each cell is classified, and the toy
// config every cell starts from. One field table (shared/fields.ts) gives the tab's URL keys (grid.…)
// and the CLI's toy flags; the CLI's `--x sparsity:0:0.99:log` and `--cells 12x12` are parsed here too.

import { validateFields, type FieldSpec, type ValidateOptions, type ValidationResult } from '../shared/fields';
import { FIELDS as TOY_FIELDS, MAX_BATCH_ELEMENTS, type LabConfig } from '../toy/config';

/** The settings an axis can vary, by their CLI names. */
export const GRID_SETTINGS = ['sparsity', 'importance-decay', 'last-importance', 'n', 'm', 'lr', 'weight-decay', 'batch'] as const;
export type GridSetting = (typeof GRID_SETTINGS)[number];

export const AXIS_SCALES = ['linear', 'log'] as const;
export type AxisScale = (typeof AXIS_SCALES)[number];

/** How a cell is coloured: the named geometry, features represented, dimensions per feature, loss, or the last feature's phase. */
export const GRID_CLASSIFY = ['polytope', 'represented', 'dims', 'loss', 'phase'] as const;
export type GridClassify = (typeof GRID_CLASSIFY)[number];

export const GRID_MODELS = ['relu-output', 'linear'] as const;

export interface SettingSpec {
  id: GridSetting;
  label: string;
  /** the toy config's key it sets (last-importance: the last feature's importance) */
  key: 'sparsity' | 'importanceDecay' | 'lastImportance' | 'n' | 'm' | 'lr' | 'weightDecay' | 'batch';
  integer: boolean;
  min: number;
  max: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** true: a per-instance data setting (cells differing only in these share one trainer) */
  data: boolean;
}

/** Bounds: the toy field table's, except n, m and batch, kept to what a grid of up to 1024 cells trains in reasonable time. */
export const SETTINGS: readonly SettingSpec[] = [
  { id: 'sparsity', label: 'sparsity S', key: 'sparsity', integer: false, min: 0, max: 1, maxExclusive: true, data: true },
  { id: 'importance-decay', label: 'importance decay r', key: 'importanceDecay', integer: false, min: 0, max: 1, minExclusive: true, data: true },
  { id: 'last-importance', label: 'last feature’s importance', key: 'lastImportance', integer: false, min: 0, max: 1000, minExclusive: true, data: true },
  { id: 'n', label: 'features n', key: 'n', integer: true, min: 2, max: 64, data: false },
  { id: 'm', label: 'hidden dimensions m', key: 'm', integer: true, min: 1, max: 32, data: false },
  { id: 'lr', label: 'learning rate', key: 'lr', integer: false, min: 0, max: 1, minExclusive: true, data: false },
  { id: 'weight-decay', label: 'weight decay', key: 'weightDecay', integer: false, min: 0, max: 1, data: false },
  { id: 'batch', label: 'batch', key: 'batch', integer: true, min: 1, max: 4096, data: false },
];

export const settingSpec = (id: GridSetting): SettingSpec => SETTINGS.find((s) => s.id === id)!;

export const MIN_CELLS = 2;
export const MAX_CELLS = 32;

export interface GridConfig {
  xSetting: GridSetting;
  xFrom: number;
  xTo: number;
  xScale: AxisScale;
  ySetting: GridSetting;
  yFrom: number;
  yTo: number;
  yScale: AxisScale;
  /** cells across (x) and down (y) */
  cols: number;
  rows: number;
  classify: GridClassify;
  // the toy config every cell starts from (an axis overrides its setting)
  model: (typeof GRID_MODELS)[number];
  n: number;
  m: number;
  sparsity: number;
  importanceDecay: number;
  /** importance of the last feature; null = importanceDecay^(n−1) */
  lastImportance: number | null;
  steps: number;
  batch: number;
  lr: number;
  weightDecay: number;
  seed: number;
  /** stop a trainer early once every cell's class has held for this share of the steps (0 = train every step) */
  settle: number;
  /** trainings per cell (seeds seed, seed + 1, …, like the phase view's passes); each cell keeps the one with the lowest expected loss */
  restarts: number;
}

// The pentagon config (n = 5, m = 2) over sparsity × importance decay. lr 2e-2 for 1000 steps of batch 512 draws the
// same map as lr 1e-2 for 2000 (20×20, seed 1: dedicated / antipodal pairs / pentagon in the same regions; 57 vs 57
// cells with 2 dedicated dimensions, 126 vs 116 pentagons) in a third of the time (17 s vs 55 s in Node on a loaded machine; bench/grid.ts).
export const DEFAULT_GRID_CONFIG: Readonly<GridConfig> = Object.freeze({
  xSetting: 'sparsity',
  xFrom: 0,
  xTo: 0.99,
  xScale: 'log',
  ySetting: 'importance-decay',
  yFrom: 0.5,
  yTo: 1,
  yScale: 'linear',
  cols: 12,
  rows: 12,
  classify: 'polytope',
  model: 'relu-output',
  n: 5,
  m: 2,
  sparsity: 0.95,
  importanceDecay: 0.9,
  lastImportance: null,
  steps: 1000,
  batch: 512,
  lr: 2e-2,
  weightDecay: 0.01,
  seed: 1,
  settle: 0.25,
  restarts: 1,
});

const toyField = (key: keyof LabConfig & string, help?: string): FieldSpec<GridConfig> => {
  const f = TOY_FIELDS.find((x) => x.key === key)!;
  return { ...(f as unknown as FieldSpec<GridConfig>), ...(help ? { help } : {}) };
};

const axisFields = (a: 'x' | 'y'): FieldSpec<GridConfig>[] => [
  { key: `${a}Setting`, flag: `${a}-setting`, help: `the setting the ${a} axis varies`, type: { kind: 'enum', values: GRID_SETTINGS } },
  { key: `${a}From`, flag: `${a}-from`, help: `the ${a} axis's first value`, type: { kind: 'float', min: -1e9, max: 1e9 } },
  { key: `${a}To`, flag: `${a}-to`, help: `the ${a} axis's last value`, type: { kind: 'float', min: -1e9, max: 1e9 } },
  { key: `${a}Scale`, flag: `${a}-scale`, help: `spacing of the ${a} axis's values: linear or log (sparsity: log-spaced densities 1 − S)`, type: { kind: 'enum', values: AXIS_SCALES } },
];

export const GRID_FIELDS: readonly FieldSpec<GridConfig>[] = [
  ...axisFields('x'),
  ...axisFields('y'),
  { key: 'cols', flag: 'cols', help: 'cells along x', type: { kind: 'int', min: MIN_CELLS, max: MAX_CELLS } },
  { key: 'rows', flag: 'rows', help: 'cells along y', type: { kind: 'int', min: MIN_CELLS, max: MAX_CELLS } },
  { key: 'classify', flag: 'classify', help: 'what a cell shows: polytope (the named geometry), represented (features with ‖W_i‖ ≥ 0.5), dims (dimensions per feature m/‖W‖²_F), loss (the training loss over the last steps; with restarts, the exact expected loss) or phase (the last feature: not represented, dedicated, superposition)', type: { kind: 'enum', values: GRID_CLASSIFY } },
  { key: 'model', flag: 'model', help: 'relu-output or linear (the models the fused engine trains many at once)', type: { kind: 'enum', values: GRID_MODELS } },
  { ...toyField('n'), type: { kind: 'int', min: 2, max: 64 } },
  { ...toyField('m'), type: { kind: 'int', min: 1, max: 32 } },
  toyField('sparsity'),
  toyField('importanceDecay'),
  { key: 'lastImportance', flag: 'last-importance', help: 'importance of the last feature (default r^(n−1))', type: { kind: 'float', min: 0, max: 1000, minExclusive: true }, nullable: true },
  toyField('steps', 'optimiser steps per cell (at most)'),
  { ...toyField('batch'), type: { kind: 'int', min: 1, max: 4096 } },
  toyField('lr'),
  toyField('weightDecay'),
  toyField('seed', 'random seed: every trainer of the grid starts from it'),
  { key: 'restarts', flag: 'restarts', help: 'trainings per cell (seeds s, s+1, …); each cell keeps the one with the lowest expected loss (n ≤ 8), since one training can stop in a local minimum', type: { kind: 'int', min: 1, max: 4 } },
  { key: 'settle', flag: 'settle', help: 'stop a trainer once every cell\'s class has held for this share of the steps (0: train every step)', type: { kind: 'float', min: 0, max: 1 } },
];

export interface Axis {
  setting: GridSetting;
  from: number;
  to: number;
  scale: AxisScale;
}

export const axisOf = (c: GridConfig, a: 'x' | 'y'): Axis =>
  a === 'x' ? { setting: c.xSetting, from: c.xFrom, to: c.xTo, scale: c.xScale } : { setting: c.ySetting, from: c.yFrom, to: c.yTo, scale: c.yScale };

/** `sparsity:0:0.99:log` */
export const formatAxis = (a: Axis): string => `${a.setting}:${a.from}:${a.to}${a.scale === 'log' ? ':log' : ''}`;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Parse `setting:from:to[:log|:linear]` (the CLI's --x/--y). Syntax problems only (the setting's name,
 * the numbers); the values are judged with the rest of the config (gridErrors).
 */
export function parseAxis(text: string, name: string): { axis: Axis; errors: [] } | { axis: null; errors: string[] } {
  const parts = text.split(':');
  if (parts.length < 3 || parts.length > 4) return { axis: null, errors: [`${name} must look like setting:from:to or setting:from:to:log (e.g. sparsity:0:0.99:log); got ${JSON.stringify(text)}`] };
  const [setting, a, b, scale = 'linear'] = parts;
  const errors: string[] = [];
  if (!(GRID_SETTINGS as readonly string[]).includes(setting)) errors.push(`${name}: unknown setting ${JSON.stringify(setting)}; pick one of ${GRID_SETTINGS.join(', ')}`);
  for (const [what, v] of [['from', a], ['to', b]] as const) if (!NUMBER.test(v.trim())) errors.push(`${name}: ${what} must be a number; got ${JSON.stringify(v)}`);
  if (!(AXIS_SCALES as readonly string[]).includes(scale)) errors.push(`${name}: the scale must be linear or log; got ${JSON.stringify(scale)}`);
  if (errors.length) return { axis: null, errors };
  return { axis: { setting: setting as GridSetting, from: Number(a), to: Number(b), scale: scale as AxisScale }, errors: [] };
}

/** Parse `COLSxROWS` (the CLI's --cells). */
export function parseCells(text: string, name = '--cells'): { cols: number; rows: number } | { error: string } {
  const m = /^(\d+)x(\d+)$/.exec(text.trim());
  const ok = m && [m[1], m[2]].every((v) => Number(v) >= MIN_CELLS && Number(v) <= MAX_CELLS);
  if (!m || !ok) return { error: `${name} must be COLSxROWS, each a whole number from ${MIN_CELLS} to ${MAX_CELLS} (e.g. 12x12); got ${JSON.stringify(text)}` };
  return { cols: Number(m[1]), rows: Number(m[2]) };
}

function describe(s: SettingSpec): string {
  return `${s.minExclusive ? 'above' : 'at least'} ${s.min} and ${s.maxExclusive ? 'below' : 'at most'} ${s.max}`;
}

/** The problems of an axis against its setting (bounds, order, log, integers) — one line each. */
export function axisErrors(axis: Axis, count: number, name: string, countName: string): string[] {
  const s = settingSpec(axis.setting);
  const errors: string[] = [];
  const label = `${name} ${axis.setting}`;
  for (const [what, v] of [['from', axis.from], ['to', axis.to]] as const) {
    const inside = (s.minExclusive ? v > s.min : v >= s.min) && (s.maxExclusive ? v < s.max : v <= s.max);
    if (!inside) errors.push(`${label}: ${what} must be ${describe(s)}; got ${v}`);
    else if (s.integer && !Number.isInteger(v)) errors.push(`${label}: ${axis.setting} is a whole number; ${what} must be an integer; got ${v}`);
  }
  if (errors.length) return errors;
  if (!(axis.from < axis.to)) errors.push(`${label}: from (${axis.from}) must be below to (${axis.to})`);
  if (axis.scale === 'log' && axis.setting !== 'sparsity' && axis.from <= 0) errors.push(`${label}: a log range needs both ends above 0; got from ${axis.from}`);
  if (s.integer && axis.to - axis.from + 1 < count) errors.push(`${label}: ${axis.from}…${axis.to} has only ${axis.to - axis.from + 1} whole values but there are ${count} ${countName}; use fewer cells or a wider range`);
  return errors;
}

function crossField(c: GridConfig, opts: ValidateOptions): string[] {
  const flag = opts.naming === 'flag';
  const xName = flag ? '--x' : 'x';
  const yName = flag ? '--y' : 'y';
  const errors: string[] = [];
  if (c.xSetting === c.ySetting) errors.push(`${xName} and ${yName} both vary ${c.xSetting}; pick two different settings`);
  errors.push(...axisErrors(axisOf(c, 'x'), c.cols, xName, 'columns'), ...axisErrors(axisOf(c, 'y'), c.rows, yName, 'rows'));
  if (errors.length) return errors;
  const axisMax = (key: SettingSpec['key'], base: number) => {
    for (const a of ['x', 'y'] as const) if (settingSpec(axisOf(c, a).setting).key === key) return Math.max(axisOf(c, a).from, axisOf(c, a).to);
    return base;
  };
  const n = axisMax('n', c.n), m = axisMax('m', c.m), batch = axisMax('batch', c.batch);
  const cells = c.cols * c.rows;
  if (c.restarts > 1 && n > 8) errors.push(`restarts pick the training with the lowest expected loss, which needs n at most 8; got n ${n}`);
  if (cells * batch * n > MAX_BATCH_ELEMENTS) errors.push(`cells × batch × n is ${cells * batch * n} at the largest; the most allowed is ${MAX_BATCH_ELEMENTS} (fewer cells, a smaller batch or fewer features)`);
  if (m > n && c.classify === 'phase') errors.push(`classify phase asks what the model does with its last feature when features outnumber dimensions; m (${m}) must not exceed n (${n})`);
  return errors;
}

export function validateGridConfig(input: unknown, base: Readonly<GridConfig> = DEFAULT_GRID_CONFIG, opts: ValidateOptions = {}): ValidationResult<GridConfig> {
  return validateFields(GRID_FIELDS, input, base, opts, (c) => crossField(c, opts));
}
