// The phase diagrams (science.md §4.6–4.7): one trained model per cell of a grid over the extra
// feature's relative importance (columns) × feature density (rows), each classified by what it
// does with the extra (last) feature. A grid can be trained several times with different seeds
// ("passes"); each cell then keeps the training with the lowest expected loss, because a single
// training can stop in a local minimum (near r ≈ 1 one feature often wins instead of the pair).

import { gridPosition, instanceImportance, instanceSparsities, type LabConfig } from '../../toy/config';
import { featureDimensionality, featureNorms, nameGeometry } from '../../toy/metrics';
import { instanceB, instanceW } from '../../toy/snapshot';
import { classifyExtraFeature, PHASES, theoreticalPhaseN2M1, type Phase } from '../../toy/theory';
import { expectedLoss } from './expectedLoss';
import type { ViewSnapshot } from './viewSnapshot';

/** One pass (one training of the whole grid), classified. */
export interface PhasePass {
  step: number;
  /** [K] phase of every cell */
  phases: Phase[];
  /** [K] expected loss of every cell (null when not computed, e.g. while the pass trains) */
  losses: Float64Array | null;
  /** [K] one-phrase geometry of every cell */
  geometry: string[];
}

export interface PhaseCell {
  row: number;
  col: number;
  density: number;
  importance: number;
  phase: Phase;
  /** which pass the cell's model comes from */
  pass: number;
  /** expected loss of the chosen model (NaN when unknown) */
  loss: number;
  /** closed-form phase (n = 2, m = 1 only) */
  theory: Phase | null;
  geometry: string;
}

export interface PhaseGridResult {
  n: number;
  m: number;
  rows: number;
  cols: number;
  /** feature density 1 − S of each row (row 0 = densest) */
  densities: number[];
  /** relative importance of the extra feature in each column */
  importances: number[];
  cells: PhaseCell[];
  counts: Record<Phase, number>;
  /** passes combined */
  passes: number;
  /** n = 2, m = 1: share of cells whose phase matches the closed-form argmin; null otherwise */
  agreement: number | null;
  /** the same for each pass on its own */
  passAgreement: (number | null)[];
}

/** Classify every cell of one trained grid; with `withLoss`, also its expected loss (slower). */
export function classifyPass(config: LabConfig, s: ViewSnapshot, withLoss: boolean): PhasePass {
  const { n, m } = config;
  const K = config.instances;
  const sparsities = instanceSparsities(config);
  const importance = instanceImportance(config);
  const phases: Phase[] = [];
  const geometry: string[] = [];
  const losses = withLoss ? new Float64Array(K) : null;
  for (let k = 0; k < K; k++) {
    const W = instanceW(s, k);
    phases.push(classifyExtraFeature(W, m, n));
    geometry.push(nameGeometry(W, m, n));
    if (losses) losses[k] = expectedLoss(W, instanceB(s, k), importance[k], m, n, 1 - sparsities[k], config.model === 'linear');
  }
  return { step: s.step, phases, losses, geometry };
}

/** True when the closed-form n=2, m=1 diagram applies to this config. */
export function hasTheory(config: Pick<LabConfig, 'n' | 'm' | 'model'>): boolean {
  return config.n === 2 && config.m === 1 && config.model === 'relu-output';
}

/** Combine passes: every cell keeps the pass with the lowest expected loss (passes without losses only count when alone). */
export function combinePasses(config: LabConfig, passes: readonly PhasePass[]): PhaseGridResult {
  const K = config.instances;
  const sparsities = instanceSparsities(config);
  const importance = instanceImportance(config);
  const { rows, cols } = gridPosition(config, 0);
  const theoryOn = hasTheory(config);
  const theory = Array.from({ length: K }, (_, k) => (theoryOn ? theoreticalPhaseN2M1(importance[k][config.n - 1], 1 - sparsities[k]) : null));
  const counts = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  const cells: PhaseCell[] = [];
  for (let k = 0; k < K; k++) {
    let best = 0;
    for (let p = 1; p < passes.length; p++) {
      const lp = passes[p].losses?.[k];
      const lb = passes[best].losses?.[k];
      if (lp !== undefined && (lb === undefined || lp < lb)) best = p;
    }
    const pass = passes[best];
    const { row, col } = gridPosition(config, k);
    const phase = pass?.phases[k] ?? 'not represented';
    counts[phase]++;
    cells.push({
      row, col, density: 1 - sparsities[k], importance: importance[k][config.n - 1], phase, pass: best,
      loss: pass?.losses?.[k] ?? NaN, theory: theory[k], geometry: pass?.geometry[k] ?? '',
    });
  }
  const agreeing = (phaseOf: (k: number) => Phase) => theory.filter((t, k) => t === phaseOf(k)).length / K;
  return {
    n: config.n, m: config.m, rows, cols,
    densities: Array.from({ length: rows }, (_, r) => 1 - sparsities[r * cols]),
    importances: Array.from({ length: cols }, (_, c) => importance[c][config.n - 1]),
    cells, counts, passes: passes.length,
    agreement: theoryOn && passes.length ? agreeing((k) => cells[k].phase) : null,
    passAgreement: passes.map((p) => (theoryOn ? agreeing((k) => p.phases[k]) : null)),
  };
}

/** The whole analysis from trained grids (one snapshot per pass): what the CLI writes and the tests check. */
export function phaseGrid(config: LabConfig, snapshots: readonly ViewSnapshot[]): PhaseGridResult {
  return combinePasses(config, snapshots.map((s) => classifyPass(config, s, snapshots.length > 1)));
}

/** Per cell: the phase now and the step since which it has not changed (a cell has "settled" when that is long enough ago). */
export interface Settling {
  phases: Phase[];
  since: Int32Array;
}

export function trackSettling(prev: Settling | null, phases: readonly Phase[], step: number): Settling {
  const since = new Int32Array(phases.length);
  for (let k = 0; k < phases.length; k++) {
    since[k] = prev && prev.phases.length === phases.length && prev.phases[k] === phases[k] ? prev.since[k] : step;
  }
  return { phases: [...phases], since };
}

/** Steps a cell's phase must hold before the diagram shows it as settled. */
export function settleSteps(totalSteps: number): number {
  return Math.max(100, Math.round(totalSteps * 0.2));
}

/** Feature dimensionality and norm of the extra feature of one cell (for tooltips). */
export function extraFeatureFacts(s: ViewSnapshot, k: number): { norm: number; D: number; W: number[] } {
  const W = instanceW(s, k);
  const extra = s.n - 1;
  return { norm: featureNorms(W, s.m, s.n)[extra], D: featureDimensionality(W, s.m, s.n)[extra], W: Array.from(W) };
}
