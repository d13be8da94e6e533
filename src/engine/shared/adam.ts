// Adam(W) on typed arrays, PyTorch's formula (bias-corrected, decoupled weight decay), shared by
// every fused engine; TF.js engines use tfAdam.ts with the same constants.

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPS = 1e-8;

/** The per-step constants of update t (1-based). */
export interface AdamStep {
  /** lr / (1 − β1^t) */
  stepSize: number;
  /** √(1 − β2^t) */
  sqrtBc2: number;
  /** 1 − lr·weightDecay (1 without weight decay) */
  decay: number;
}

export function adamStep(t: number, lr: number, weightDecay = 0): AdamStep {
  return { stepSize: lr / (1 - ADAM_BETA1 ** t), sqrtBc2: Math.sqrt(1 - ADAM_BETA2 ** t), decay: 1 - lr * weightDecay };
}

/**
 * Update p[off + i] for i < g.length with the gradient gradScale·g[i]; the moments m and v share
 * p's layout.
 */
export function adamUpdate(
  p: Float32Array, m: Float32Array, v: Float32Array, off: number,
  g: Float64Array | Float32Array, s: AdamStep, gradScale = 1,
): void {
  const { stepSize, sqrtBc2, decay } = s;
  for (let i = 0; i < g.length; i++) {
    const gi = g[i] * gradScale;
    const at = off + i;
    m[at] = ADAM_BETA1 * m[at] + (1 - ADAM_BETA1) * gi;
    v[at] = ADAM_BETA2 * v[at] + (1 - ADAM_BETA2) * gi * gi;
    p[at] = p[at] * decay - (m[at] / (Math.sqrt(v[at]) / sqrtBc2 + ADAM_EPS)) * stepSize;
  }
}
