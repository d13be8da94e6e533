/// <reference lib="webworker" />
// The "Locate & edit" worker: the facts model (the shipped one, fetched, or one trained here), causal tracing and
// ROME edits. Talks to the page only through romeProtocol.ts. The facts model runs on the fused engine; ROME's v*
// optimisation and the fine-tuning baseline use TF.js (wasm backend, started once before the first model).

import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../engine/shared/backend.ts';
import { createFactsTrainer } from '../engine/rome/engine.ts';
import type { FromRomeWorker, ToRomeWorker } from './romeProtocol.ts';
import { RomeSession } from './romeSession.ts';
import { configureWasmPaths } from './wasmPaths.ts';
import { postToPage, serve, workerClock } from './workerHost.ts';

configureWasmPaths();
let backend: Promise<unknown> | null = null;

const session = new RomeSession({
  ...workerClock(),
  createTrainer: (config) => createFactsTrainer(config, 'fused'),
  async loadModel(url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not load the facts model (${url}): HTTP ${res.status}`);
    return res.json();
  },
  post: postToPage<FromRomeWorker>,
  scope<T>(fn: () => T): T {
    let out: T | undefined;
    tf.tidy(() => void (out = fn()));
    return out as T;
  },
});

serve<ToRomeWorker, FromRomeWorker>(
  async (msg) => {
    switch (msg.type) {
      case 'configure':
        await (backend ??= initBackend(['wasm', 'cpu']));
        return session.configure(msg.runId, msg.spec);
      case 'reset':
        return session.reset(msg.runId);
      case 'play':
      case 'pause':
      case 'drawn':
        return;
      default:
        return session.request(msg);
    }
  },
  (msg, message) => ({ type: 'error', runId: msg.type === 'configure' || msg.type === 'reset' ? msg.runId : null, message }),
);
