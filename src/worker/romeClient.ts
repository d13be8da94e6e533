// The "Locate & edit" tab's client: the generic WorkerClient (heartbeat, restart with the last good model) with the
// rome worker's spawn function and start message. The worker keeps answering after its model is ready (traces,
// edits), so the client is never released: a crash loads the model again and the controller asks again.

import { WorkerClient, type WorkerClientOptions } from './client.ts';
import type { FromRomeWorker, RomeModelSpec, ToRomeWorker } from './romeProtocol.ts';

type Handlers = Omit<WorkerClientOptions<ToRomeWorker, FromRomeWorker, RomeModelSpec>, 'label' | 'spawn' | 'start'>;

export type RomeClient = WorkerClient<ToRomeWorker, FromRomeWorker, RomeModelSpec>;

/** One unit of the worker's work (an edit, an evaluation of every fact) can take a second or two on a slow machine. */
export const ROME_SILENCE_MS = 10_000;

export function createRomeClient(handlers: Handlers): RomeClient {
  return new WorkerClient({
    silenceMs: ROME_SILENCE_MS,
    ...handlers,
    label: 'locate & edit',
    spawn: () => new Worker(new URL('./rome.worker.ts', import.meta.url), { type: 'module', name: 'rome' }),
    start: (runId, spec) => ({ type: 'configure', runId, spec }),
  });
}
