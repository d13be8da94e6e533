// Wires the "Grid" tab's store to its worker: settings are validated (validateGridConfig: the axes'
// ranges, integers, the same setting twice …), debounced and sent; statuses and cells come back into the
// store. One controller per page, created when the tab (or one of its panels, embedded) first mounts.

import { validateGridConfig, type GridConfig } from '../engine/grid/config.ts';
import type { WorkerHealth } from '../worker/client.ts';
import { createGridClient } from '../worker/gridClient.ts';
import type { FromGridWorker } from '../worker/gridProtocol.ts';
import type { WorkerFault } from '../worker/sharedProtocol.ts';
import { useGrid } from './gridStore.ts';

export const GRID_DEBOUNCE_MS = 300;

export interface GridController {
  /** validate some settings together (an axis is four of them); on success the grid trains again. Returns the errors. */
  edit(partial: Partial<Record<keyof GridConfig, unknown>>): string[];
  /** settings from a link or a preset, as a whole */
  restore(config: GridConfig): void;
  play(): void;
  pause(): void;
  reset(): void;
  fault(kind: 'terminate' | WorkerFault): void;
  dispose(): void;
}

export interface GridTestHooks {
  controller: GridController;
  read(): {
    config: GridConfig;
    runConfig: GridConfig | null;
    /** steps taken over all trainers */
    step: number;
    cells: number;
    cellsDone: number;
    classified: number;
    done: boolean;
    health: WorkerHealth['state'];
    agreement: number | null;
    editErrors: string[];
  };
}

declare global {
  interface Window {
    __grid?: GridTestHooks;
  }
}

export function createGridController(): GridController {
  let runId = 0;
  let debounce: ReturnType<typeof setTimeout> | null = null;

  const client = createGridClient({
    onMessage: receive,
    onRunStarted: (_id, spec) => useGrid.setState({ runConfig: spec.config, status: null, cells: [] }),
    onHealth: (health) => {
      const notice = health.state === 'restarting' ? `${health.reason}. Restarted it; the grid trains again.` : health.state === 'failed' ? health.reason : useGrid.getState().notice;
      useGrid.setState({ health, notice });
    },
  });

  function receive(msg: FromGridWorker): void {
    switch (msg.type) {
      case 'status': {
        if (msg.runId !== runId) return;
        const { type: _t, ...status } = msg;
        void _t;
        useGrid.setState({ status });
        return;
      }
      case 'cells':
        if (msg.runId === runId) useGrid.setState({ cells: msg.cells });
        return;
      case 'error':
        useGrid.setState({ notice: `The grid worker reported: ${msg.message}` });
        return;
      case 'pong':
        return;
    }
  }

  function configure(config: GridConfig): void {
    useGrid.setState({ runConfig: config, status: null, cells: [], focus: null });
    runId = client.configure({ config }, true);
  }

  function restartSoon(): void {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      configure(useGrid.getState().config);
    }, GRID_DEBOUNCE_MS);
  }

  const controller: GridController = {
    edit(partial) {
      const { config } = useGrid.getState();
      const keys = Object.keys(partial) as (keyof GridConfig)[];
      const result = validateGridConfig(partial, config);
      if (!result.ok) {
        useGrid.setState({ editErrors: { [keys[0]]: result.errors } });
        return result.errors;
      }
      useGrid.setState({ config: result.config, editErrors: {} });
      // what a cell shows needs no retraining: every cell carries all its facts
      const run = useGrid.getState().runConfig;
      if (keys.every((k) => k === 'classify') && run) useGrid.setState({ runConfig: { ...run, classify: result.config.classify } });
      else restartSoon();
      return [];
    },
    restore(config) {
      if (debounce) clearTimeout(debounce);
      useGrid.setState({ config, editErrors: {} });
      configure(config);
    },
    play: () => client.play(),
    pause: () => client.pause(),
    reset: () => configure(useGrid.getState().runConfig ?? useGrid.getState().config),
    fault: (kind) => client.fault(kind),
    dispose() {
      if (debounce) clearTimeout(debounce);
      client.dispose();
    },
  };

  configure(useGrid.getState().config);
  exposeHooks(controller);
  return controller;
}

function exposeHooks(controller: GridController): void {
  if (typeof window === 'undefined') return;
  window.__grid = {
    controller,
    read() {
      const s = useGrid.getState();
      return {
        config: s.config,
        runConfig: s.runConfig,
        step: s.status?.step ?? 0,
        cells: s.cells.length,
        cellsDone: s.cells.filter((c) => c.status === 'done').length,
        classified: s.cells.filter((c) => c.geometry !== undefined).length,
        done: s.status?.done ?? false,
        health: s.health.state,
        agreement: s.status?.agreement ?? null,
        editErrors: Object.values(s.editErrors).flat() as string[],
      };
    },
  };
}

let singleton: GridController | null = null;

export const existingGridController = (): GridController | null => singleton;

export function getGridController(): GridController {
  singleton ??= createGridController();
  return singleton;
}
