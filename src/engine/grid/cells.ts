// The cells of a grid: each axis's values, each cell's toy config, and the trainers that train them.
// Cells that differ only in per-instance data settings (sparsity, importance decay, the last
// feature's importance) are instances of one fused trainer; cells that differ in n, m, lr, weight
// decay or batch need trainers of their own, so cells are grouped by those.

import { DEFAULT_CONFIG, type LabConfig } from '../toy/config';
import { axisOf, settingSpec, type Axis, type GridConfig } from './config';

/** The `count` values of an axis: linear, or log-spaced (sparsity: log-spaced densities 1 − S, as the lab's sweeps). */
export function axisValues(axis: Axis, count: number): number[] {
  const s = settingSpec(axis.setting);
  const t = (i: number) => (count === 1 ? 0 : i / (count - 1));
  const values = Array.from({ length: count }, (_, i) => {
    if (axis.scale === 'linear') return axis.from + (axis.to - axis.from) * t(i);
    if (axis.setting === 'sparsity') {
      const [pa, pb] = [1 - axis.from, 1 - axis.to];
      return 1 - pa * Math.pow(pb / pa, t(i));
    }
    return axis.from * Math.pow(axis.to / axis.from, t(i));
  });
  return s.integer ? values.map(Math.round) : values;
}

/** What one cell trains: the toy settings the axes set, over the grid's base. */
export interface CellSettings {
  n: number;
  m: number;
  sparsity: number;
  importanceDecay: number;
  lastImportance: number | null;
  lr: number;
  weightDecay: number;
  batch: number;
}

export interface CellPlan {
  /** index = row · cols + col; row 0 is the first y value */
  index: number;
  row: number;
  col: number;
  x: number;
  y: number;
  settings: CellSettings;
}

export function cellPlans(c: GridConfig): CellPlan[] {
  const xs = axisValues(axisOf(c, 'x'), c.cols);
  const ys = axisValues(axisOf(c, 'y'), c.rows);
  const xKey = settingSpec(c.xSetting).key;
  const yKey = settingSpec(c.ySetting).key;
  const base: CellSettings = { n: c.n, m: c.m, sparsity: c.sparsity, importanceDecay: c.importanceDecay, lastImportance: c.lastImportance, lr: c.lr, weightDecay: c.weightDecay, batch: c.batch };
  const plans: CellPlan[] = [];
  for (let row = 0; row < c.rows; row++) {
    for (let col = 0; col < c.cols; col++) {
      plans.push({ index: row * c.cols + col, row, col, x: xs[col], y: ys[row], settings: { ...base, [xKey]: xs[col], [yKey]: ys[row] } });
    }
  }
  return plans;
}

/** Importance of each feature of a cell: r^i, the last one overridden when set. */
export function cellImportance(s: Pick<CellSettings, 'n' | 'importanceDecay' | 'lastImportance'>): number[] {
  const imp = Array.from({ length: s.n }, (_, i) => Math.pow(s.importanceDecay, i));
  if (s.lastImportance !== null) imp[s.n - 1] = s.lastImportance;
  return imp;
}

/** The lab config of one cell on its own (what "open in the lab" loads): one instance, the grid's seed. */
export function cellLabConfig(c: GridConfig, s: CellSettings): LabConfig {
  return {
    ...DEFAULT_CONFIG,
    model: c.model, n: s.n, m: s.m, instances: 1, sparsity: s.sparsity, sparsityRange: null,
    importanceDecay: s.importanceDecay,
    extraImportanceRange: s.lastImportance === null ? null : [s.lastImportance, s.lastImportance],
    gridColumns: 1, steps: c.steps, batch: s.batch, lr: s.lr, weightDecay: s.weightDecay, seed: c.seed,
  };
}

/** Cells trained by one trainer: the same n, m, lr, weight decay and batch (and restart). */
export interface TrainerGroup {
  /** the trainer's config (instances = cells.length); per-instance data come from `density` and `importance` */
  config: LabConfig;
  /** which training of its cells this is (0 … restarts − 1): restart r trains with seed + r, like the phase view's passes */
  restart: number;
  /** the cell of each instance */
  cells: number[];
  /** [K][n] */
  density: Float32Array;
  importance: Float32Array;
}

/** The trainers of a grid: every group of cells once per restart, all first trainings before the second ones. */
export function trainerGroups(c: GridConfig, plans: readonly CellPlan[] = cellPlans(c)): TrainerGroup[] {
  const byKey = new Map<string, CellPlan[]>();
  for (const p of plans) {
    const s = p.settings;
    const key = [s.n, s.m, s.lr, s.weightDecay, s.batch].join('|');
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  const groups: TrainerGroup[] = [];
  for (let restart = 0; restart < c.restarts; restart++) {
    for (const members of byKey.values()) {
      const s = members[0].settings;
      const K = members.length;
      const density = new Float32Array(K * s.n);
      const importance = new Float32Array(K * s.n);
      members.forEach((p, k) => {
        const imp = cellImportance(p.settings);
        for (let i = 0; i < s.n; i++) {
          density[k * s.n + i] = 1 - p.settings.sparsity;
          importance[k * s.n + i] = imp[i];
        }
      });
      const config: LabConfig = { ...cellLabConfig(c, s), instances: K, extraImportanceRange: null, seed: (c.seed + restart) >>> 0 };
      groups.push({ config, restart, cells: members.map((p) => p.index), density, importance });
    }
  }
  return groups;
}
