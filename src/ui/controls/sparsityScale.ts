// The sparsity slider moves feature density 1 − S on a log scale (as the paper plots it):
// slider position p ∈ [0, 300] ↦ density 10^(−p/100), from 1 (dense) to 0.001 (very sparse).

export const SLIDER_MAX = 300;

export function sliderToSparsity(p: number): number {
  const density = Number(Math.pow(10, -p / 100).toPrecision(2));
  return Number((1 - density).toFixed(6));
}

export function sparsityToSlider(S: number): number {
  const density = Math.max(1e-3, 1 - S);
  return Math.min(SLIDER_MAX, Math.max(0, Math.round(-100 * Math.log10(density))));
}
