// The induction bench page: window.__inductionBench.measure(job) times one engine in a fresh worker.

import type { InductionBrowserJob, InductionBrowserReply } from './worker.ts';

declare global {
  interface Window {
    __inductionBench?: { measure(job: InductionBrowserJob, timeoutMs: number): Promise<InductionBrowserReply> };
  }
}

window.__inductionBench = {
  measure(job, timeoutMs) {
    return new Promise((resolve) => {
      const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
      const timer = setTimeout(() => finish({ ok: false, reason: `timed out after ${timeoutMs / 1000} s` }), timeoutMs);
      const finish = (r: InductionBrowserReply) => {
        clearTimeout(timer);
        worker.terminate();
        resolve(r);
      };
      worker.onmessage = (e: MessageEvent<InductionBrowserReply>) => finish(e.data);
      worker.onerror = (e) => finish({ ok: false, reason: e.message || 'worker error' });
      worker.postMessage(job);
    });
  },
};
