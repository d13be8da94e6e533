// The "Grid" tab's store: its settings, the worker's status and every cell as last classified, and the
// cell under the pointer. Side effects live in gridController.ts.

import { create } from 'zustand';
import { DEFAULT_GRID_CONFIG, type GridConfig } from '../engine/grid/config.ts';
import type { GridCell } from '../engine/grid/run.ts';
import type { WorkerHealth } from '../worker/client.ts';
import type { GridStatusMessage } from '../worker/gridProtocol.ts';

export type GridRunStatus = Omit<GridStatusMessage, 'type'>;

export interface GridViewState {
  /** the settings the controls show (always valid) */
  config: GridConfig;
  /** problems of the last edit, by field (the axes' range problems under the axis's "from") */
  editErrors: Partial<Record<keyof GridConfig, string[]>>;
  /** the settings of the run the cells belong to */
  runConfig: GridConfig | null;
  status: GridRunStatus | null;
  cells: GridCell[];
  /** the cell the pointer or the keyboard is on */
  focus: number | null;
  health: WorkerHealth;
  notice: string | null;
}

export const useGrid = create<GridViewState>()(() => ({
  config: { ...DEFAULT_GRID_CONFIG },
  editErrors: {},
  runConfig: null,
  status: null,
  cells: [],
  focus: null,
  health: { state: 'starting' },
  notice: null,
}));
