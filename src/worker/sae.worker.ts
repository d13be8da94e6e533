/// <reference lib="webworker" />
// The SAE worker: trains the base toy model and the sparse autoencoders of the SAE view, and the
// Sharkey sweep. Talks to the page only through saeProtocol.ts. TF.js is loaded only when an
// engine needs it (the fused engines cover the view's defaults).

import { createTrainer, initBackend } from '../engine/index.ts';
import { createSaeTrainer } from '../engine/sae/engine.ts';
import { messageOf } from './trainingSession.ts';
import type { FromSaeWorker, ToSaeWorker } from './saeProtocol.ts';
import { SaeSession } from './saeSession.ts';
import { configureWasmPaths } from './wasmPaths.ts';

declare const self: DedicatedWorkerGlobalScope;

configureWasmPaths();
// the TF.js engines need a backend; the fused ones do not, so training never waits for it
const backendReady = initBackend().catch(() => null);

function post(msg: FromSaeWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

const yieldChannel = new MessageChannel();
const afterYield: (() => void)[] = [];
yieldChannel.port1.onmessage = () => afterYield.shift()?.();

const session = new SaeSession({
  createToyTrainer: (config) => createTrainer(config, 'auto'),
  createSae: (config, source, engine) => createSaeTrainer(config, source, engine),
  post,
  now: () => performance.now(),
  yieldThen: (fn) => {
    afterYield.push(fn);
    yieldChannel.port2.postMessage(null);
  },
});

async function handle(msg: ToSaeWorker): Promise<void> {
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
    case 'ping':
      return post({ type: 'pong', t: msg.t });
  }
}

let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<ToSaeWorker>) => {
  const msg = event.data;
  if (msg.type === 'ping') return post({ type: 'pong', t: msg.t });
  queue = queue.then(() =>
    handle(msg).catch((e: unknown) => {
      post({ type: 'error', runId: msg.type === 'configure' || msg.type === 'reset' ? msg.runId : null, sweepId: msg.type === 'sweep-start' ? msg.sweepId : undefined, message: messageOf(e) });
    }),
  );
};
