// Colour scales, all colour-blind safe. One place, so every panel and legend agrees.
// Sequential scales are single-hue or perceptually uniform (lightness changes monotonically, so
// they read in grey too); the diverging scale is red–blue, which deuteranopes and protanopes
// still tell apart (tests/unit/colors.test.ts checks both). Each scale has a dark-theme variant
// that keeps its meaning (e.g. "more important = more contrast with the background").

let darkTheme = false;

/** Switch the scales to the dark or the light theme (ui/theme.ts calls this; panels re-render). */
export function setColorTheme(theme: 'light' | 'dark'): void {
  darkTheme = theme === 'dark';
}

import * as d3 from 'd3';

/** WᵀW entries and biases: blue (negative) – white – red (positive), symmetric around 0, domain [−1, 1]. */
export const divergingColor = d3.scaleDiverging((t: number) => d3.interpolateRdBu(1 - t)).domain([-1, 0, 1]).clamp(true);

/** divergingColor as RGB bytes for 512 levels over [−1, 1], for painting pixels fast. */
export const DIVERGING_LUT: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(512 * 3);
  for (let i = 0; i < 512; i++) {
    const c = d3.rgb(divergingColor(-1 + (2 * i) / 511));
    lut.set([c.r, c.g, c.b], i * 3);
  }
  return lut;
})();

/** Index into DIVERGING_LUT for a value (clamped to [−1, 1]). */
export function divergingIndex(v: number): number {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  return Math.round(((t + 1) / 2) * 511) * 3;
}

/** Superposition Σ_{j≠i}(Ŵ_i·W_j)²: viridis, dark = alone in its direction, yellow = shares it heavily. */
export const SUPERPOSITION_MAX = 2;
const superpositionLight = d3.scaleSequential(d3.interpolateViridis).domain([0, SUPERPOSITION_MAX]).clamp(true);
/** viridis without its darkest quarter, which would vanish on a dark card */
const superpositionDark = d3.scaleSequential((t: number) => d3.interpolateViridis(0.25 + 0.75 * t)).domain([0, SUPERPOSITION_MAX]).clamp(true);
export const superpositionColor = (v: number): string => (darkTheme ? superpositionDark : superpositionLight)(v);

/** Importance I_i ∈ (0, 1]: light orange (unimportant) to dark brown (most important); on dark, dim orange to pale yellow. */
const importanceLight = d3.scaleSequential((t: number) => d3.interpolateYlOrBr(0.35 + 0.65 * t)).domain([0, 1]).clamp(true);
const importanceDark = d3.scaleSequential((t: number) => d3.interpolateYlOrBr(0.8 - 0.7 * t)).domain([0, 1]).clamp(true);
export const importanceColor = (v: number): string => (darkTheme ? importanceDark : importanceLight)(v);

/** Instances ordered by sparsity, for the loss curves: plasma without its palest end (on dark: without its darkest). */
export function instanceColor(k: number, K: number): string {
  if (K <= 1) return darkTheme ? '#8fa8ff' : '#3b4cc0';
  return darkTheme ? d3.interpolatePlasma(0.3 + (0.65 * k) / (K - 1)) : d3.interpolatePlasma(0.05 + (0.8 * k) / (K - 1));
}

export const HIGHLIGHT = '#e4572e';
export const INK = '#1f2430';
export const MUTED = '#6b7280';
export const GRID = '#e5e7eb';

/** Phase-diagram phases (Paul Tol's bright scheme, colour-blind safe): grey = extra feature dropped, blue = its own dimension, red = superposition. */
export const PHASE_COLORS: Readonly<Record<'not represented' | 'dedicated' | 'superposition', string>> = {
  'not represented': '#c8ccd2',
  dedicated: '#4477aa',
  superposition: '#ee6677',
};

/** Feature sets (correlated / anticorrelated pairs), Tol bright; index by set number. */
export const SET_COLORS = ['#4477aa', '#ee6677', '#228833', '#ccbb44', '#66ccee', '#aa3377'] as const;
