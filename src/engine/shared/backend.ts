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
  // On a cross-origin isolated page TF.js would pick its threaded wasm build, whose pthreads start from a
  // blob: worker that fails once bundled ("e is not defined") and would take every core in each of the app's
  // workers. The reference engine stays single-threaded (the same build as on a page that is not isolated);
  // the second core goes to the fused kernels' large products (kernels/kernelThreads.ts).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const failures: BackendChoice['failures'] = [];
  for (const name of preferred) {
    // TF.js reports why a backend failed to initialise only through console.warn; keep what it says
    const said: string[] = [];
    const { warn, error } = console;
    const listen = (to: (...args: unknown[]) => void) => (...args: unknown[]) => {
      said.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' '));
      to.apply(console, args);
    };
    console.warn = listen(warn);
    console.error = listen(error);
    try {
      const ok = await tf.setBackend(name);
      await tf.ready();
      if (ok && tf.getBackend() === name) return { active: name, failures };
      failures.push({ backend: name, reason: initFailure(said) ?? `setBackend returned ${ok}; active is ${tf.getBackend()}` });
    } catch (e) {
      failures.push({ backend: name, reason: e instanceof Error ? e.message : String(e) });
    } finally {
      console.warn = warn;
      console.error = error;
    }
  }
  throw new Error(`no TF.js backend could start: ${failures.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`);
}

/**
 * Why a backend failed, from what TF.js (and the Emscripten module under it) warned while it tried:
 * the first concrete error ("CompileError: … expected magic word", "TypeError: Failed to fetch"), else
 * the first line TF.js warned after "Initialization of backend … failed".
 */
function initFailure(said: readonly string[]): string | null {
  const short = (line: string) => (line.length > 160 ? line.slice(0, 160) + '…' : line);
  for (const m of said) {
    const hit = m.match(/\b((?:Compile|Link|Runtime|Type|Range|Reference)Error\b[^\n]*)/);
    if (hit) return short(hit[1].replace(/\)+$/, '').trim());
  }
  const i = said.findIndex((m) => /Initialization of backend .* failed/.test(m));
  const why = i >= 0 ? said[i + 1] ?? said[i] : null;
  return why ? short(why.split('\n')[0].trim()) : null;
}
