/// <reference lib="webworker" />
// The induction worker: trains the tiny transformer of the "Induction heads" tab and evaluates it
// live. Talks to the page only through inductionProtocol.ts. TF.js is started only for
// engine=tfjs; 'auto' and 'fused' are the fused engine (typed arrays + WebAssembly SIMD).

import { initBackend } from '../engine/shared/backend.ts';
import { createTransformerTrainer, inductionShape } from '../engine/transformer/index.ts';
import type { FromInductionWorker, ToInductionWorker } from './inductionProtocol.ts';
import { InductionSession } from './inductionSession.ts';
import { configureWasmPaths } from './wasmPaths.ts';
import { postToPage, serve, workerClock } from './workerHost.ts';

configureWasmPaths();
let backend: Promise<unknown> | null = null;

const session = new InductionSession({
  ...workerClock(),
  createTrainer: (config) => createTransformerTrainer(inductionShape(config), { seed: config.seed, lr: config.lr, weightDecay: config.weightDecay }, config.engine),
  post: postToPage<FromInductionWorker>,
});

serve<ToInductionWorker, FromInductionWorker>(
  async (msg) => {
    switch (msg.type) {
      case 'configure':
        if (msg.config.engine === 'tfjs') await (backend ??= initBackend(['wasm', 'cpu']));
        return session.configure(msg.runId, msg.config, msg.play, { sequence: msg.sequence, ablate: msg.ablate });
      case 'focus':
        return session.setFocus({ sequence: msg.sequence, ablate: msg.ablate });
      case 'record':
        return session.record(msg.requestId);
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
