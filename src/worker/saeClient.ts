// The SAE view's clients: one worker for the live SAE, one for the Sharkey sweep (the same script).
// Both are the generic client: the same heartbeat, restart and draw back-pressure as the lab's.

import { WorkerClient, type WorkerClientOptions } from './client.ts';
import type { FromSaeWorker, ToSaeWorker } from './saeProtocol.ts';

type Start<T extends ToSaeWorker['type']> = Omit<Extract<ToSaeWorker, { type: T }>, 'type' | 'runId' | 'sweepId' | 'play'>;
/** What an SAE run is asked with: its base model, settings and engine. */
export type SaeRun = Start<'configure'>;
/** What a sweep is asked with. */
export type SaeSweepRun = Start<'sweep-start'>;

type Handlers<Spec> = Omit<WorkerClientOptions<ToSaeWorker, FromSaeWorker, Spec>, 'label' | 'spawn' | 'start' | 'runIdOf'>;

const spawnSaeWorker = (name: string) => new Worker(new URL('./sae.worker.ts', import.meta.url), { type: 'module', name });

export function createSaeClient(handlers: Handlers<SaeRun>): WorkerClient<ToSaeWorker, FromSaeWorker, SaeRun> {
  return new WorkerClient({ ...handlers, label: 'SAE', spawn: () => spawnSaeWorker('sae'), start: (runId, run, play) => ({ type: 'configure', runId, play, ...run }) });
}

/** The sweep's run id is its sweepId. */
export function createSweepClient(handlers: Handlers<SaeSweepRun>): WorkerClient<ToSaeWorker, FromSaeWorker, SaeSweepRun> {
  return new WorkerClient({
    ...handlers,
    label: 'SAE sweep',
    spawn: () => spawnSaeWorker('sae-sweep'),
    start: (sweepId, run) => ({ type: 'sweep-start', sweepId, ...run }),
    runIdOf: (msg) => (msg.type === 'sweep' || msg.type === 'error' ? msg.sweepId : undefined),
  });
}
