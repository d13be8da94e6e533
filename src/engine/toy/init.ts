// Initial parameters, drawn from the seeded RNG so every trainer (TF.js or fused) starts
// from the same weights for the same config and seed.

import type { LabConfig } from './config';
import type { Rng } from '../shared/rng';

export interface Params {
  /** [K][m][n] */
  W: Float32Array;
  /** [K][n] */
  b: Float32Array;
  /** relu-hidden only: [K][n][m] */
  W2: Float32Array | null;
}

/**
 * Xavier-normal std as the colab computes it for its [K, n, m] parameter: PyTorch treats the
 * instance axis as fan_out, so std = sqrt(2 / (n·m + K·m)) (science.md §3.2).
 */
export function colabXavierStd(c: Pick<LabConfig, 'instances' | 'n' | 'm'>): number {
  return Math.sqrt(2 / (c.n * c.m + c.instances * c.m));
}

export function initialParams(c: LabConfig, rng: Rng): Params {
  const size = c.instances * c.m * c.n;
  const std = colabXavierStd(c);
  const normal = (len: number) => {
    const a = new Float32Array(len);
    for (let i = 0; i < len; i++) a[i] = rng.normal() * std;
    return a;
  };
  const W = normal(size);
  const W2 = c.model === 'relu-hidden' ? normal(size) : null;
  return { W, b: new Float32Array(c.instances * c.n), W2 };
}
