// What both SAE engines share (no tfjs here, so the page and the fused engine can import it):
// the result types, the initial weights, the dead-latent resampling rule on plain arrays, and the
// per-instance metrics. The TF.js engine (sae.ts) and the fused one (saeFused.ts) compute the same
// numbers from the same seeds and the same activation stream.

import type { ActivationSource } from './activations';
import { createRng, type Rng } from '../shared/rng';
import type { SaeConfig } from './config';
import { bestMatches, latentFeatureCosines, latentHistograms, mmcs } from './metrics';

/** A latent counts as active (fired) when z > ACTIVE. */
export const SAE_ACTIVE = 1e-8;

export type { EngineName as SaeEngineName } from '../shared/engines';
import type { EngineName as SaeEngineName } from '../shared/engines';

export interface SaeInstanceStats {
  loss: number;
  reconstruction: number;
  /** mean number of active latents per input */
  l0: number;
  deadFraction: number;
  mmcs: number;
}

export interface SaeSnapshot {
  step: number;
  K: number;
  dIn: number;
  L: number;
  l1: number[];
  /** [K][L][dIn] */
  Wenc: Float32Array;
  /** [K][L] */
  benc: Float32Array;
  /** [K][dIn][L], unit columns */
  Wdec: Float32Array;
  /** [K][dIn] */
  bdec: Float32Array;
  /** [K][L]: true when the latent has not fired for deadWindow steps */
  dead: Uint8Array;
  stats: SaeInstanceStats[];
  /** [K][L][G] cos between decoder columns and true directions (signed; see saeMetrics.ts) */
  cosines: Float32Array;
  bestMatch: { feature: number; cosine: number }[][];
  /** number of resampled latents so far, per instance */
  resampled: number[];
}

export interface SaeGradients {
  /** per-instance loss */
  loss: Float32Array;
  Wenc: Float32Array;
  benc: Float32Array;
  Wdec: Float32Array;
  bdec: Float32Array;
}

/** The surface both engines offer (SaeTrainer in sae.ts, SaeFusedTrainer in saeFused.ts). */
export interface SaeEngine {
  readonly engine: SaeEngineName;
  readonly config: SaeConfig;
  readonly source: ActivationSource;
  readonly dIn: number;
  readonly L: number;
  stepsDone: number;
  /**
   * k optimiser steps (with resampling when due); each instance's means over them. MMCS costs
   * L·G·dIn (large at Sharkey sizes): with `{ mmcs: false }` it is skipped and reported as NaN.
   */
  step(k: number, opts?: SaeStepOptions): SaeInstanceStats[];
  snapshot(): SaeSnapshot;
  /** per-instance loss on activations h ([B][dIn]) and the gradients of its sum (for tests) */
  gradientsOn(h: Float32Array): SaeGradients;
  dispose(): void;
}

export interface SaeStepOptions {
  /** compute MMCS (default true) */
  mmcs?: boolean;
}

export interface SaeInit {
  /** [K][L][dIn], Kaiming-uniform, bound √(6/dIn) */
  Wenc: Float32Array;
  /** [K][dIn][L], the normalised columns of its own Kaiming-uniform draw */
  Wdec: Float32Array;
  /** the resampling generator (sampling inputs ∝ loss²) */
  rng: Rng;
}

/** Initial weights and the resampling generator for a seed: identical in both engines. */
export function initialSaeParams(config: SaeConfig, d: number): SaeInit {
  const K = config.saeInstances;
  const L = config.dictSize;
  const root = createRng(config.saeSeed);
  const init = root.fork(11);
  const rng = root.fork(12);
  const bound = Math.sqrt(6 / d);
  const uniform = (len: number) => Float32Array.from({ length: len }, () => (2 * init.next() - 1) * bound);
  const Wenc = uniform(K * L * d);
  const Wdec = normaliseColumns(uniform(K * d * L), K, d, L);
  return { Wenc, Wdec, rng };
}

/** Scale every column of each instance's [dIn][L] matrix to unit norm (in place). */
export function normaliseColumns(W: Float32Array, K: number, d: number, L: number): Float32Array {
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < L; l++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += W[(k * d + j) * L + l] ** 2;
      const norm = Math.sqrt(s) || 1;
      for (let j = 0; j < d; j++) W[(k * d + j) * L + l] /= norm;
    }
  }
  return W;
}

/** 1 where a latent has not fired for deadWindow steps. `last` is the step each latent last fired. */
export function deadMask(last: ArrayLike<number>, stepsDone: number, deadWindow: number): Uint8Array {
  const window = Math.min(deadWindow, stepsDone);
  const out = new Uint8Array(last.length);
  for (let i = 0; i < last.length; i++) out[i] = stepsDone - last[i] >= window && window > 0 ? 1 : 0;
  return out;
}

/**
 * Whether dead latents are resampled after step `stepsDone`: on multiples of resampleEvery, but never in the last
 * window before the end (saeSteps − stepsDone < resampleEvery), so a resampled latent has at least one full window
 * (≥ deadWindow, which the config enforces) to fire or be found dead again before the final metrics.
 */
export function resampleDue(c: Pick<SaeConfig, 'resample' | 'resampleEvery' | 'saeSteps'>, stepsDone: number): boolean {
  return c.resample && stepsDone > 0 && stepsDone % c.resampleEvery === 0 && c.saeSteps - stepsDone >= c.resampleEvery;
}

/** Inputs in the evaluation set the final dead-latent count is taken on. */
export const SAE_EVAL_INPUTS = 8192;

type EncoderParams = { K: number; L: number; dIn: number; Wenc: ArrayLike<number>; benc: ArrayLike<number>; bdec: ArrayLike<number> };

/**
 * Which latents fire on an evaluation set h ([B][dIn]): a latent is dead when it never fires (z ≤ SAE_ACTIVE on every
 * input), whatever the training window said. Also the mean number of active latents per input (L0), per instance.
 */
export function firingOn(p: EncoderParams, h: ArrayLike<number>, B: number): { dead: Uint8Array; fired: Float32Array; l0: number[] } {
  const { fireRate } = latentHistograms(p, h, B, 1);
  const dead = Uint8Array.from(fireRate, (r) => (r > 0 ? 0 : 1));
  const fired = Float32Array.from(fireRate, (r) => Math.round(r * B));
  const l0 = Array.from({ length: p.K }, (_, k) => fireRate.subarray(k * p.L, (k + 1) * p.L).reduce((a, b) => a + b, 0));
  return { dead, fired, l0 };
}

/** A fresh evaluation set: nEval inputs drawn from the source, [nEval][dIn]. */
export function evaluationInputs(source: ActivationSource, nEval = SAE_EVAL_INPUTS): Float32Array {
  const h = new Float32Array(nEval * source.dIn);
  source.sample(nEval, h);
  return h;
}

/** firingOn a fresh evaluation set of nEval inputs drawn from the source. */
export function evaluationDead(p: EncoderParams, source: ActivationSource, nEval = SAE_EVAL_INPUTS): { dead: Uint8Array; fired: Float32Array; l0: number[] } {
  return firingOn(p, evaluationInputs(source, nEval), nEval);
}

/**
 * The final metrics of a snapshot measured on an evaluation set: dead mask, dead fraction and L0 from firingOn, MMCS over
 * the latents that fire (0 when none does). Loss and reconstruction stay the training means.
 */
export function evaluatedSnapshot(snap: SaeSnapshot, ev: { dead: Uint8Array; l0: number[] }): SaeSnapshot {
  const { K, L } = snap;
  const G = K * L ? snap.cosines.length / (K * L) : 0;
  const stats = snap.stats.map((s, k) => {
    const deadHere = ev.dead.subarray(k * L, (k + 1) * L);
    const nDead = deadHere.reduce((a, b) => a + b, 0);
    const cos = snap.cosines.subarray(k * L * G, (k + 1) * L * G);
    return { ...s, l0: ev.l0[k], deadFraction: nDead / L, mmcs: G ? mmcs(cos, L, G, Array.from(deadHere, (x) => !x)) : NaN };
  });
  return { ...snap, dead: ev.dead, stats };
}

export interface ResampleState {
  Wenc: Float32Array;
  benc: Float32Array;
  Wdec: Float32Array;
  bdec: Float32Array;
  /** Adam moments of Wenc, benc, Wdec (bdec keeps its own) */
  encM: Float32Array;
  encV: Float32Array;
  bencM: Float32Array;
  bencV: Float32Array;
  decM: Float32Array;
  decV: Float32Array;
  /** step each latent last fired, [K][L] */
  last: Float32Array | Float64Array;
}

/**
 * Re-initialise dead latents from inputs the SAE reconstructs badly (Towards Monosemanticity / ARENA):
 * pick inputs with probability ∝ loss², point the decoder column at (h − b_dec), give the encoder row
 * that direction scaled to resampleScale × the mean alive encoder norm, zero its bias and Adam state.
 * `perExample[k][r]` is instance k's reconstruction loss on row r of h. Returns the count per instance.
 */
export function resampleLatents(
  s: ResampleState, dead: Uint8Array, h: Float32Array, perExample: ArrayLike<number>[], dims: { K: number; L: number; d: number; B: number },
  resampleScale: number, stepsDone: number, rng: Rng,
): number[] {
  const { K, L, d, B } = dims;
  const counts = Array<number>(K).fill(0);
  for (let k = 0; k < K; k++) {
    const deadHere: number[] = [];
    for (let l = 0; l < L; l++) if (dead[k * L + l]) deadHere.push(l);
    if (!deadHere.length) continue;
    const weights = Array.from(perExample[k], (x) => x * x);
    const total = weights.reduce((a, b) => a + b, 0);
    let aliveNorm = 0, alive = 0;
    for (let l = 0; l < L; l++) {
      if (dead[k * L + l]) continue;
      let q = 0;
      for (let j = 0; j < d; j++) q += s.Wenc[(k * L + l) * d + j] ** 2;
      aliveNorm += Math.sqrt(q);
      alive++;
    }
    const encNorm = (alive ? aliveNorm / alive : 1) * resampleScale;
    for (const l of deadHere) {
      const r = total > 0 ? pickWeighted(weights, total, rng) : Math.floor(rng.next() * B);
      const v = Array.from({ length: d }, (_, j) => h[r * d + j] - s.bdec[k * d + j]);
      const norm = Math.hypot(...v) || 1;
      for (let j = 0; j < d; j++) {
        const u = v[j] / norm;
        const enc = (k * L + l) * d + j, dec = (k * d + j) * L + l;
        s.Wdec[dec] = u;
        s.Wenc[enc] = u * encNorm;
        s.encM[enc] = s.encV[enc] = 0;
        s.decM[dec] = s.decV[dec] = 0;
      }
      s.benc[k * L + l] = s.bencM[k * L + l] = s.bencV[k * L + l] = 0;
      s.last[k * L + l] = stepsDone; // a fresh window to prove itself
      counts[k]++;
    }
  }
  return counts;
}

function pickWeighted(weights: number[], total: number, rng: Rng): number {
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** [K] arrays of cos between each instance's decoder columns and the true directions ([L][G] each). */
export function instanceCosines(Wdec: Float32Array, K: number, d: number, L: number, source: ActivationSource): Float32Array[] {
  return Array.from({ length: K }, (_, k) => latentFeatureCosines(Wdec.subarray(k * d * L, (k + 1) * d * L), d, L, source.trueDirections, source.numTrue));
}

/** Per-instance stats from the means over a step(k) call, the dead mask and the cosines. */
/** The parts of a snapshot every engine builds the same way from its parameters (fresh copies). */
export function buildSaeSnapshot(
  p: { step: number; K: number; dIn: number; L: number; l1: readonly number[]; Wenc: Float32Array; benc: Float32Array; Wdec: Float32Array; bdec: Float32Array },
  extra: { dead: Uint8Array; stats: readonly SaeInstanceStats[]; resampled: readonly number[]; source: ActivationSource; cosines?: Float32Array[] },
): SaeSnapshot {
  const { K, L, dIn } = p;
  const G = extra.source.numTrue;
  const cos = extra.cosines ?? instanceCosines(p.Wdec, K, dIn, L, extra.source);
  const cosines = new Float32Array(K * L * G);
  cos.forEach((c, k) => cosines.set(c, k * L * G));
  return {
    step: p.step, K, dIn, L,
    l1: [...p.l1],
    Wenc: p.Wenc.slice(), benc: p.benc.slice(), Wdec: p.Wdec.slice(), bdec: p.bdec.slice(),
    dead: extra.dead,
    // a step(k, { mmcs: false }) left MMCS out; the snapshot has the cosines, so it reports the current one
    stats: extra.stats.map((s, k) => {
      if (!Number.isNaN(s.mmcs) || !G) return { ...s };
      return { ...s, mmcs: mmcs(cos[k], L, G, Array.from(extra.dead.subarray(k * L, (k + 1) * L), (x) => !x)) };
    }),
    cosines,
    bestMatch: cos.map((c) => bestMatches(c, L, G)),
    resampled: [...extra.resampled],
  };
}

export function instanceStats(means: { loss: ArrayLike<number>; reconstruction: ArrayLike<number>; l0: ArrayLike<number> }, dead: Uint8Array, cos: Float32Array[] | null, L: number, G: number): SaeInstanceStats[] {
  return Array.from(means.loss, (_, i) => {
    const c = cos?.[i];
    const deadHere = dead.subarray(i * L, (i + 1) * L);
    let nDead = 0;
    for (const x of deadHere) nDead += x;
    return {
      loss: means.loss[i],
      reconstruction: means.reconstruction[i],
      l0: means.l0[i],
      deadFraction: nDead / L,
      mmcs: c ? mmcs(c, L, G, Array.from(deadHere, (x) => !x)) : NaN,
    };
  });
}
