// The SAE controls' "kernel" readout: which build of the SAE kernel runs and on how many threads
// (the worker's status carries engine/kernels/saeKernel.ts saeKernelPath), in words, with the reason.

import type { SaeRunStatus } from '../../../state/saeStore.ts';

type SaeKernelPath = NonNullable<SaeRunStatus['kernel']>;

export interface KernelText {
  /** e.g. "relaxed SIMD (FMA) · 2 threads" */
  path: string;
  /** the reason in a few words, e.g. "the page is not cross-origin isolated" */
  why: string;
  /** the whole reason (the tooltip) */
  reason: string;
}

const BUILD_NAMES = { 'relaxed-simd': 'relaxed SIMD (FMA)', simd: 'SIMD' } as const;

/** The reason up to its first explanation: "the page is not cross-origin isolated (served …)" → "the page is not cross-origin isolated". */
export const shortReason = (reason: string): string => reason.split(/ \(|: /)[0];

export function kernelText(kernel: SaeKernelPath | null | undefined, engine: string): KernelText | null {
  if (!kernel) return engine === 'tfjs' ? { path: 'none (TF.js engine)', why: '', reason: 'the TF.js engine runs on its own backend, not the SAE kernel' } : null;
  if (!kernel.build) return { path: 'JavaScript · 1 thread', why: shortReason(kernel.reason), reason: kernel.reason };
  return { path: `${BUILD_NAMES[kernel.build]} · ${kernel.threads === 2 ? '2 threads' : '1 thread'}`, why: shortReason(kernel.reason), reason: kernel.reason };
}
