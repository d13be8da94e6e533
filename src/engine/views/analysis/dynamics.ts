// Learning dynamics (science.md §5.7): snapshots of one model during training. Feature
// dimensionalities do not drift smoothly; they sit on the sticky fractions of §4.5 and jump
// between them, and the jumps line up with drops of the loss. This finds the jumps.

import { describeGeometry, instanceMetrics, REPRESENTED_NORM, STICKY_FRACTIONS, type PolytopeLabel } from '../../toy/metrics';
import type { Frame } from './viewSnapshot';

/** A state must hold for at least this many consecutive frames (and 4% of the run) to count as settled. */
export const SETTLE_FRAMES = 4;

/** Frames a state must hold, for a run of `count` frames. */
export function settleFrames(count: number): number {
  return Math.max(SETTLE_FRAMES, Math.ceil(count / 25));
}

export interface FrameFacts {
  step: number;
  loss: number;
  D: number[];
  norms: number[];
  /** per feature: the nearest sticky fraction (that fits in m dimensions), 0 when not represented */
  snapped: number[];
  geometry: string;
}

export interface Jump {
  /** first frame of the new settled state */
  step: number;
  frame: number;
  from: string;
  to: string;
  /** features whose fraction changed */
  features: { feature: number; from: number; to: number }[];
  /** mean loss over the last frames of the old state and over the first frames of the new one (settleFrames each) */
  lossBefore: number;
  lossAfter: number;
}

export interface DynamicsResult {
  frames: FrameFacts[];
  jumps: Jump[];
  /** the settled states in order, with the frame range each held */
  states: { from: number; to: number; geometry: string }[];
}

/** The nearest sticky fraction. Features in transit snap to whatever is nearest, frame by frame, so they rarely hold one state for long. */
function snap(norm: number, D: number, m: number): number {
  if (norm < REPRESENTED_NORM) return 0;
  let best = 1;
  for (const f of STICKY_FRACTIONS) {
    if (f.dims > m) continue;
    if (Math.abs(D - f.value) < Math.abs(D - best)) best = f.value;
  }
  return best;
}

const labelOf = (v: number): PolytopeLabel => (v === 0 ? 'not represented' : (STICKY_FRACTIONS.find((f) => f.value === v)?.label ?? 'irregular'));

export function frameFacts(f: Frame, m: number, n: number): FrameFacts {
  const met = instanceMetrics(f.W, m, n);
  const D = Array.from(met.featureDimensionality);
  const norms = Array.from(met.featureNorms);
  const snapped = D.map((d, i) => snap(norms[i], d, m));
  return { step: f.step, loss: f.loss, D, norms, snapped, geometry: met.geometry };
}

const key = (s: number[]) => s.map((v) => v.toFixed(4)).join(',');

export function dynamicsAnalysis(frames: readonly Frame[], m: number, n: number): DynamicsResult {
  const facts = frames.map((f) => frameFacts(f, m, n));
  const hold = settleFrames(facts.length);
  // runs of identical states that hold long enough
  const states: { from: number; to: number; key: string; snapped: number[] }[] = [];
  let runStart = 0;
  for (let t = 1; t <= facts.length; t++) {
    if (t < facts.length && key(facts[t].snapped) === key(facts[runStart].snapped)) continue;
    const s = facts[runStart].snapped;
    if (t - runStart >= hold) states.push({ from: runStart, to: t - 1, key: key(s), snapped: s });
    runStart = t;
  }
  // merge neighbouring settled runs of the same state (a brief wobble in between is not a jump)
  const merged: typeof states = [];
  for (const s of states) {
    const last = merged[merged.length - 1];
    if (last && last.key === s.key) last.to = s.to;
    else merged.push({ ...s });
  }
  const meanLoss = (a: number, b: number) => {
    const xs = facts.slice(Math.max(0, a), Math.min(facts.length, b + 1)).map((f) => f.loss).filter(Number.isFinite);
    return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN;
  };
  const geometryOf = (snapped: number[]) => describeGeometry(snapped.map(labelOf));
  const jumps: Jump[] = [];
  for (let i = 1; i < merged.length; i++) {
    const a = merged[i - 1];
    const b = merged[i];
    jumps.push({
      step: facts[b.from].step,
      frame: b.from,
      from: geometryOf(a.snapped),
      to: geometryOf(b.snapped),
      features: b.snapped.map((to, feature) => ({ feature, from: a.snapped[feature], to })).filter((c) => c.from !== c.to),
      lossBefore: meanLoss(a.to - hold + 1, a.to),
      lossAfter: meanLoss(b.from, b.from + hold - 1),
    });
  }
  return { frames: facts, jumps, states: merged.map((s) => ({ from: s.from, to: s.to, geometry: geometryOf(s.snapped) })) };
}
