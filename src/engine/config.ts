// One declarative table of config fields. The validator, the CLI's flags and --help,
// and (later) the URL codec are all derived from it, so a field is described once.

export const MODELS = ['relu-output', 'linear', 'relu-hidden', 'relu-hidden-tied'] as const;
export type ModelKind = (typeof MODELS)[number];

export const ANTI_CONVENTIONS = ['paper', 'marginal'] as const;
export type AnticorrelatedConvention = (typeof ANTI_CONVENTIONS)[number];

export interface LabConfig {
  model: ModelKind;
  /** number of features (input dimension) */
  n: number;
  /** hidden dimensions */
  m: number;
  /** K independent models trained together */
  instances: number;
  /** probability that a feature is zero (used when sparsityRange is null) */
  sparsity: number;
  /** [first, last] sparsity across instances; densities are log-spaced as in the colab */
  sparsityRange: [number, number] | null;
  /** importance of feature i is importanceDecay^i */
  importanceDecay: number;
  /** [first, last] importance of the LAST feature across instances (columns of a grid), log-spaced; null = r^(n−1) */
  extraImportanceRange: [number, number] | null;
  /** > 1 arranges the instances as a grid: sparsity varies down the rows, extraImportanceRange across the columns */
  gridColumns: number;
  steps: number;
  batch: number;
  lr: number;
  weightDecay: number;
  seed: number;
  /** leading features grouped into sets that switch on together */
  correlatedSets: number;
  /** next features grouped into sets with at most one feature on */
  anticorrelatedSets: number;
  /** features per correlated / anticorrelated set */
  setSize: number;
  /** paper: set on w.p. p (each feature p/size); marginal: each feature active w.p. p (ARENA) */
  anticorrelatedConvention: AnticorrelatedConvention;
}

export const DEFAULT_CONFIG: Readonly<LabConfig> = Object.freeze({
  model: 'relu-output',
  n: 5,
  m: 2,
  instances: 1,
  sparsity: 0.95,
  sparsityRange: null,
  importanceDecay: 0.9,
  extraImportanceRange: null,
  gridColumns: 1,
  steps: 10_000,
  batch: 1024,
  lr: 1e-3,
  weightDecay: 0.01,
  // At S=0.95 about 2 seeds in 3 reach the pentagon and the rest stop in the "two antipodal pairs"
  // local minimum (science.md A3; PyTorch with the same recipe: 27/40 seeds, this engine 26/40).
  // Seed 1 is a pentagon, so the defaults show the paper's figure.
  seed: 1,
  correlatedSets: 0,
  anticorrelatedSets: 0,
  setSize: 2,
  anticorrelatedConvention: 'paper',
});

/** Upper bound on floats in one batch tensor (K·batch·n); keeps memory under ~64 MB per tensor. */
export const MAX_BATCH_ELEMENTS = 1 << 24;
/** Upper bound on parameters per weight matrix (K·n·m). */
export const MAX_PARAMS = 1 << 22;

type FieldKind =
  | { kind: 'bool' }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'float'; min: number; max: number; minExclusive?: boolean; maxExclusive?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'range'; min: number; max: number; maxExclusive: boolean; /** what the two numbers are, for messages (default 'sparsities') */ items?: string };

export interface FieldSpec<T = LabConfig> {
  key: keyof T & string;
  flag: string;
  help: string;
  type: FieldKind;
  /** may be null (only sparsityRange) */
  nullable?: boolean;
}

export const FIELDS: readonly FieldSpec<LabConfig>[] = [
  { key: 'model', flag: 'model', help: 'relu-output (x\' = ReLU(WᵀWx + b)), linear (x\' = WᵀWx + b), relu-hidden (y ≈ |x| through a ReLU hidden layer, untied W₂) or relu-hidden-tied (the privileged-basis storage model: h = ReLU(Wx), x\' = ReLU(Wᵀh + b))', type: { kind: 'enum', values: MODELS } },
  { key: 'n', flag: 'n', help: 'number of features', type: { kind: 'int', min: 1, max: 512 } },
  { key: 'm', flag: 'm', help: 'hidden dimensions', type: { kind: 'int', min: 1, max: 64 } },
  { key: 'instances', flag: 'instances', help: 'K models trained side by side (one per sparsity in a sweep)', type: { kind: 'int', min: 1, max: 1024 } },
  { key: 'sparsity', flag: 'sparsity', help: 'probability S that a feature is zero, same for every instance', type: { kind: 'float', min: 0, max: 1, maxExclusive: true } },
  { key: 'sparsityRange', flag: 'sparsity-range', help: 'a:b spreads sparsity over the K instances from a to b, densities 1−S log-spaced (the colab uses 0:0.95)', type: { kind: 'range', min: 0, max: 1, maxExclusive: true }, nullable: true },
  { key: 'importanceDecay', flag: 'importance-decay', help: 'importance of feature i is r^i (1 = all equal)', type: { kind: 'float', min: 0, max: 1, minExclusive: true } },
  { key: 'extraImportanceRange', flag: 'extra-importance-range', help: 'a:b gives the last feature importance a…b across instances (log-spaced; the phase diagrams use 0.1:10)', type: { kind: 'range', min: 0, max: 1000, maxExclusive: false }, nullable: true },
  { key: 'gridColumns', flag: 'grid-columns', help: 'arrange the instances as a grid with this many columns: sparsity varies by row, the extra importance by column', type: { kind: 'int', min: 1, max: 1024 } },
  { key: 'steps', flag: 'steps', help: 'optimiser steps', type: { kind: 'int', min: 1, max: 10_000_000 } },
  { key: 'batch', flag: 'batch', help: 'samples per step (a fresh batch every step)', type: { kind: 'int', min: 1, max: 65_536 } },
  { key: 'lr', flag: 'lr', help: 'AdamW learning rate', type: { kind: 'float', min: 0, max: 1, minExclusive: true } },
  { key: 'weightDecay', flag: 'weight-decay', help: 'AdamW decoupled weight decay (PyTorch default 0.01)', type: { kind: 'float', min: 0, max: 1 } },
  { key: 'seed', flag: 'seed', help: 'random seed: the same config and seed give the same run', type: { kind: 'int', min: 0, max: 4_294_967_295 } },
  { key: 'correlatedSets', flag: 'correlated-sets', help: 'number of correlated feature sets (features in a set are on or off together)', type: { kind: 'int', min: 0, max: 256 } },
  { key: 'anticorrelatedSets', flag: 'anticorrelated-sets', help: 'number of anticorrelated feature sets (at most one feature of a set is on)', type: { kind: 'int', min: 0, max: 256 } },
  { key: 'setSize', flag: 'set-size', help: 'features per correlated / anticorrelated set', type: { kind: 'int', min: 2, max: 512 } },
  { key: 'anticorrelatedConvention', flag: 'anticorrelated-convention', help: 'paper: a set is on with probability p; marginal: each feature is on with probability p (ARENA)', type: { kind: 'enum', values: ANTI_CONVENTIONS } },
];

export type ValidationResult<T = LabConfig> =
  | { ok: true; config: T; errors: [] }
  | { ok: false; config: null; errors: string[] };

function describeRange(t: Extract<FieldKind, { kind: 'int' | 'float' | 'range' }>): string {
  const minEx = 'minExclusive' in t && t.minExclusive;
  const maxEx = 'maxExclusive' in t && t.maxExclusive;
  if (!minEx && !maxEx) return `from ${t.min} to ${t.max}`;
  return `${minEx ? 'above' : 'at least'} ${t.min} and ${maxEx ? 'below' : 'at most'} ${t.max}`;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return typeof value;
}

/** Strictly parse a number from a number or a whole numeric string ("1e-3", "0.5"); anything else is NaN. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  const s = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return NaN;
  return Number(s);
}

function inBounds(x: number, t: { min: number; max: number; minExclusive?: boolean; maxExclusive?: boolean }): boolean {
  const aboveMin = t.minExclusive ? x > t.min : x >= t.min;
  const belowMax = t.maxExclusive ? x < t.max : x <= t.max;
  return aboveMin && belowMax;
}

function parseField<T>(spec: FieldSpec<T>, value: unknown, name: string): { value?: unknown; error?: string } {
  if (value === null && spec.nullable) return { value: null };
  const t = spec.type;
  switch (t.kind) {
    case 'bool':
      if (value === true || value === 'true' || value === 'on' || value === '1') return { value: true };
      if (value === false || value === 'false' || value === 'off' || value === '0') return { value: false };
      return { error: `${name} must be true or false (on/off); got ${show(value)}` };
    case 'enum':
      if (typeof value === 'string' && t.values.includes(value)) return { value };
      return { error: `${name} must be one of ${t.values.join(', ')}; got ${show(value)}` };
    case 'int': {
      const x = toNumber(value);
      if (!Number.isInteger(x) || x < t.min || x > t.max)
        return { error: `${name} must be an integer ${describeRange(t)}; got ${show(value)}` };
      return { value: x };
    }
    case 'float': {
      const x = toNumber(value);
      if (!Number.isFinite(x) || !inBounds(x, t)) return { error: `${name} must be a number ${describeRange(t)}; got ${show(value)}` };
      return { value: x };
    }
    case 'range': {
      const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(':') : [];
      const [a, b] = parts.map(toNumber);
      const ok = parts.length === 2 && [a, b].every((x) => Number.isFinite(x) && inBounds(x, t));
      if (!ok) return { error: `${name} must be two ${t.items ?? 'sparsities'} a:b, each ${describeRange(t)}; got ${show(value)}` };
      return { value: [a, b] };
    }
  }
}

export interface ValidateOptions {
  /** 'flag' names fields as the CLI user typed them (--importance-decay); default: the config key */
  naming?: 'key' | 'flag';
}

/**
 * The one validation mechanism for every setting that enters from outside (CLI, URL, form, JSON
 * import). `input` may hold strings or numbers; missing keys take their value from `base`.
 * Returns every problem at once, one readable sentence each.
 */
export function validateFields<T extends object>(
  fields: readonly FieldSpec<T>[],
  input: unknown,
  base: Readonly<T>,
  opts: ValidateOptions,
  crossField: (c: T) => string[],
): ValidationResult<T> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, config: null, errors: [`settings must be an object; got ${show(input)}`] };
  }
  const nameOf = (spec: FieldSpec<T>) => (opts.naming === 'flag' ? `--${spec.flag}` : spec.key);
  const raw = input as Record<string, unknown>;
  const errors: string[] = [];
  const known = new Set<string>(fields.map((f) => f.key));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) errors.push(`unknown setting "${key.slice(0, 40)}"; known settings: ${[...known].join(', ')}`);
  }
  const out: Record<string, unknown> = { ...base };
  for (const spec of fields) {
    if (!Object.prototype.hasOwnProperty.call(raw, spec.key) || raw[spec.key] === undefined) continue;
    const parsed = parseField(spec, raw[spec.key], nameOf(spec));
    if (parsed.error) errors.push(parsed.error);
    else out[spec.key] = parsed.value;
  }
  if (errors.length === 0) errors.push(...crossField(out as T));
  return errors.length ? { ok: false, config: null, errors } : { ok: true, config: out as T, errors: [] };
}

/** Validate a toy-model config (see validateFields). */
export function validateConfig(input: unknown, base: Readonly<LabConfig> = DEFAULT_CONFIG, opts: ValidateOptions = {}): ValidationResult<LabConfig> {
  return validateFields(FIELDS, input, base, opts, crossFieldErrors);
}

function crossFieldErrors(c: LabConfig): string[] {
  const errors: string[] = [];
  const inSets = (c.correlatedSets + c.anticorrelatedSets) * c.setSize;
  if (inSets > c.n) {
    errors.push(`correlated and anticorrelated sets need ${inSets} features (${c.correlatedSets + c.anticorrelatedSets} sets × ${c.setSize}) but n is ${c.n}`);
  }
  if (c.anticorrelatedSets > 0 && c.anticorrelatedConvention === 'marginal') {
    const worst = c.sparsityRange ? Math.min(...c.sparsityRange) : c.sparsity;
    if ((1 - worst) * c.setSize > 1) {
      errors.push(`the marginal anticorrelated convention needs density (1−S)·setSize ≤ 1; got (1−${worst})·${c.setSize} = ${((1 - worst) * c.setSize).toFixed(3)}`);
    }
  }
  if (c.model === 'relu-hidden' && (c.correlatedSets > 0 || c.anticorrelatedSets > 0)) {
    errors.push('relu-hidden (the |x| task) uses independent features; set correlatedSets and anticorrelatedSets to 0');
  }
  if (c.extraImportanceRange && !(c.extraImportanceRange[0] > 0 && c.extraImportanceRange[1] > 0)) {
    errors.push(`extraImportanceRange must be two positive importances (they are log-spaced); got ${c.extraImportanceRange.join(':')}`);
  }
  if (c.instances % c.gridColumns !== 0) errors.push(`instances (${c.instances}) must be a multiple of gridColumns (${c.gridColumns}) to fill the grid`);
  const batchElems = c.instances * c.batch * c.n;
  if (batchElems > MAX_BATCH_ELEMENTS) {
    errors.push(`instances × batch × n is ${batchElems}; the largest allowed is ${MAX_BATCH_ELEMENTS} (lower the batch or the number of instances)`);
  }
  const params = c.instances * c.n * c.m;
  if (params > MAX_PARAMS) errors.push(`instances × n × m is ${params}; the largest allowed is ${MAX_PARAMS}`);
  return errors;
}

/** Where t ∈ [0,1] sits between a and b on a log scale. */
const logLerp = (a: number, b: number, t: number) => a * Math.pow(b / a, t);

/** Instance k's row and column (a single row when gridColumns is 1) and the grid's size. */
export function gridPosition(c: Pick<LabConfig, 'instances' | 'gridColumns'>, k: number): { row: number; col: number; rows: number; cols: number } {
  const cols = c.gridColumns;
  const rows = Math.max(1, Math.floor(c.instances / cols));
  return { row: Math.floor(k / cols), col: k % cols, rows, cols };
}

/**
 * Sparsity of each instance: constant, or log-spaced densities across the range (colab: p_k = 20^−linspace(0,1,K)).
 * In a grid the sparsity changes from row to row.
 */
export function instanceSparsities(c: Pick<LabConfig, 'instances' | 'sparsity' | 'sparsityRange'> & Partial<Pick<LabConfig, 'gridColumns'>>): number[] {
  const K = c.instances;
  if (!c.sparsityRange) return Array.from({ length: K }, () => c.sparsity);
  const [pa, pb] = [1 - c.sparsityRange[0], 1 - c.sparsityRange[1]];
  const grid = { instances: K, gridColumns: c.gridColumns ?? 1 };
  return Array.from({ length: K }, (_, k) => {
    const { row, rows, cols } = gridPosition(grid, k);
    const [i, count] = cols > 1 ? [row, rows] : [k, K];
    return 1 - logLerp(pa, pb, count === 1 ? 0 : i / (count - 1));
  });
}

/** Importance of each feature, r^i (the same in every instance unless extraImportanceRange is set). */
export function featureImportance(c: Pick<LabConfig, 'n' | 'importanceDecay'>): number[] {
  return Array.from({ length: c.n }, (_, i) => Math.pow(c.importanceDecay, i));
}

/** Importance of every feature in every instance, [K][n]: r^i, with the last feature's spread across the columns. */
export function instanceImportance(c: Pick<LabConfig, 'n' | 'instances' | 'importanceDecay' | 'extraImportanceRange' | 'gridColumns'>): number[][] {
  const base = featureImportance(c);
  return Array.from({ length: c.instances }, (_, k) => {
    if (!c.extraImportanceRange) return base;
    const { col, cols } = gridPosition(c, k);
    const [i, count] = cols > 1 ? [col, cols] : [k, c.instances];
    const imp = [...base];
    imp[c.n - 1] = logLerp(c.extraImportanceRange[0], c.extraImportanceRange[1], count === 1 ? 0 : i / (count - 1));
    return imp;
  });
}
