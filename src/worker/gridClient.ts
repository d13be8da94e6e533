// The "Grid" tab's client: the generic WorkerClient (heartbeat, restart with the last good run) with the
// grid worker's spawn function and start message.

import { WorkerClient, type WorkerClientOptions } from './client.ts';
import type { FromGridWorker, GridRunSpec, ToGridWorker } from './gridProtocol.ts';

type Handlers = Omit<WorkerClientOptions<ToGridWorker, FromGridWorker, GridRunSpec>, 'label' | 'spawn' | 'start'>;

export type GridClient = WorkerClient<ToGridWorker, FromGridWorker, GridRunSpec>;

export function createGridClient(handlers: Handlers): GridClient {
  return new WorkerClient({
    ...handlers,
    label: 'grid',
    // one chunk may end with classifying every cell of a trainer (expected losses included)
    silenceMs: 8000,
    spawn: () => new Worker(new URL('./grid.worker.ts', import.meta.url), { type: 'module', name: 'grid' }),
    start: (runId, spec, play) => ({ type: 'configure', runId, config: spec.config, play }),
  });
}
