/// <reference lib="webworker" />
// Times one trainer inside a browser worker, with the same measureTrainer as the Node bench.

import { createTrainer, initBackend } from '../../src/engine/index.ts';
import { configureWasmPaths } from '../../src/worker/wasmPaths.ts';
import { measureTrainer } from '../measure.ts';
import type { MeasureJob, MeasureReply } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;
configureWasmPaths();

self.onmessage = async (e: MessageEvent<MeasureJob>) => {
  const job = e.data;
  let reply: MeasureReply;
  try {
    const backend = job.backend ? (await initBackend([job.backend])).active : null;
    const trainer = createTrainer(job.config, job.engine);
    try {
      reply = { ok: true, result: measureTrainer(trainer, job.plan), backend, engine: trainer.engine };
    } finally {
      trainer.dispose();
    }
  } catch (err) {
    reply = { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply);
};
