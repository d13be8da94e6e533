// Train a grid: one fused trainer per group of cells (cells.ts), one group after another, in chunks
// a worker or the CLI drives. Every `CHECK_EVERY` steps each cell is classified; a cell has settled
// once its structure (geometry, features represented, the last feature's phase) has held for
// `settle` × steps, and a trainer stops as soon as all its cells have settled (or at `steps`).

import { FusedTrainer } from '../toy/fused/fusedTrainer';
import { instanceB, instanceW } from '../toy/snapshot';
import type { Phase } from '../toy/theory';
import { axisOf, type GridConfig, type GridSetting } from './config';
import { axisValues, cellImportance, cellLabConfig, cellPlans, trainerGroups, type CellPlan, type CellSettings, type TrainerGroup } from './cells';
import { cellFacts, cellLoss, factsSignature, theoryPhase, type CellFacts } from './classify';

/** Steps between classifications (settling is judged at this resolution). */
export const CHECK_EVERY = 50;

export type CellStatus = 'waiting' | 'training' | 'done';

export interface GridCell extends Partial<CellFacts> {
  index: number;
  row: number;
  col: number;
  x: number;
  y: number;
  settings: CellSettings;
  status: CellStatus;
  /** steps its trainer has taken */
  step: number;
  /** the step since which its structure has not changed (−1: not classified yet) */
  since: number;
  /** with restarts, the exact expected loss of the training kept; else the trainer's mean loss over its last steps */
  loss: number;
  /** closed-form phase of the last feature (n = 2, m = 1 only) */
  theory: Phase | null;
  /** the cell's trained W (m×n, row-major), when classified */
  W?: number[];
  /** which training (restart) the cell shows */
  restart?: number;
}

export interface GridProgress {
  /** steps taken over all trainers / the most they could take */
  done: number;
  total: number;
  group: number;
  groups: number;
  cellsDone: number;
  seconds: number;
}

export class GridRun {
  readonly plans: CellPlan[];
  readonly groups: TrainerGroup[];
  readonly cells: GridCell[];
  private trainer: FusedTrainer | null = null;
  private group = 0;
  private signature: string[] = [];
  private since: number[] = [];
  /** per cell: trainings finished */
  private readonly finished: Int32Array;
  private stepsTaken = 0;
  private seconds = 0;
  readonly settleSteps: number;

  constructor(readonly config: GridConfig) {
    this.plans = cellPlans(config);
    this.groups = trainerGroups(config, this.plans);
    this.finished = new Int32Array(this.plans.length);
    this.settleSteps = Math.max(CHECK_EVERY, Math.round(config.settle * config.steps));
    this.cells = this.plans.map((p) => ({
      index: p.index, row: p.row, col: p.col, x: p.x, y: p.y, settings: p.settings, status: 'waiting', step: 0, since: -1, loss: NaN,
      theory: theoryPhase(p.settings, cellImportance(p.settings), config.model),
    }));
  }

  get done(): boolean {
    return this.group >= this.groups.length;
  }

  /** Train about `steps` steps of the current trainer (a multiple of CHECK_EVERY at most); true when the whole grid is done. */
  step(steps: number): boolean {
    if (this.done) return true;
    const t0 = performance.now();
    const g = this.groups[this.group];
    if (!this.trainer) {
      this.trainer = new FusedTrainer(g.config, { data: { density: g.density, importance: g.importance } });
      this.signature = g.cells.map(() => '');
      this.since = g.cells.map(() => 0);
      for (const i of g.cells) if (this.finished[i] === 0) this.cells[i].status = 'training';
    }
    const tr = this.trainer;
    let left = Math.max(1, steps);
    let finished = false;
    while (left > 0 && !finished) {
      const k = Math.min(left, CHECK_EVERY - (tr.stepsDone % CHECK_EVERY), this.config.steps - tr.stepsDone);
      tr.step(k);
      left -= k;
      this.stepsTaken += k;
      if (tr.stepsDone % CHECK_EVERY === 0 || tr.stepsDone === this.config.steps) finished = this.classify(g, tr, false);
    }
    if (finished) this.finishGroup(g, tr);
    this.seconds += (performance.now() - t0) / 1000;
    return this.done;
  }

  /**
   * Classify every instance of the group. While a cell's first training runs it shows that one live; after that
   * it keeps, of its finished trainings, the one with the lowest loss (exact expected loss where n ≤ 8). True
   * when every instance has settled or the steps are used up.
   */
  private classify(g: TrainerGroup, tr: FusedTrainer, final: boolean): boolean {
    const s = tr.snapshot();
    const { n, m } = g.config;
    let settled = true;
    g.cells.forEach((i, k) => {
      const cell = this.cells[i];
      const W = instanceW(s, k);
      const facts = cellFacts(W, m, n);
      const sig = factsSignature(facts);
      if (sig !== this.signature[k]) {
        this.signature[k] = sig;
        this.since[k] = s.step;
      }
      if (s.step - this.since[k] < this.settleSteps) settled = false;
      if (!final && this.finished[i] > 0) return;
      const loss = final ? cellLoss(W, instanceB(s, k), cellImportance(cell.settings), cell.settings, this.config.model === 'linear', s.losses[k], this.config.restarts > 1) : s.losses[k];
      if (final && this.finished[i] > 0 && !(loss < cell.loss)) return;
      Object.assign(cell, facts, { step: s.step, since: this.since[k], loss, W: Array.from(W), restart: g.restart });
    });
    return (this.config.settle > 0 && settled) || s.step >= this.config.steps;
  }

  private finishGroup(g: TrainerGroup, tr: FusedTrainer): void {
    this.classify(g, tr, true);
    for (const i of g.cells) {
      this.finished[i]++;
      if (this.finished[i] === this.config.restarts) this.cells[i].status = 'done';
    }
    tr.dispose();
    this.trainer = null;
    this.group++;
  }

  progress(): GridProgress {
    return {
      done: this.stepsTaken,
      total: this.groups.length * this.config.steps,
      group: Math.min(this.group, this.groups.length - 1),
      groups: this.groups.length,
      cellsDone: this.cells.filter((c) => c.status === 'done').length,
      seconds: this.seconds,
    };
  }

  /** Share of cells whose last feature is in its closed-form phase (null when no cell has a closed form). */
  agreement(): number | null {
    const judged = this.cells.filter((c) => c.theory !== null);
    if (!judged.length) return null;
    return judged.filter((c) => c.phase === c.theory).length / judged.length;
  }

  dispose(): void {
    this.trainer?.dispose();
    this.trainer = null;
  }
}

/** Train a grid to the end (CLI, tests, bench). */
export function runGrid(config: GridConfig, onProgress?: (p: GridProgress) => void): GridRun {
  const run = new GridRun(config);
  try {
    while (!run.step(200)) onProgress?.(run.progress());
  } finally {
    run.dispose();
  }
  return run;
}

export interface GridAxisRecord {
  setting: GridSetting;
  scale: 'linear' | 'log';
  values: number[];
}

export interface GridRecord {
  version: 1;
  kind: 'grid';
  config: GridConfig;
  x: GridAxisRecord;
  y: GridAxisRecord;
  trainers: number;
  /** steps taken over all trainers (early stops make it less than trainers × steps) */
  stepsTaken: number;
  seconds: number;
  agreement: number | null;
  cells: Omit<GridCell, 'status' | 'since'>[];
}

const round = (x: number, digits = 6) => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);

/** The grid as JSON: what the CLI writes and the tab exports. */
export function gridRecord(config: GridConfig, cells: readonly GridCell[], meta: { trainers: number; stepsTaken: number; seconds: number; agreement: number | null }): GridRecord {
  const axis = (a: 'x' | 'y', count: number): GridAxisRecord => ({ setting: axisOf(config, a).setting, scale: axisOf(config, a).scale, values: axisValues(axisOf(config, a), count).map((v) => round(v)) });
  return {
    version: 1, kind: 'grid', config, x: axis('x', config.cols), y: axis('y', config.rows),
    trainers: meta.trainers, stepsTaken: meta.stepsTaken, seconds: round(meta.seconds, 4), agreement: meta.agreement === null ? null : round(meta.agreement, 4),
    cells: cells.map(({ status: _s, since: _t, ...c }) => ({ ...c, x: round(c.x), y: round(c.y), dims: c.dims === undefined ? undefined : round(c.dims, 4), loss: round(c.loss), W: c.W?.map((w) => round(w, 5)) })),
  };
}

export function recordOfRun(run: GridRun): GridRecord {
  const p = run.progress();
  return gridRecord(run.config, run.cells, { trainers: run.groups.length, stepsTaken: p.done, seconds: p.seconds, agreement: run.agreement() });
}

const csvField = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The grid as CSV: one line per cell. */
export function gridCsv(config: GridConfig, cells: readonly Pick<GridCell, 'row' | 'col' | 'x' | 'y' | 'geometry' | 'represented' | 'dims' | 'phase' | 'loss' | 'step' | 'theory'>[]): string {
  const head = ['row', 'col', config.xSetting, config.ySetting, 'geometry', 'represented', 'dims_per_feature', 'last_feature_phase', 'loss', 'steps', 'theory_phase'];
  const lines = cells.map((c) => [c.row, c.col, round(c.x), round(c.y), c.geometry, c.represented, c.dims === undefined ? '' : round(c.dims, 4), c.phase, round(c.loss), c.step, c.theory].map(csvField).join(','));
  return [head.join(','), ...lines].join('\n') + '\n';
}

export { cellLabConfig };
