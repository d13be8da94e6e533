/// <reference lib="webworker" />
// A kernel helper thread in the browser (engine/kernels/kernelThreads.ts): started by the SAE worker
// (browserKernelHelpers.ts) for a shared-memory kernel, it takes the module and the kernel's shared memory
// in its first message, instantiates the module on that memory and sits in the module's helperLoop,
// taking chunks of the kernel's large jobs, until the kernel's stopHelper lets it return (then it is terminated).
// It blocks in Atomics.wait meanwhile, which a worker may do and the page may not.

import { runKernelHelper } from '../engine/kernels/kernelThreads.ts';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<{ module: WebAssembly.Module; memory: WebAssembly.Memory }>) => {
  self.onmessage = null;
  runKernelHelper(event.data.module, event.data.memory);
};
