// The typed conversation between the page and the grid worker (grid.worker.ts): the grid's settings go
// in; statuses and the cells (engine/grid/run.ts GridCell, plain data) come back as they are classified.

import type { GridConfig } from '../engine/grid/config.ts';
import type { GridCell } from '../engine/grid/run.ts';
import type { ControlMessage, ErrorMessage, RunStatusFields } from './sharedProtocol.ts';

export type ToGridWorker = ControlMessage | { type: 'configure'; runId: number; config: GridConfig; play: boolean };

export interface GridRunSpec {
  config: GridConfig;
}

export interface GridStatusMessage extends RunStatusFields {
  cellsDone: number;
  cells: number;
  trainer: number;
  trainers: number;
  seconds: number;
  agreement: number | null;
}

/** Every cell as it stands (sent at most ~4 times a second, and once more when a trainer finishes). */
export interface GridCellsMessage {
  type: 'cells';
  runId: number;
  cells: GridCell[];
}

export type FromGridWorker = GridStatusMessage | GridCellsMessage | { type: 'pong'; t: number } | ErrorMessage;
