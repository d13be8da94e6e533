/// <reference lib="webworker" />
// Times one SAE engine on one config inside a browser worker, with the Node bench's measureSae.

import { initBackend } from '../../src/engine/shared/backend.ts';
import type { SaeEngineName } from '../../src/engine/sae/core.ts';
import { configureWasmPaths } from '../../src/worker/wasmPaths.ts';
import { measureSae, type SaeBenchConfig, type SaeMeasurement } from '../saeMeasure.ts';
import type { StepPlan } from '../types.ts';
import { measureGemm, type GemmResult } from '../gemmMeasure.ts';
import { relaxedSimdSupported } from '../../src/engine/kernels/relaxedSimd.ts';

export interface SaeBrowserJob {
  config: SaeBenchConfig;
  engine: SaeEngineName;
  plan: StepPlan;
}

export type SaeBrowserReply = { ok: true; result: SaeMeasurement; backend: string | null } | { ok: false; reason: string };

/** the GEMM bench (gemmMeasure.ts) in this worker instead of an SAE */
export interface GemmBrowserJob {
  kind: 'gemm';
}

export type GemmBrowserReply = { ok: true; relaxed: boolean; results: GemmResult[] } | { ok: false; reason: string };

declare const self: DedicatedWorkerGlobalScope;
configureWasmPaths();

self.onmessage = async (e: MessageEvent<SaeBrowserJob | GemmBrowserJob>) => {
  const job = e.data;
  if ('kind' in job) {
    let gemm: GemmBrowserReply;
    try {
      gemm = { ok: true, relaxed: relaxedSimdSupported(), results: await measureGemm() };
    } catch (err) {
      gemm = { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
    self.postMessage(gemm);
    return;
  }
  let reply: SaeBrowserReply;
  try {
    const backend = job.engine === 'tfjs' ? (await initBackend(['wasm'])).active : null;
    reply = { ok: true, result: measureSae(job.config, job.engine, job.plan), backend };
  } catch (err) {
    reply = { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply);
};
