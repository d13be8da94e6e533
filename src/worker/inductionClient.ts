// The induction tab's client: the generic WorkerClient (heartbeat, restart with the last good run,
// draw back-pressure) with the induction worker's spawn function and start message. The focus
// (sequence, zeroed heads) is read when a run starts, so a restarted worker shows what the page shows.

import type { InductionConfig } from '../engine/transformer/config.ts';
import { WorkerClient, type WorkerClientOptions } from './client.ts';
import type { FromInductionWorker, InductionFocus, ToInductionWorker } from './inductionProtocol.ts';

type Handlers = Omit<WorkerClientOptions<ToInductionWorker, FromInductionWorker, InductionConfig>, 'label' | 'spawn' | 'start'>;

export type InductionClient = WorkerClient<ToInductionWorker, FromInductionWorker, InductionConfig>;

export function createInductionClient(handlers: Handlers, focus: () => InductionFocus): InductionClient {
  return new WorkerClient({
    ...handlers,
    label: 'induction',
    spawn: () => new Worker(new URL('./induction.worker.ts', import.meta.url), { type: 'module', name: 'induction' }),
    start: (runId, config, play) => ({ type: 'configure', runId, config, play, ...focus() }),
  });
}
