// The trainer interface every engine implements, and the AdamW constants they share.

import type { LabConfig } from './config';
import type { Snapshot } from './snapshot';

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPS = 1e-8;

export type EngineName = 'tfjs' | 'fused';

export interface Trainer {
  readonly engine: EngineName;
  readonly config: LabConfig;
  /** optimiser steps taken so far */
  readonly stepsDone: number;
  /** Run k optimiser steps; returns the mean loss of each instance over those k steps. */
  step(k: number): Float32Array;
  /** Copy of the current parameters and the latest losses. */
  snapshot(): Snapshot;
  /** Free every tensor / buffer. The trainer cannot be used afterwards. */
  dispose(): void;
}
