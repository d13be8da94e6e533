// The second core for the kernels' large jobs (issue 17). A kernel built on shared memory
// (gemmThreads.as.ts) shares its large jobs (products, the sparse backward, AdamW) with a *helper*:
// a second instance of the same module on the same memory, in a worker of its own, that sits in the
// module's helperLoop.
//
// The engine never starts a worker itself (only src/worker/ does): the host that may start one —
// the SAE's Web Worker on a cross-origin isolated page, the CLI and the bench in Node — registers a
// spawner here with useKernelHelpers. Without one, or where shared memory is not allowed (a page
// served without COOP/COEP, an embed in a page that is not isolated), the kernels run on one thread,
// the same numbers to the bit.

/** A running helper; close() ends its worker (after the kernel's stopHelper has let it leave its loop). */
export interface KernelHelper {
  close(): void;
}

/** Start a worker that runs runKernelHelper(module, memory). */
export type SpawnKernelHelper = (module: WebAssembly.Module, memory: WebAssembly.Memory) => KernelHelper;

/** How many threads the kernels' products use here, and why. */
export interface KernelThreadsPlan {
  threads: 1 | 2;
  reason: string;
}

let spawner: SpawnKernelHelper | null = null;
let wanted: 1 | 2 = 2;

/** Register (or, with null, remove) the host's way to start helpers; kernels created afterwards use it. */
export function useKernelHelpers(spawn: SpawnKernelHelper | null): void {
  spawner = spawn;
}

/** Ask for one thread or two (the bench and tests compare both); kernels created afterwards follow it. */
export function setKernelThreads(threads: 1 | 2): void {
  if (threads !== 1 && threads !== 2) throw new Error(`kernel threads: 1 or 2, not ${String(threads)}`);
  wanted = threads;
}

/** The page's isolation as the runtime reports it; Node has no such flag and always allows shared memory. */
function isolated(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

let sharedOk: boolean | undefined;
function sharedMemoryAllowed(): boolean {
  if (sharedOk === undefined) {
    try {
      sharedOk = typeof SharedArrayBuffer === 'function' && new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
    } catch {
      sharedOk = false;
    }
  }
  return sharedOk;
}

export function kernelThreadsPlan(): KernelThreadsPlan {
  if (wanted === 1) return { threads: 1, reason: 'one thread asked for' };
  if (!isolated()) return { threads: 1, reason: 'the page is not cross-origin isolated (served without COOP/COEP, or embedded)' };
  if (!sharedMemoryAllowed()) return { threads: 1, reason: 'this runtime has no shared WebAssembly memory' };
  if (!spawner) return { threads: 1, reason: 'no helper worker here' };
  return { threads: 2, reason: 'cross-origin isolated: a helper worker shares the work' };
}

/** the host's spawner, when the plan says two threads */
export function kernelHelperSpawner(): SpawnKernelHelper | null {
  return kernelThreadsPlan().threads === 2 ? spawner : null;
}

/** A shared memory for a shared-memory kernel build: grows up to `maximumPages` (the build's own maximum). */
export function sharedKernelMemory(maximumPages: number): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 1, maximum: maximumPages, shared: true });
}

/**
 * The helper's side, called in its worker: instantiate the module on the shared memory and take chunks of
 * every large job until the kernel's stopHelper. Blocks the worker meanwhile.
 */
export function runKernelHelper(module: WebAssembly.Module, memory: WebAssembly.Memory): void {
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      abort: () => {
        throw new Error('kernel helper aborted');
      },
    },
  });
  (instance.exports as { helperLoop(): void }).helperLoop();
}
