// The interface every toy-model engine implements.

import type { LabConfig } from './config';
import type { Snapshot } from './snapshot';
import type { EngineName } from '../shared/engines';

export type { EngineName } from '../shared/engines';

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
