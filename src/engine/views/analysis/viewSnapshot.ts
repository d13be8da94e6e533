// What the view analyses read: the parameters of a run at some step. Both the engine's Snapshot
// (CLI, tests) and the worker's snapshot message (the page) have this shape.

import type { Snapshot } from '../../toy/snapshot';

export type ViewSnapshot = Pick<Snapshot, 'step' | 'K' | 'n' | 'm' | 'W' | 'b'> & {
  /** relu-hidden only: [K][n][m] output weights */
  W2?: Float32Array | null;
  /** [K] recent mean loss per instance, when known */
  losses?: Float32Array;
};

/** Parameters of instance 0 at one step of training (learning dynamics). */
export interface Frame {
  step: number;
  /** [m][n] */
  W: Float32Array;
  /** [n] */
  b: Float32Array;
  /** mean loss over the steps since the previous frame (NaN for the initial frame) */
  loss: number;
}
