// The toy model's settings: the config type, its defaults, its field table (validated by
// shared/fields.ts) and the per-instance quantities derived from it.

import { validateFields, type FieldSpec, type ValidateOptions, type ValidationResult } from '../shared/fields';

export type { FieldSpec, ValidateOptions, ValidationResult };

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

export function validateConfig(input: unknown, base: Readonly<LabConfig> = DEFAULT_CONFIG, opts: ValidateOptions = {}): ValidationResult<LabConfig> {
  return validateFields(FIELDS, input, base, opts, crossFieldErrors);
}

function crossFieldErrors(c: LabConfig, name: (key: keyof LabConfig & string) => string = (k) => k): string[] {
  const errors: string[] = [];
  const inSets = (c.correlatedSets + c.anticorrelatedSets) * c.setSize;
  if (inSets > c.n) {
    errors.push(`correlated and anticorrelated sets need ${inSets} features (${c.correlatedSets + c.anticorrelatedSets} sets of ${name('setSize')} ${c.setSize}) but ${name('n')} is ${c.n}`);
  }
  if (c.anticorrelatedSets > 0 && c.anticorrelatedConvention === 'marginal') {
    const worst = c.sparsityRange ? Math.min(...c.sparsityRange) : c.sparsity;
    if ((1 - worst) * c.setSize > 1) {
      errors.push(`the marginal anticorrelated convention needs density (1−S)·${name('setSize')} ≤ 1; got (1−${worst})·${c.setSize} = ${((1 - worst) * c.setSize).toFixed(3)}`);
    }
  }
  if (c.model === 'relu-hidden' && (c.correlatedSets > 0 || c.anticorrelatedSets > 0)) {
    errors.push(`relu-hidden (the |x| task) uses independent features; set ${name('correlatedSets')} and ${name('anticorrelatedSets')} to 0`);
  }
  if (c.extraImportanceRange && !(c.extraImportanceRange[0] > 0 && c.extraImportanceRange[1] > 0)) {
    errors.push(`${name('extraImportanceRange')} must be two positive importances (they are log-spaced); got ${c.extraImportanceRange.join(':')}`);
  }
  if (c.instances % c.gridColumns !== 0) errors.push(`${name('instances')} (${c.instances}) must be a multiple of ${name('gridColumns')} (${c.gridColumns}) to fill the grid`);
  const batchElems = c.instances * c.batch * c.n;
  if (batchElems > MAX_BATCH_ELEMENTS) {
    errors.push(`${name('instances')} × ${name('batch')} × ${name('n')} is ${batchElems}; the largest allowed is ${MAX_BATCH_ELEMENTS} (lower the batch or the number of instances)`);
  }
  const params = c.instances * c.n * c.m;
  if (params > MAX_PARAMS) errors.push(`${name('instances')} × ${name('n')} × ${name('m')} is ${params}; the largest allowed is ${MAX_PARAMS}`);
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
