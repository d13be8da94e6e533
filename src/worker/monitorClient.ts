// The "Monitor & ablate" tab's client: the generic WorkerClient (heartbeat, restart with the last good run,
// draw back-pressure) with the monitor worker's spawn function and start message. The target the live
// monitor follows is read when a run starts, so a restarted worker streams what the page shows.

import { WorkerClient, type WorkerClientOptions } from './client.ts';
import type { FromMonitorWorker, MonitorRunSpec, ToMonitorWorker } from './monitorProtocol.ts';

type Handlers = Omit<WorkerClientOptions<ToMonitorWorker, FromMonitorWorker, MonitorRunSpec>, 'label' | 'spawn' | 'start'>;

export type MonitorClient = WorkerClient<ToMonitorWorker, FromMonitorWorker, MonitorRunSpec>;

export function createMonitorClient(handlers: Handlers, target: () => number): MonitorClient {
  return new WorkerClient({
    ...handlers,
    label: 'monitor',
    // the base trains for tens of seconds in chunks; one chunk of the analysis may take a second
    silenceMs: 8000,
    spawn: () => new Worker(new URL('./monitor.worker.ts', import.meta.url), { type: 'module', name: 'monitor' }),
    start: (runId, spec, play) => ({ type: 'configure', runId, config: spec.config, given: spec.given, play, target: target() }),
  });
}
