// Expected loss of a trained ReLU-output (or linear) model, computed by stratifying over which
// features are active: every subset of active features is weighted by its exact probability
// p^|A| (1−p)^(n−|A|), and the error inside a subset is averaged over a midpoint grid of the
// active values in [0,1]^|A|. No sampling noise, so two trainings of the same cell can be
// compared fairly even at density 0.01, where the differences live in rare co-occurrences.
// Used to pick the best of several trainings per phase-diagram cell. Small n only (2^n subsets).

export const MAX_EXPECTED_LOSS_FEATURES = 8;

/**
 * Mean over features of I_i·E[(x_i − x'_i)²], the trainer's per-instance loss, for
 * x' = ReLU(WᵀW x + b) (or WᵀW x + b when `linear`), independent features of density p.
 * `budget` bounds the grid points per subset.
 */
export function expectedLoss(W: ArrayLike<number>, b: ArrayLike<number>, importance: ArrayLike<number>, m: number, n: number, p: number, linear = false, budget = 2048): number {
  if (n > MAX_EXPECTED_LOSS_FEATURES) throw new Error(`expectedLoss enumerates 2^n subsets; n must be at most ${MAX_EXPECTED_LOSS_FEATURES}, got ${n}`);
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += W[j * n + i] * W[j * n + k];
    G[i * n + k] = s;
  }
  const x = new Float64Array(n);
  let total = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    const active: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) active.push(i);
    const a = active.length;
    const weight = Math.pow(p, a) * Math.pow(1 - p, n - a);
    if (weight === 0) continue;
    const g = a === 0 ? 1 : Math.max(2, Math.floor(Math.pow(budget, 1 / a)));
    const points = Math.pow(g, a);
    let sum = 0;
    for (let t = 0; t < points; t++) {
      x.fill(0);
      let rest = t;
      for (const i of active) {
        x[i] = ((rest % g) + 0.5) / g;
        rest = Math.floor(rest / g);
      }
      for (let i = 0; i < n; i++) {
        let z = b[i];
        for (const k of active) z += G[i * n + k] * x[k];
        const y = linear ? z : Math.max(0, z);
        sum += importance[i] * (x[i] - y) ** 2;
      }
    }
    total += (weight * sum) / points;
  }
  return total / n;
}
