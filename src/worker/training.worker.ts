/// <reference lib="webworker" />
// The training worker: owns the TF.js backend and the trainer; talks to the page only
// through the messages of protocol.ts. The only place in the app that imports tfjs.

import { createTrainer, initBackend, type BackendChoice, type BackendName } from '../engine/index.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { messageOf, TrainingSession } from './trainingSession.ts';
import { configureWasmPaths } from './wasmPaths.ts';

declare const self: DedicatedWorkerGlobalScope;

configureWasmPaths();

let backend: Promise<BackendChoice> | null = null;
let activeBackend: BackendChoice | null = null;

function ensureBackend(preferred: readonly BackendName[]): Promise<BackendChoice> {
  backend ??= initBackend(preferred).then((choice) => (activeBackend = choice));
  return backend;
}

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

// A MessageChannel hop lets queued messages from the page run before the next chunk
// (setTimeout would add a 4 ms clamp per chunk).
const yieldChannel = new MessageChannel();
const afterYield: (() => void)[] = [];
yieldChannel.port1.onmessage = () => afterYield.shift()?.();

const session = new TrainingSession({
  createTrainer: (config, engine) => createTrainer(config, engine),
  post,
  now: () => performance.now(),
  yieldThen: (fn) => {
    afterYield.push(fn);
    yieldChannel.port2.postMessage(null);
  },
  later: (fn, ms) => setTimeout(fn, ms),
  backend: () => activeBackend?.active ?? 'starting',
  backendFailures: () => activeBackend?.failures.map((f) => `${f.backend}: ${f.reason}`) ?? [],
});

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'configure':
      await ensureBackend(msg.backends);
      return session.configure(msg.runId, msg.config, msg.play, msg.engine, msg.record ?? null);
    case 'play':
      return session.play();
    case 'pause':
      return session.pause();
    case 'step':
      return session.step(msg.k);
    case 'reset':
      return session.reset(msg.runId);
    case 'set-speed':
      return session.setSpeed(msg.stepsPerSecond);
    case 'drawn':
      return session.drawn();
    case 'ping':
      return post({ type: 'pong', t: msg.t });
    case 'crash':
      setTimeout(() => {
        throw new Error('crash requested by the test hook');
      });
  }
}

// Messages are handled one at a time, in order (configure may wait for the backend).
let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'ping') return post({ type: 'pong', t: msg.t });
  queue = queue.then(() =>
    handle(msg).catch((e: unknown) => {
      const runId = msg.type === 'configure' || msg.type === 'reset' ? msg.runId : null;
      post({ type: 'error', runId, message: messageOf(e) });
    }),
  );
};
