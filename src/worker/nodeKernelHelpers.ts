// The kernels' helper threads in Node (the CLI, the bench, the tests): a worker_threads Worker that
// instantiates the shared-memory kernel on the kernel's memory and sits in its helperLoop
// (engine/kernels/kernelThreads.ts). The worker runs a few lines of plain JavaScript given as text,
// so it needs no TypeScript loader; it is unref'd, so a helper waiting for work never keeps Node alive.

import { Worker } from 'node:worker_threads';
import { useKernelHelpers, type SpawnKernelHelper } from '../engine/kernels/kernelThreads.ts';

// runKernelHelper (kernelThreads.ts), in the worker's CommonJS
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const abort = () => { throw new Error('kernel helper aborted'); };
const instance = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory, abort } });
instance.exports.helperLoop();
`;

export const spawnNodeKernelHelper: SpawnKernelHelper = (module, memory) => {
  const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory } });
  worker.unref();
  return { close: () => void worker.terminate() };
};

/** Let the kernels created from now on use a second thread (the CLI and the bench call this at start). */
export function useNodeKernelHelpers(): void {
  useKernelHelpers(spawnNodeKernelHelper);
}
