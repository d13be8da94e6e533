import type { ModelKind } from './config';

/** What a trainer reports: plain Float32Arrays with their shapes, safe to post across a worker boundary. */
export interface Snapshot {
  step: number;
  model: ModelKind;
  K: number;
  n: number;
  m: number;
  /** [K][m][n]: hidden h = W x, so column i of instance k is feature i's direction */
  W: Float32Array;
  /** [K][n] output bias */
  b: Float32Array;
  /** relu-hidden only: the untied output weights, [K][n][m] */
  W2: Float32Array | null;
  /** [K] mean loss per instance over the most recent step(k) call */
  losses: Float32Array;
}

/** Instance k's W as an m×n row-major view (no copy). */
export function instanceW(s: Pick<Snapshot, 'W' | 'm' | 'n'>, k: number): Float32Array {
  const size = s.m * s.n;
  return s.W.subarray(k * size, (k + 1) * size);
}

export function instanceB(s: Pick<Snapshot, 'b' | 'n'>, k: number): Float32Array {
  return s.b.subarray(k * s.n, (k + 1) * s.n);
}
