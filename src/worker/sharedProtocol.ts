// What every worker and the page say to each other whatever the module: run control, the
// heartbeat, draw acknowledgements, test faults, errors and the fields of a status report.
// A module's protocol is these plus its own messages (protocol.ts, saeProtocol.ts).

/** How a test can break a worker from inside: an uncaught throw, self.close(), or an endless loop. */
export type WorkerFault = 'throw' | 'close' | 'hang';

/** Page → worker, understood by every worker. */
export type ControlMessage =
  | { type: 'play' }
  | { type: 'pause' }
  /** Same settings, back to step 0 under a new run id. */
  | { type: 'reset'; runId: number }
  /** The page has drawn the last snapshot: the worker may send the next (back-pressure for slow pages). */
  | { type: 'drawn' }
  /** Heartbeat: the worker answers with 'pong' at once, even while a message waits. */
  | { type: 'ping'; t: number }
  /** Test hook. */
  | { type: 'fault'; fault: WorkerFault };

/** Something went wrong but the worker is alive; `runId` says which request failed (if any). */
export interface ErrorMessage {
  type: 'error';
  runId: number | null;
  message: string;
}

/** Worker → page, from every worker. */
export type ControlReply = { type: 'pong'; t: number } | ErrorMessage;

/** What every status report says about the run in progress. */
export interface RunStatusFields {
  type: 'status';
  runId: number;
  step: number;
  totalSteps: number;
  playing: boolean;
  done: boolean;
  /** optimiser steps per second over the last quarter second of training (0 when paused) */
  stepsPerSecond: number;
  /** wall time of one optimiser step, ms (rolling estimate); the heartbeat tolerates a silence of a few steps */
  msPerStep: number;
  engine: string;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
