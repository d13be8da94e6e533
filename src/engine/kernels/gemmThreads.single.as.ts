// @ts-nocheck: AssemblyScript source. The single-thread builds' stand-in for gemmThreads.as.ts (compiled
// under that name by buildKernels.ts): the same exports; nothing is ever shared, there is no helper.

import { gemmCore, gemmScratch } from './gemm.as';

export const JOB_GEMM = 1;
export const JOB_KERNEL = 16;

export function setHelperScratch(at: usize): void {}

export function helperReady(): i32 {
  return 0;
}

export function splitCount(): i32 {
  return 0;
}

export function helpedCount(): i32 {
  return 0;
}

@inline
export function canSplit(): bool {
  return false;
}

@inline
export function jobI32(i: i32): i32 {
  return 0;
}

@inline
export function jobF32(i: i32): f32 {
  return 0;
}

@inline
export function setJobI32(i: i32, v: i32): void {}

@inline
export function setJobF32(i: i32, v: f32): void {}

export function openJob(): void {}

export function post(kind: i32, chunks: i32): void {}

export function claim(): i32 {
  return -1;
}

export function finished(): void {}

export function join(): void {}

export function stopHelper(): void {}

export function helperEnter(): void {}

/** without shared memory there is no helper: its loop ends at once */
export function helperNext(): bool {
  return false;
}

export function helped(): void {}

export function gemmChunk(i: i32, scratch: usize): void {}

export function jobHelperScratch(): usize {
  return 0;
}

export function setOwnScratch(at: usize): void {
  gemmScratch(at);
}

@inline
export function gemm(M: i32, N: i32, K: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize, bCol: usize, c: usize, cRow: usize, acc: bool): void {
  gemmCore(M, N, K, a, aRow, aCol, b, bRow, bCol, c, cRow, acc);
}
