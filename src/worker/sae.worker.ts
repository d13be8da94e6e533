/// <reference lib="webworker" />
// The SAE worker: trains the base toy model and the sparse autoencoders of the SAE view, and the
// Sharkey sweep. Talks to the page only through saeProtocol.ts. TF.js is loaded only when an
// engine needs it (the fused engines cover the view's defaults).

import { createTrainer, initBackend } from '../engine/index.ts';
import { createSaeTrainer } from '../engine/sae/engine.ts';
import type { FromSaeWorker, ToSaeWorker } from './saeProtocol.ts';
import { SaeSession } from './saeSession.ts';
import { useBrowserKernelHelpers } from './browserKernelHelpers.ts';
import { configureWasmPaths } from './wasmPaths.ts';
import { postToPage, serve, workerClock } from './workerHost.ts';

configureWasmPaths();
// large SAE kernels split their products with a helper worker where the page is cross-origin isolated
// (one thread otherwise, the same numbers: engine/kernels/kernelThreads.ts decides)
useBrowserKernelHelpers();
// the TF.js engines need a backend; the fused ones do not, so training never waits for it
const backendReady = initBackend().catch(() => null);

const session = new SaeSession({
  ...workerClock(),
  createToyTrainer: (config) => createTrainer(config, 'auto'),
  createSae: (config, source, engine) => createSaeTrainer(config, source, engine),
  post: postToPage<FromSaeWorker>,
});

serve<ToSaeWorker, FromSaeWorker>(
  async (msg) => {
    switch (msg.type) {
      case 'configure':
        if (msg.engine === 'tfjs' || msg.base.kind === 'train') await backendReady;
        return session.configure(msg.runId, msg.base, msg.sae, msg.play, msg.engine);
      case 'play':
        return session.play();
      case 'pause':
        return session.pause();
      case 'reset':
        return session.reset(msg.runId);
      case 'drawn':
        return session.drawn();
      case 'sweep-start':
        if (msg.engine === 'tfjs') await backendReady;
        return session.startSweep(msg.sweepId, msg.ratios, msg.sae, msg.engine);
      case 'sweep-stop':
        return session.stopSweep();
    }
  },
  (msg, message) => ({
    type: 'error',
    runId: msg.type === 'configure' || msg.type === 'reset' ? msg.runId : null,
    sweepId: msg.type === 'sweep-start' ? msg.sweepId : undefined,
    message,
  }),
);
