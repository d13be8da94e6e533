// Token sequences for the induction task (transformers.md §1.2): random content tokens after BOS with
// one repeated segment, as the reference's batch(); the `fixed` pitfall variant; the canonical eval set.
// Layout: Int32Array [B][T] row-major; content tokens 0 … vocab − 1, BOS = vocab (the model's last token).

import { createRng, type Rng } from '../shared/rng';
import { evalRepeatLength, MAX_REPEAT, MIN_REPEAT, type RepeatMode } from './config';

export interface InductionDataSpec {
  /** content tokens (BOS is the token after them) */
  vocab: number;
  /** sequence length T */
  ctx: number;
  repeat: RepeatMode;
}

/** The eval set's seed: the same sequences for every run, whatever its training seed. */
export const EVAL_SEED = 12345;
export const EVAL_SEQUENCES = 256;
/** Fork label of the training-batch stream of a run's seed (far from the labels initParams uses). */
const TRAINING_STREAM = 1_000_000;

/** The stream training batches are drawn from for a run's seed. */
export function trainingRng(seed: number): Rng {
  return createRng(seed).fork(TRAINING_STREAM);
}

/** Repeat lengths the random variant draws from: U{4 … 15}, clamped to what fits twice after BOS. */
export function repeatLengthRange(ctx: number): { min: number; max: number } {
  const max = Math.min(MAX_REPEAT, Math.floor((ctx - 1) / 2));
  return { min: Math.min(MIN_REPEAT, max), max };
}

const randomInt = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1)); // lo … hi inclusive

/**
 * Fill `out` ([B][T]) with B training sequences. random: every slot a fresh token, then a segment of
 * length L ~ U{min…max} starting at s1 ~ U{1 … T−2L} is copied to s2 ~ U{s1+L … T−L} (the reference's
 * batch()). fixed: [BOS, r_1..r_L, r_1..r_L, filler…] with L the eval length.
 */
export function sampleBatch(spec: InductionDataSpec, rng: Rng, B: number, out = new Int32Array(B * spec.ctx)): Int32Array {
  const { vocab, ctx: T } = spec;
  if (out.length !== B * T) throw new Error(`batch buffer holds ${out.length} tokens; B × T is ${B * T}`);
  const { min, max } = repeatLengthRange(T);
  for (let b = 0; b < B; b++) {
    const row = out.subarray(b * T, (b + 1) * T);
    row[0] = vocab;
    for (let i = 1; i < T; i++) row[i] = randomInt(rng, 0, vocab - 1);
    if (spec.repeat === 'fixed') {
      const L = evalRepeatLength(T);
      row.copyWithin(1 + L, 1, 1 + L);
      continue;
    }
    const L = randomInt(rng, min, max);
    const s1 = randomInt(rng, 1, T - 2 * L);
    const s2 = randomInt(rng, s1 + L, T - L);
    row.copyWithin(s2, s1, s1 + L);
  }
  return out;
}

export interface EvalSet {
  tokens: Int32Array;
  /** number of sequences */
  B: number;
  /** sequence length 2L + 1 */
  T: number;
  /** repeat length */
  L: number;
}

/** The canonical eval form [BOS, r_1..r_L, r_1..r_L] (L = 15 for T ≥ 31), from a fixed seed. */
export function evalSet(vocab: number, ctx: number, count = EVAL_SEQUENCES, seed = EVAL_SEED): EvalSet {
  const L = evalRepeatLength(ctx);
  const T = 2 * L + 1;
  const rng = createRng(seed);
  const tokens = new Int32Array(count * T);
  for (let b = 0; b < count; b++) {
    const row = tokens.subarray(b * T, (b + 1) * T);
    row[0] = vocab;
    for (let k = 1; k <= L; k++) row[k] = row[L + k] = randomInt(rng, 0, vocab - 1);
  }
  return { tokens, B: count, T, L };
}
