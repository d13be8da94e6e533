/// <reference lib="webworker" />
// Times one SAE engine on one config inside a browser worker, with the Node bench's measureSae.

import { initBackend } from '../../src/engine/shared/backend.ts';
import { configureWasmPaths } from '../../src/worker/wasmPaths.ts';
import { measureSae, type SaeBenchConfig, type SaeBenchEngine, type SaeMeasurement } from '../saeMeasure.ts';
import { spawnBrowserKernelHelper } from '../../src/worker/browserKernelHelpers.ts';
import type { StepPlan } from '../types.ts';
import { measureGemm, type GemmResult } from '../gemmMeasure.ts';
import { relaxedSimdSupported } from '../../src/engine/kernels/relaxedSimd.ts';

export interface SaeBrowserJob {
  config: SaeBenchConfig;
  engine: SaeBenchEngine;
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
      gemm = { ok: true, relaxed: relaxedSimdSupported(), results: await measureGemm(15, spawnBrowserKernelHelper) };
    } catch (err) {
      gemm = { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
    self.postMessage(gemm);
    return;
  }
  let reply: SaeBrowserReply;
  try {
    const backend = job.engine === 'tfjs' ? (await initBackend(['wasm'])).active : null;
    reply = { ok: true, result: await measureSae(job.config, job.engine, job.plan, spawnBrowserKernelHelper), backend };
  } catch (err) {
    reply = { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply);
};
