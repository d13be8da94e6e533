// The kernels' helper threads in the browser: a module Worker (kernelHelper.worker.ts) that gets the
// shared-memory kernel's module and memory and sits in its helperLoop (engine/kernels/kernelThreads.ts).
// The SAE worker registers this spawner at start; the kernels use it only where the plan allows two
// threads, that is on a cross-origin isolated page (COOP/COEP: src/isolationHeaders.ts), which is what
// lets a WebAssembly.Memory be shared with another worker.

import { useKernelHelpers, type SpawnKernelHelper } from '../engine/kernels/kernelThreads.ts';

export const spawnBrowserKernelHelper: SpawnKernelHelper = (module, memory) => {
  const worker = new Worker(new URL('./kernelHelper.worker.ts', import.meta.url), { type: 'module', name: 'kernel helper' });
  worker.postMessage({ module, memory });
  return { close: () => worker.terminate() };
};

/** Let the kernels created from now on in this worker use a second thread where the page allows it. */
export function useBrowserKernelHelpers(): void {
  useKernelHelpers(spawnBrowserKernelHelper);
}
