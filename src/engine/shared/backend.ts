// Choosing a TF.js backend. wasm (SIMD) is the fast CPU path; plain cpu is the fallback.
// tf.setBackend falls back silently, so the active backend is always read back.

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

import { SELECTABLE_BACKENDS, type BackendName } from './engines';

export type { BackendName };

export interface BackendChoice {
  active: string;
  /** backends that were tried and failed, with the reason */
  failures: { backend: BackendName; reason: string }[];
}

/** Try the backends in order and keep the first that initialises. */
export async function initBackend(preferred: readonly BackendName[] = SELECTABLE_BACKENDS): Promise<BackendChoice> {
  const failures: BackendChoice['failures'] = [];
  for (const name of preferred) {
    try {
      const ok = await tf.setBackend(name);
      await tf.ready();
      if (ok && tf.getBackend() === name) return { active: name, failures };
      failures.push({ backend: name, reason: `setBackend returned ${ok}; active is ${tf.getBackend()}` });
    } catch (e) {
      failures.push({ backend: name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  throw new Error(`no TF.js backend could start: ${failures.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`);
}
