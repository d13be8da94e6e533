/// <reference lib="webworker" />
// Times one transformer engine on the default induction config inside a browser worker, with the Node bench's measureInduction.

import { initBackend } from '../../src/engine/shared/backend.ts';
import { configureWasmPaths } from '../../src/worker/wasmPaths.ts';
import { defaultInductionConfig, measureInduction, type InductionMeasurement } from '../inductionMeasure.ts';

export interface InductionBrowserJob {
  engine: 'fused' | 'fused-js' | 'tfjs';
  steps: number;
}

export type InductionBrowserReply = { ok: true; result: InductionMeasurement; backend: string | null } | { ok: false; reason: string };

declare const self: DedicatedWorkerGlobalScope;
configureWasmPaths();

self.onmessage = async (e: MessageEvent<InductionBrowserJob>) => {
  const job = e.data;
  let reply: InductionBrowserReply;
  try {
    const backend = job.engine === 'tfjs' ? (await initBackend(['wasm'])).active : null;
    reply = { ok: true, result: measureInduction(defaultInductionConfig(), job.engine, job.steps), backend };
  } catch (err) {
    reply = { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply);
};
