// The bench page: window.__bench.measure(job) runs one measurement in a fresh worker.

import type { MeasureJob, MeasureReply } from './protocol.ts';

declare global {
  interface Window {
    __bench?: { measure(job: MeasureJob, timeoutMs: number): Promise<MeasureReply> };
  }
}

window.__bench = {
  measure(job, timeoutMs) {
    return new Promise((resolve) => {
      const worker = new Worker(new URL('./measure.worker.ts', import.meta.url), { type: 'module' });
      const timer = setTimeout(() => finish({ ok: false, reason: `timed out after ${timeoutMs / 1000} s` }), timeoutMs);
      const finish = (r: MeasureReply) => {
        clearTimeout(timer);
        worker.terminate();
        resolve(r);
      };
      worker.onmessage = (e: MessageEvent<MeasureReply>) => finish(e.data);
      worker.onerror = (e) => finish({ ok: false, reason: e.message || 'worker error' });
      worker.postMessage(job);
    });
  },
};
