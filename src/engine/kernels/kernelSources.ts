// Which AssemblyScript files each WebAssembly kernel is compiled from, and their joint sha256
// (buildKernels.ts writes it beside each binary; the kernels' unit tests recompute it, so a source
// edited without rebuilding its binary fails them). Node-only: used by the build and the tests.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** the GEMM core and its two multiply-add variants, compiled into the kernels that use it */
export const GEMM_FILES = ['gemm.as.ts', 'gemmMadd.as.ts', 'gemmMadd.relaxed.as.ts'] as const;

/** the two-thread products (shared-memory builds) and their single-thread stand-in */
export const THREAD_FILES = ['gemmThreads.as.ts', 'gemmThreads.single.as.ts'] as const;

export const KERNEL_FILES = {
  fusedKernel: ['fusedKernel.as.ts'],
  saeKernel: ['saeKernel.as.ts', ...GEMM_FILES, ...THREAD_FILES],
  transformerKernel: ['transformerKernel.as.ts', ...GEMM_FILES],
} as const;

export type KernelName = keyof typeof KERNEL_FILES;

export const KERNEL_DIR = dirname(fileURLToPath(import.meta.url));

/** sha256 over the kernel's source files, in order */
export function kernelSourceSha(name: KernelName): string {
  const hash = createHash('sha256');
  for (const f of KERNEL_FILES[name]) hash.update(readFileSync(join(KERNEL_DIR, f)));
  return hash.digest('hex');
}
