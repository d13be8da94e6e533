// Monitor & ablate on the privileged-basis toy model (issue 14): h = ReLU(W x), x′ = ReLU(Wᵀ h + b).
// Pure functions of plain arrays (W, b, the SAE's weights): detectors of a target feature read from h,
// interventions on h and what they cost every feature, steering, and the live monitor's stream.

import type { Rng } from '../shared/rng';
import { alarmStats, auroc, fitProbe, probeScores, rocCurve, STRONG_ACTIVATION, type Probe } from './detect';

/** A feature is represented when ‖W_i‖ reaches this (the lab's REPRESENTED_NORM). */
export { REPRESENTED_NORM } from '../toy/metrics';
import { REPRESENTED_NORM } from '../toy/metrics';

export interface ToyBase {
  n: number;
  m: number;
  /** m×n row-major: neuron j reads feature i with W[j·n + i] */
  W: Float32Array;
  b: Float32Array;
  importance: Float32Array;
  /** probability that a feature is zero */
  sparsity: number;
  /** h = ReLU(W x) (default, the privileged basis) or h = W x (relu-output, linear: the live lab's models) */
  hiddenRelu?: boolean;
  /** x′ = ReLU(Wᵀh + b) (default) or Wᵀh + b (linear) */
  outputRelu?: boolean;
}

/** One SAE (instance 0 of an SaeSnapshot): z = ReLU(Wenc (h − bdec) + benc), ĥ = Wdec z + bdec. */
export interface ToySae {
  L: number;
  dIn: number;
  /** [L][dIn] */
  Wenc: Float32Array;
  benc: Float32Array;
  /** [dIn][L], unit columns */
  Wdec: Float32Array;
  bdec: Float32Array;
  /** [L] 1 = dead (never fired in the last window) */
  dead: Uint8Array;
}

/** Per neuron, max|w| / Σ|w| over the features it reads (1 = monosemantic, 1/n = evenly polysemantic). */
export function monosemanticity(W: ArrayLike<number>, m: number, n: number): number[] {
  return Array.from({ length: m }, (_, j) => {
    let max = 0, sum = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(W[j * n + i]);
      max = Math.max(max, a);
      sum += a;
    }
    return sum > 0 ? max / sum : 0;
  });
}

/** Fresh sparse inputs [N][n]: each feature on with probability 1 − S, then U[0,1] (the toy data). */
export function sampleInputs(n: number, sparsity: number, N: number, rng: Rng): Float32Array {
  const x = new Float32Array(N * n);
  for (let r = 0; r < N; r++) for (let i = 0; i < n; i++) x[r * n + i] = rng.next() < 1 - sparsity ? rng.next() : 0;
  return x;
}

/** h = ReLU(W x) for every row, [N][m]. */
export function hiddenOf(base: Pick<ToyBase, 'W' | 'm' | 'n' | 'hiddenRelu'>, x: ArrayLike<number>, N: number): Float32Array {
  const { W, m, n } = base;
  const relu = base.hiddenRelu !== false;
  const h = new Float32Array(N * m);
  for (let r = 0; r < N; r++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += W[j * n + i] * x[r * n + i];
      h[r * m + j] = s > 0 || !relu ? s : 0;
    }
  }
  return h;
}

/** x′ = ReLU(Wᵀ h + b) for every row of a (possibly edited) hidden layer, [N][n]. */
export function outputOf(base: Pick<ToyBase, 'W' | 'b' | 'm' | 'n' | 'outputRelu'>, h: ArrayLike<number>, N: number): Float32Array {
  const { W, b, m, n } = base;
  const relu = base.outputRelu !== false;
  const y = new Float32Array(N * n);
  for (let r = 0; r < N; r++) {
    for (let i = 0; i < n; i++) {
      let s = b[i];
      for (let j = 0; j < m; j++) s += W[j * n + i] * h[r * m + j];
      y[r * n + i] = s > 0 || !relu ? s : 0;
    }
  }
  return y;
}

/** Each feature's loss: mean over rows of I_i (x_i − x′_i)². */
export function featureLosses(x: ArrayLike<number>, y: ArrayLike<number>, importance: ArrayLike<number>, N: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < N; r++) for (let i = 0; i < n; i++) out[i] += importance[i] * (x[r * n + i] - y[r * n + i]) ** 2;
  for (let i = 0; i < n; i++) out[i] /= N;
  return out;
}

/** The SAE's latent activations z for every row of h, [N][L]. */
export function saeLatents(sae: ToySae, h: ArrayLike<number>, N: number): Float32Array {
  const { L, dIn: d } = sae;
  const z = new Float32Array(N * L);
  for (let r = 0; r < N; r++) {
    for (let l = 0; l < L; l++) {
      let a = sae.benc[l];
      for (let j = 0; j < d; j++) a += sae.Wenc[l * d + j] * (h[r * d + j] - sae.bdec[j]);
      z[r * L + l] = a > 0 ? a : 0;
    }
  }
  return z;
}

/**
 * Feature i's direction in the hidden layer: where h = ReLU(W x) puts it when it is the only active feature,
 * ReLU(W_i)/‖ReLU(W_i)‖ (the negative entries of W_i are clipped away, so this is not Ŵ_i). Zero if W_i ≤ 0.
 */
export function featureDirection(base: Pick<ToyBase, 'W' | 'm' | 'n' | 'hiddenRelu'>, i: number): Float64Array {
  const { W, m, n } = base;
  const relu = base.hiddenRelu !== false;
  const u = new Float64Array(m);
  let s = 0;
  for (let j = 0; j < m; j++) {
    u[j] = relu ? Math.max(0, W[j * n + i]) : W[j * n + i];
    s += u[j] * u[j];
  }
  const norm = Math.sqrt(s);
  if (norm > 0) for (let j = 0; j < m; j++) u[j] /= norm;
  return u;
}

/** Cosine of every SAE decoder column with feature i's hidden direction (featureDirection), [L]. */
export function latentCosines(base: Pick<ToyBase, 'W' | 'm' | 'n' | 'hiddenRelu'>, sae: ToySae, i: number): number[] {
  const u = featureDirection(base, i);
  return Array.from({ length: sae.L }, (_, l) => {
    let dot = 0, dn = 0;
    for (let j = 0; j < base.m; j++) {
      dot += sae.Wdec[j * sae.L + l] * u[j];
      dn += sae.Wdec[j * sae.L + l] ** 2;
    }
    return dot / (Math.sqrt(dn) || 1);
  });
}

/** The alive latent whose decoder direction is closest to feature i's (signed cosine), or −1 if none points its way. */
export function matchLatent(base: Pick<ToyBase, 'W' | 'm' | 'n' | 'hiddenRelu'>, sae: ToySae, i: number): { index: number; cosine: number } {
  const cos = latentCosines(base, sae, i);
  let index = -1, cosine = 0;
  cos.forEach((c, l) => {
    if (!sae.dead[l] && c > cosine) {
      index = l;
      cosine = c;
    }
  });
  return { index, cosine };
}

export function featureNorm(base: Pick<ToyBase, 'W' | 'm' | 'n'>, i: number): number {
  let s = 0;
  for (let j = 0; j < base.m; j++) s += base.W[j * base.n + i] ** 2;
  return Math.sqrt(s);
}

// ---- detectors ----

export const DETECTORS = ['neuron', 'sae', 'probe'] as const;
export type DetectorKind = (typeof DETECTORS)[number];

export interface DetectorResult {
  /** neuron or latent index (−1: no latent matched); −1 for the probe */
  index: number;
  auroc: number;
  falseAlarms: number;
  threshold: number;
  recall: number;
  /** [fpr, tpr] points */
  roc: [number, number][];
}

/** What a detector reads: a neuron, an SAE latent, or a probe over the whole hidden layer. */
export type DetectorSpec = { kind: 'neuron'; index: number } | { kind: 'sae'; index: number } | { kind: 'probe'; probe: Probe };

/** Every detector's score of every row. */
export function detectorScores(spec: DetectorSpec, h: Float32Array, z: Float32Array | null, N: number, m: number, L: number): Float32Array {
  const s = new Float32Array(N);
  if (spec.kind === 'probe') return probeScores(spec.probe, h, N, m);
  if (spec.index < 0) return s;
  for (let r = 0; r < N; r++) s[r] = spec.kind === 'neuron' ? h[r * m + spec.index] : z![r * L + spec.index];
  return s;
}

/** The masks the statistics use: target present (x_t > 0), strong (x_t > 0.1), absent with another feature present. */
export function truthMasks(x: ArrayLike<number>, N: number, n: number, t: number): { present: Uint8Array; strong: Uint8Array; otherOnly: Uint8Array } {
  const present = new Uint8Array(N), strong = new Uint8Array(N), otherOnly = new Uint8Array(N);
  for (let r = 0; r < N; r++) {
    const v = x[r * n + t];
    present[r] = v > 0 ? 1 : 0;
    strong[r] = v > STRONG_ACTIVATION ? 1 : 0;
    if (v === 0) {
      for (let i = 0; i < n; i++) if (i !== t && x[r * n + i] > 0) { otherOnly[r] = 1; break; }
    }
  }
  return { present, strong, otherOnly };
}

function detectorResult(index: number, scores: Float32Array, masks: ReturnType<typeof truthMasks>, nonNegative: boolean): DetectorResult {
  const a = alarmStats(scores, masks.strong, masks.otherOnly, nonNegative);
  return { index, auroc: auroc(scores, masks.present), falseAlarms: a.falseAlarms, threshold: a.threshold, recall: a.recall, roc: rocCurve(scores, masks.present) };
}

// ---- ablations ----

export const ABLATIONS = ['neuron', 'neuronMean', 'sae', 'direction'] as const;
export type AblationKind = (typeof ABLATIONS)[number];

export interface AblationResult {
  /** target's loss increase / its loss increase when the feature is dropped entirely */
  removed: number;
  /** Σ over the other features of their loss increase (negative changes count 0), in the same units */
  collateral: number;
  /** every feature's loss change in the same units (the target's is `removed`) */
  perFeature: number[];
}

export interface SteeringPoint {
  /** the coefficient c of the added c·ReLU(W_t) */
  strength: number;
  /** mean x′_t on inputs where the target is absent */
  target: number;
  /** fraction of those inputs where x′_t exceeds 0.1 (the behaviour switched on) */
  onRate: number;
  /** mean Σ_{j≠t} |Δx′_j| on the same inputs */
  others: number;
}

export const STEERING_STRENGTHS = [0, 0.25, 0.5, 0.75, 1] as const;

export interface FeatureResult {
  target: number;
  represented: boolean;
  /** ‖W_t‖ */
  norm: number;
  /** target's loss increase (importance-weighted) when its output no longer reads the hidden layer (x′_t = ReLU(b_t)) */
  dropLoss: number;
  /** cosine of the matched SAE latent's decoder column with the target's hidden direction ReLU(W_t) */
  saeCosine: number;
  detectors: Record<DetectorKind, DetectorResult>;
  ablations: Record<AblationKind, AblationResult>;
  steering: SteeringPoint[];
}

/** Edit a hidden layer in place for one ablation. */
function ablate(kind: AblationKind, h: Float32Array, z: Float32Array, N: number, m: number, ctx: { neuron: number; neuronMean: number; sae: ToySae; latent: number; u: Float64Array }): void {
  for (let r = 0; r < N; r++) {
    const row = r * m;
    if (kind === 'neuron') h[row + ctx.neuron] = 0;
    else if (kind === 'neuronMean') h[row + ctx.neuron] = ctx.neuronMean;
    else if (kind === 'sae') {
      if (ctx.latent < 0) continue;
      const a = z[r * ctx.sae.L + ctx.latent];
      if (a > 0) for (let j = 0; j < m; j++) h[row + j] -= a * ctx.sae.Wdec[j * ctx.sae.L + ctx.latent];
    } else {
      let dot = 0;
      for (let j = 0; j < m; j++) dot += h[row + j] * ctx.u[j];
      for (let j = 0; j < m; j++) h[row + j] -= dot * ctx.u[j];
    }
  }
}

export interface ToyEvaluation {
  /** [N][n] inputs, their hidden layer and the base's losses */
  x: Float32Array;
  h: Float32Array;
  z: Float32Array;
  N: number;
  baseLosses: Float64Array;
}

/** Fresh evaluation inputs and everything computed once from them. */
export function evaluationSet(base: ToyBase, sae: ToySae, N: number, rng: Rng): ToyEvaluation {
  const x = sampleInputs(base.n, base.sparsity, N, rng);
  const h = hiddenOf(base, x, N);
  const z = saeLatents(sae, h, N);
  return { x, h, z, N, baseLosses: featureLosses(x, outputOf(base, h, N), base.importance, N, base.n) };
}

/** A probe for feature t fitted on its own fresh inputs. */
export function trainProbe(base: ToyBase, t: number, N: number, rng: Rng): Probe {
  const x = sampleInputs(base.n, base.sparsity, N, rng);
  const h = hiddenOf(base, x, N);
  const label = new Uint8Array(N);
  for (let r = 0; r < N; r++) label[r] = x[r * base.n + t] > 0 ? 1 : 0;
  return fitProbe(h, N, base.m, label);
}

/** Detect, ablate and steer one target feature. */
export function analyseFeature(base: ToyBase, sae: ToySae, ev: ToyEvaluation, t: number, probe: Probe): FeatureResult {
  const { n, m } = base;
  const { x, h, z, N } = ev;
  const masks = truthMasks(x, N, n, t);
  // detectors: the neuron with the best AUROC, the latent matched by decoder direction, the probe
  const neuronAucs = Array.from({ length: m }, (_, j) => auroc(detectorScores({ kind: 'neuron', index: j }, h, z, N, m, sae.L), masks.present));
  const neuron = neuronAucs.reduce((best, a, j) => (a > neuronAucs[best] ? j : best), 0);
  const match = matchLatent(base, sae, t);
  const detectors: Record<DetectorKind, DetectorResult> = {
    neuron: detectorResult(neuron, detectorScores({ kind: 'neuron', index: neuron }, h, z, N, m, sae.L), masks, base.hiddenRelu !== false),
    sae: detectorResult(match.index, detectorScores({ kind: 'sae', index: match.index }, h, z, N, m, sae.L), masks, true),
    probe: detectorResult(-1, detectorScores({ kind: 'probe', probe }, h, z, N, m, sae.L), masks, false),
  };
  // ablations, in units of the loss the target gains when it is dropped entirely
  const dropped = outputOf(base, h, N);
  const bt = base.outputRelu === false ? base.b[t] : Math.max(0, base.b[t]);
  for (let r = 0; r < N; r++) dropped[r * n + t] = bt;
  const dropLoss = featureLosses(x, dropped, base.importance, N, n)[t] - ev.baseLosses[t];
  let neuronMean = 0;
  for (let r = 0; r < N; r++) neuronMean += h[r * m + neuron] / N;
  const norm = featureNorm(base, t);
  const u = featureDirection(base, t);
  const ctx = { neuron, neuronMean, sae, latent: match.index, u };
  const ablations = {} as Record<AblationKind, AblationResult>;
  for (const kind of ABLATIONS) {
    const edited = h.slice();
    ablate(kind, edited, z, N, m, ctx);
    const losses = featureLosses(x, outputOf(base, edited, N), base.importance, N, n);
    const perFeature = Array.from(losses, (l, i) => (l - ev.baseLosses[i]) / dropLoss);
    ablations[kind] = {
      removed: perFeature[t],
      collateral: perFeature.reduce((s, d, i) => (i === t ? s : s + Math.max(0, d)), 0),
      perFeature,
    };
  }
  return {
    target: t,
    represented: norm >= REPRESENTED_NORM,
    norm,
    dropLoss,
    saeCosine: match.cosine,
    detectors,
    ablations,
    steering: steer(base, ev, t),
  };
}

/** Add c·ReLU(W_t) (what x_t = c alone would put there) to the hidden layer of the inputs where the target is absent: does x′_t switch on, and what else moves? */
export function steer(base: ToyBase, ev: ToyEvaluation, t: number, strengths: readonly number[] = STEERING_STRENGTHS): SteeringPoint[] {
  const { n, m } = base;
  const rows: number[] = [];
  for (let r = 0; r < ev.N && rows.length < 5000; r++) if (ev.x[r * n + t] === 0) rows.push(r);
  const N = rows.length;
  const h = new Float32Array(N * m);
  rows.forEach((r, k) => h.set(ev.h.subarray(r * m, (r + 1) * m), k * m));
  const y0 = outputOf(base, h, N);
  return strengths.map((c) => {
    const hs = h.slice();
    for (let k = 0; k < N; k++) for (let j = 0; j < m; j++) hs[k * m + j] += c * (base.hiddenRelu === false ? base.W[j * n + t] : Math.max(0, base.W[j * n + t]));
    const y = outputOf(base, hs, N);
    let target = 0, on = 0, others = 0;
    for (let k = 0; k < N; k++) {
      target += y[k * n + t];
      if (y[k * n + t] > STRONG_ACTIVATION) on++;
      for (let i = 0; i < n; i++) if (i !== t) others += Math.abs(y[k * n + i] - y0[k * n + i]);
    }
    return { strength: c, target: N ? target / N : NaN, onRate: N ? on / N : NaN, others: N ? others / N : NaN };
  });
}

// ---- the live monitor ----

export interface MonitorStream {
  /** [count][n] inputs in the order they stream by */
  x: Float32Array;
  count: number;
  /** the target's value in each input */
  truth: Float32Array;
  /** per detector, its score on each input */
  scores: Record<DetectorKind, Float32Array>;
}

/** A stream of fresh inputs and each detector's score on them (the thresholds are the analysis's). */
export function monitorStream(base: ToyBase, sae: ToySae, t: number, detectors: { neuron: number; latent: number; probe: Probe }, count: number, rng: Rng): MonitorStream {
  const { n, m } = base;
  const x = sampleInputs(n, base.sparsity, count, rng);
  const h = hiddenOf(base, x, count);
  const z = saeLatents(sae, h, count);
  const truth = new Float32Array(count);
  for (let r = 0; r < count; r++) truth[r] = x[r * n + t];
  return {
    x,
    count,
    truth,
    scores: {
      neuron: detectorScores({ kind: 'neuron', index: detectors.neuron }, h, z, count, m, sae.L),
      sae: detectorScores({ kind: 'sae', index: detectors.latent }, h, z, count, m, sae.L),
      probe: detectorScores({ kind: 'probe', probe: detectors.probe }, h, z, count, m, sae.L),
    },
  };
}

export { MONOSEMANTIC_SHARE } from '../views/analysis/neurons';

/** Per neuron, the share of Σ w² its largest weight carries (the lab's neuron view calls ≥ MONOSEMANTIC_SHARE monosemantic). */
export function topSquaredShare(W: ArrayLike<number>, m: number, n: number): number[] {
  return Array.from({ length: m }, (_, j) => {
    let max = 0, sum = 0;
    for (let i = 0; i < n; i++) {
      const a = W[j * n + i] ** 2;
      max = Math.max(max, a);
      sum += a;
    }
    return sum > 0 ? max / sum : 0;
  });
}
