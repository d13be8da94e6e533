// The SAE bench page: window.__saeBench.measure(job) runs one measurement in a fresh worker.

import type { SaeBrowserJob, SaeBrowserReply } from './worker.ts';

declare global {
  interface Window {
    __saeBench?: { measure(job: SaeBrowserJob, timeoutMs: number): Promise<SaeBrowserReply> };
  }
}

window.__saeBench = {
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
