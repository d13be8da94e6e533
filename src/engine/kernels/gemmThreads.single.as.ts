// @ts-nocheck: AssemblyScript source. The single-thread builds' stand-in for gemmThreads.as.ts (compiled
// under that name by buildKernels.ts): the same exports, every product on the calling thread.

import { gemmCore } from './gemm.as';

export function setHelperScratch(at: usize): void {}

export function helperReady(): i32 {
  return 0;
}

export function splitCount(): i32 {
  return 0;
}

export function stopHelper(): void {}

/** without shared memory there is no helper: returns at once */
export function helperLoop(): void {}

@inline
export function gemm(M: i32, N: i32, K: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize, bCol: usize, c: usize, cRow: usize, acc: bool): void {
  gemmCore(M, N, K, a, aRow, aCol, b, bRow, bCol, c, cRow, acc);
}
