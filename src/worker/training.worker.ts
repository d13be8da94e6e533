/// <reference lib="webworker" />
// The training worker: owns the TF.js backend and the trainer; talks to the page only
// through the messages of protocol.ts. The only place in the app that imports tfjs.

import { createTrainer, initBackend, type BackendChoice, type BackendName } from '../engine/index.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { TrainingSession } from './trainingSession.ts';
import { configureWasmPaths } from './wasmPaths.ts';
import { postToPage, serve, workerClock } from './workerHost.ts';

configureWasmPaths();

let backend: Promise<BackendChoice> | null = null;
let activeBackend: BackendChoice | null = null;

function ensureBackend(preferred: readonly BackendName[]): Promise<BackendChoice> {
  backend ??= initBackend(preferred).then((choice) => (activeBackend = choice));
  return backend;
}

const session = new TrainingSession({
  ...workerClock(),
  createTrainer: (config, engine) => createTrainer(config, engine),
  post: postToPage<FromWorker>,
  backend: () => activeBackend?.active ?? 'starting',
  backendFailures: () => activeBackend?.failures.map((f) => `${f.backend}: ${f.reason}`) ?? [],
});

serve<ToWorker, FromWorker>(
  async (msg) => {
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
    }
  },
  (msg, message) => ({ type: 'error', runId: msg.type === 'configure' || msg.type === 'reset' ? msg.runId : null, message }),
);
