/// <reference lib="webworker" />
// The monitor worker: trains the base and the SAE of the "Monitor & ablate" tab, measures the detectors and
// ablations, and streams the live monitor. Talks to the page only through monitorProtocol.ts. The toy base
// trains on TF.js (the tied ReLU-hidden model), so its backend starts before a toy run.

import { initBackend } from '../engine/shared/backend.ts';
import type { FromMonitorWorker, ToMonitorWorker } from './monitorProtocol.ts';
import { MonitorSession } from './monitorSession.ts';
import { configureWasmPaths } from './wasmPaths.ts';
import { postToPage, serve, workerClock } from './workerHost.ts';

configureWasmPaths();
let backend: Promise<unknown> | null = null;

const session = new MonitorSession({ ...workerClock(), post: postToPage<FromMonitorWorker> });

serve<ToMonitorWorker, FromMonitorWorker>(
  async (msg) => {
    switch (msg.type) {
      case 'configure':
        if (msg.config.base === 'toy') await (backend ??= initBackend(['wasm', 'cpu']));
        return session.configure(msg.runId, msg.config, msg.play, msg.target, msg.given);
      case 'focus':
        return session.setTarget(msg.target);
      case 'play':
        return session.play();
      case 'pause':
        return session.pause();
      case 'reset':
        return session.reset(msg.runId);
      case 'drawn':
        return session.drawn();
    }
  },
  (msg, message) => ({ type: 'error', runId: msg.type === 'configure' || msg.type === 'reset' ? msg.runId : null, message }),
);
