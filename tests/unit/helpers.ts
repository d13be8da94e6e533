// Shared helpers for the unit tests: valid configs and a float64 reference of the models' loss.

import { validateConfig, type LabConfig } from '../../src/engine/toy/config';

export function config(over: Partial<Record<keyof LabConfig, unknown>> = {}): LabConfig {
  const r = validateConfig(over);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
}

export interface RefParams {
  W: ArrayLike<number>;
  b: ArrayLike<number>;
  W2: ArrayLike<number> | null;
}

/**
 * Per-instance loss in float64, written straight from science.md §1–3 (no shared code with the engines):
 * mean over batch and features of I_i (target_i − x'_i)², x layout [K][B][n]. relu-hidden-tied (§1.3):
 * h = ReLU(W x), x' = ReLU(Wᵀ h + b), target x.
 */
export function referenceLoss(c: LabConfig, p: RefParams, x: ArrayLike<number>, importance: ArrayLike<number>): number[] {
  const { instances: K, n, m, model } = c;
  const B = x.length / (K * n);
  const out: number[] = [];
  for (let k = 0; k < K; k++) {
    let total = 0;
    const Wk = (j: number, i: number) => p.W[k * m * n + j * n + i];
    for (let r = 0; r < B; r++) {
      const xr = (i: number) => x[(k * B + r) * n + i];
      const h = new Float64Array(m);
      for (let j = 0; j < m; j++) {
        for (let i = 0; i < n; i++) h[j] += Wk(j, i) * xr(i);
        if (model === 'relu-hidden' || model === 'relu-hidden-tied') h[j] = Math.max(0, h[j]);
      }
      for (let i = 0; i < n; i++) {
        let z = p.b[k * n + i];
        for (let j = 0; j < m; j++) z += (model === 'relu-hidden' ? p.W2![k * n * m + i * m + j] : Wk(j, i)) * h[j];
        const y = model === 'linear' ? z : Math.max(0, z);
        const target = model === 'relu-hidden' ? Math.abs(xr(i)) : xr(i);
        total += importance[k * n + i] * (target - y) ** 2;
      }
    }
    out.push(total / (B * n));
  }
  return out;
}

/** Central finite-difference gradient of Σ_k loss_k with respect to one array of parameters. */
export function finiteDifference(params: RefParams, which: 'W' | 'b' | 'W2', loss: (p: RefParams) => number[], h = 1e-4): Float64Array {
  const base = Float64Array.from(params[which]!);
  const grad = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const plus = Float64Array.from(base), minus = Float64Array.from(base);
    plus[i] += h;
    minus[i] -= h;
    const sum = (arr: Float64Array) => loss({ ...params, [which]: arr }).reduce((a, b) => a + b, 0);
    grad[i] = (sum(plus) - sum(minus)) / (2 * h);
  }
  return grad;
}
