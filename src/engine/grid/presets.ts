// Named grids: the pentagon config over sparsity × importance decay, and the paper's two phase diagrams
// (science.md §4.6–4.7), which the "Phase diagrams" view trains as its presets (views.ts phaseViewConfig).

import { DEFAULT_GRID_CONFIG, type GridConfig } from './config';
import type { LabConfig } from '../toy/config';

export interface GridPreset {
  id: string;
  label: string;
  config: GridConfig;
}

// The phase diagrams: the extra (last) feature's importance 0.1…10 across, sparsity 0…0.99 down. lr 1e-1 for
// 150 steps lands in the same phases as lr 1e-2 for 1000 at under a sixth of the work (measured, seed 1, 3 passes:
// n=2, m=1 380/400 = 95% of cells agree with the closed form, was 373–374/400; lr 5e-2 × 300: 378/400; n=3, m=2
// 48 / 179 / 173 cells dropped / dedicated / superposition, 47 / 179 / 174 with lr 5e-2 × 300).
const phase = (n: number, m: number): GridConfig => ({
  ...DEFAULT_GRID_CONFIG,
  xSetting: 'last-importance', xFrom: 0.1, xTo: 10, xScale: 'log',
  ySetting: 'sparsity', yFrom: 0, yTo: 0.99, yScale: 'log',
  cols: 20, rows: 20, classify: 'phase',
  n, m, importanceDecay: 1, lastImportance: null, steps: 150, batch: 512, lr: 1e-1, restarts: 3, settle: 0,
});

export const GRID_PRESETS: readonly GridPreset[] = [
  { id: 'pentagon', label: 'Pentagon config: sparsity × importance decay', config: { ...DEFAULT_GRID_CONFIG, cols: 20, rows: 20 } },
  { id: 'phase-n2m1', label: 'Phase diagram n = 2, m = 1', config: phase(2, 1) },
  { id: 'phase-n3m2', label: 'Phase diagram n = 3, m = 2', config: phase(3, 2) },
];

export const gridPreset = (id: string): GridConfig => GRID_PRESETS.find((p) => p.id === id)!.config;

/**
 * The phase view's run config for a phase grid: the same cells as instances of one trainer (sparsity down
 * the rows, the last feature's importance across the columns, both log-spaced as in the grid), with the
 * grid's restarts as the view's passes (seeds s, s+1, …; each cell keeps the lowest expected loss).
 */
export function phaseViewConfig(g: GridConfig): Partial<LabConfig> {
  return {
    n: g.n, m: g.m, instances: g.cols * g.rows, gridColumns: g.cols,
    sparsityRange: [g.yFrom, g.yTo], extraImportanceRange: [g.xFrom, g.xTo], importanceDecay: g.importanceDecay,
    steps: g.steps, batch: g.batch, lr: g.lr,
  };
}
