/// <reference lib="webworker" />
// The worker's side of every module's conversation: post to the page, a clock for the session's
// scheduler, and `serve`, which answers pings at once (even while a message waits for a backend),
// acts out test faults, and hands the module's own messages to its handler one at a time, in order.

import type { SchedulerHost } from './scheduler.ts';
import { messageOf, type ControlMessage, type WorkerFault } from './sharedProtocol.ts';

declare const self: DedicatedWorkerGlobalScope;

export function postToPage<Out>(msg: Out, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

/** A MessageChannel hop lets queued messages from the page run before the next chunk (setTimeout would add a 4 ms clamp per chunk). */
export function workerClock(): Required<SchedulerHost> {
  const channel = new MessageChannel();
  const afterYield: (() => void)[] = [];
  channel.port1.onmessage = () => afterYield.shift()?.();
  return {
    now: () => performance.now(),
    yieldThen(fn) {
      afterYield.push(fn);
      channel.port2.postMessage(null);
    },
    later: (fn, ms) => void setTimeout(fn, ms),
  };
}

/**
 * Handle the page's messages. `handle` gets everything but pings and faults; when it throws (or
 * rejects), `errorOf` turns the message and the reason into the module's error message.
 */
export function serve<In extends { type: string }, Out>(
  handle: (msg: Exclude<In, { type: 'ping' | 'fault' }>) => void | Promise<void>,
  errorOf: (msg: In, message: string) => Out,
): void {
  let queue: Promise<void> = Promise.resolve();
  self.onmessage = (event: MessageEvent<In | ControlMessage>) => {
    const msg = event.data;
    if (msg.type === 'ping') return postToPage({ type: 'pong', t: (msg as { t: number }).t });
    if (msg.type === 'fault') return actOut((msg as { fault: WorkerFault }).fault);
    queue = queue.then(async () => {
      try {
        await handle(msg as Exclude<In, { type: 'ping' | 'fault' }>);
      } catch (e) {
        postToPage(errorOf(msg as In, messageOf(e)));
      }
    });
  };
}

/** Test hooks: die the ways a worker can die. */
function actOut(fault: WorkerFault): void {
  if (fault === 'close') return self.close();
  if (fault === 'hang') for (;;); // never answers again: only the heartbeat can tell
  setTimeout(() => {
    throw new Error('crash requested by the test hook');
  });
}
