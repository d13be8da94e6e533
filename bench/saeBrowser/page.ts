// The SAE bench page: window.__saeBench.measure(job) runs one measurement in a fresh worker.

import type { GemmBrowserJob, GemmBrowserReply, SaeBrowserJob, SaeBrowserReply } from './worker.ts';

declare global {
  interface Window {
    __saeBench?: {
      measure(job: SaeBrowserJob, timeoutMs: number): Promise<SaeBrowserReply>;
      /** the GEMM core's GFLOP/s and the SIMD peak (bench/gemmMeasure.ts) in a fresh worker */
      gemm(timeoutMs: number): Promise<GemmBrowserReply>;
    };
  }
}

function inWorker<R extends { ok: boolean }>(job: SaeBrowserJob | GemmBrowserJob, timeoutMs: number): Promise<R | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    const timer = setTimeout(() => finish({ ok: false, reason: `timed out after ${timeoutMs / 1000} s` }), timeoutMs);
    const finish = (r: R | { ok: false; reason: string }) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(r);
    };
    worker.onmessage = (e: MessageEvent<R>) => finish(e.data);
    worker.onerror = (e) => finish({ ok: false, reason: e.message || 'worker error' });
    worker.postMessage(job);
  });
}

window.__saeBench = {
  gemm: (timeoutMs) => inWorker<GemmBrowserReply>({ kind: 'gemm' }, timeoutMs) as Promise<GemmBrowserReply>,
  measure(job, timeoutMs) {
    return new Promise((resolve) => {
      const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
      const timer = setTimeout(() => finish({ ok: false, reason: `timed out after ${timeoutMs / 1000} s` }), timeoutMs);
      const finish = (r: SaeBrowserReply) => {
        clearTimeout(timer);
        worker.terminate();
        resolve(r);
      };
      worker.onmessage = (e: MessageEvent<SaeBrowserReply>) => finish(e.data);
      worker.onerror = (e) => finish({ ok: false, reason: e.message || 'worker error' });
      worker.postMessage(job);
    });
  },
};
