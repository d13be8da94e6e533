/// <reference lib="webworker" />
// The grid worker: trains the "Grid" tab's cells on the fused engine (engine/grid/run.ts). Talks to the
// page only through gridProtocol.ts.

import type { FromGridWorker, ToGridWorker } from './gridProtocol.ts';
import { GridSession } from './gridSession.ts';
import { configureWasmPaths } from './wasmPaths.ts';
import { postToPage, serve, workerClock } from './workerHost.ts';

configureWasmPaths();
const session = new GridSession({ ...workerClock(), post: postToPage<FromGridWorker> });

serve<ToGridWorker, FromGridWorker>(
  (msg) => {
    switch (msg.type) {
      case 'configure':
        return session.configure(msg.runId, msg.config, msg.play);
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
