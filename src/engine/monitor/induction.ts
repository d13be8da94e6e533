// Monitor & ablate on the induction-heads transformer (issue 14): is "this sequence contains a repeat"
// readable from the induction head's attention to the token after my previous occurrence, and not from the
// previous-token head alone? And what does zeroing the induction heads remove? Pure functions of a
// trained model's forward passes (through the TransformerTrainer contract), seeded.

import type { Rng } from '../shared/rng';
import { evalSet, sampleBatch, type EvalSet } from '../transformer/data';
import { evaluate, inductionHeads } from '../transformer/evaluate';
import type { HeadScores } from '../transformer/metrics';
import type { TransformerTrainer } from '../transformer/model';
import { alarmStats, auroc, rocCurve } from './detect';

/** The window of consecutive positions whose mean attention scores a sequence (the shortest repeat is 4). */
export const REPEAT_WINDOW = 4;

export const INDUCTION_DETECTORS = ['induction', 'prevToken'] as const;
export type InductionDetectorKind = (typeof INDUCTION_DETECTORS)[number];

export interface InductionSequences {
  tokens: Int32Array;
  B: number;
  T: number;
  /** 1 where the sequence contains a copied segment (the training distribution), 0 for plain random tokens */
  repeated: Uint8Array;
}

/** Half the sequences with one repeated segment (4–15 tokens, as in training), half uniform random tokens, shuffled. */
export function detectionSequences(vocab: number, T: number, count: number, rng: Rng): InductionSequences {
  const B = count;
  const tokens = new Int32Array(B * T);
  const repeated = new Uint8Array(B);
  const one = new Int32Array(T);
  for (let b = 0; b < B; b++) {
    repeated[b] = rng.next() < 0.5 ? 1 : 0;
    if (repeated[b]) sampleBatch({ vocab, ctx: T, repeat: 'random' }, rng, 1, one);
    else {
      one[0] = vocab;
      for (let i = 1; i < T; i++) one[i] = Math.floor(rng.next() * vocab);
    }
    tokens.set(one, b * T);
  }
  return { tokens, B, T, repeated };
}

/**
 * A head's per-position attention to "the token after my previous occurrence", read from its attention pattern
 * alone (no token identities): inside a copied segment the induction head at query i attends to key j = p + 1
 * where p is the previous occurrence of token i, and at query i − 1 it attended to j − 1, so its attention
 * forms a diagonal stripe. s(i) = Σ_{2 ≤ j ≤ i−2} A[i, j] · A[i−1, j−1] (BOS, self and previous token left out,
 * so a previous-token head's own stripe does not count). [B][T].
 */
export function copyStripe(pattern: Float32Array, B: number, H: number, T: number, head: number): Float32Array {
  const out = new Float32Array(B * T);
  for (let b = 0; b < B; b++) {
    const base = (b * H + head) * T * T;
    for (let i = 3; i < T; i++) {
      let s = 0;
      for (let j = 2; j <= i - 2; j++) s += pattern[base + i * T + j] * pattern[base + (i - 1) * T + j - 1];
      out[b * T + i] = s;
    }
  }
  return out;
}

/** A sequence's score: the largest mean of `perPosition` over REPEAT_WINDOW consecutive positions. */
export function sequenceScores(perPosition: Float32Array, B: number, T: number, width = REPEAT_WINDOW): Float32Array {
  const out = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    let best = 0;
    for (let i = 1; i + width <= T; i++) {
      let s = 0;
      for (let k = 0; k < width; k++) s += perPosition[b * T + i + k];
      best = Math.max(best, s / width);
    }
    out[b] = best;
  }
  return out;
}

export interface InductionDetector {
  layer: number;
  head: number;
  auroc: number;
  /** fraction of non-repeating sequences flagged at the threshold catching 90% of the repeating ones */
  falseAlarms: number;
  threshold: number;
  recall: number;
  roc: [number, number][];
}

export interface InductionAnalysis {
  heads: HeadScores[];
  /** first- and second-copy losses on the eval set (nats) */
  firstCopyLoss: number;
  secondCopyLoss: number;
  lnV: number;
  detectors: Record<InductionDetectorKind, InductionDetector>;
  /** the heads zeroed (layer ≥ 1 with induction ≥ 0.4, else the best last-layer head) */
  ablatedHeads: [number, number][];
  /** removed: second-copy loss increase / (first − second copy loss), the in-context benefit; collateral: first-copy loss increase in the same units */
  ablation: { removed: number; collateral: number; firstCopyLoss: number; secondCopyLoss: number };
}

/** Which head each detector reads: the best induction head in layers ≥ 1, the best previous-token head in layer 0. */
export function pickHeads(heads: readonly HeadScores[]): Record<InductionDetectorKind, [number, number]> {
  const best = (list: readonly HeadScores[], score: (h: HeadScores) => number) => list.reduce((a, h) => (score(h) > score(a) ? h : a), list[0]);
  const ind = best(heads.filter((h) => h.layer >= 1).length ? heads.filter((h) => h.layer >= 1) : heads, (h) => h.induction);
  const prev = best(heads.filter((h) => h.layer === 0), (h) => h.prevToken);
  return { induction: [ind.layer, ind.head], prevToken: [prev.layer, prev.head] };
}

/** Each detector's score of each sequence. */
export function inductionScores(model: Pick<TransformerTrainer, 'forward' | 'shape'>, seqs: InductionSequences, picks: Record<InductionDetectorKind, [number, number]>): Record<InductionDetectorKind, Float32Array> {
  const r = model.forward(seqs.tokens, seqs.B, seqs.T);
  const H = model.shape.heads;
  const score = ([layer, head]: [number, number]) => sequenceScores(copyStripe(r.patterns[layer], seqs.B, H, seqs.T, head), seqs.B, seqs.T);
  return { induction: score(picks.induction), prevToken: score(picks.prevToken) };
}

/** Detect repeats and ablate the induction heads of a trained model. */
export function analyseInduction(model: Pick<TransformerTrainer, 'forward' | 'shape'>, contentVocab: number, rng: Rng, count = 512): InductionAnalysis {
  const T = model.shape.ctx;
  const set: EvalSet = evalSet(contentVocab, T);
  const summary = evaluate(model, set);
  const picks = pickHeads(summary.heads);
  const seqs = detectionSequences(contentVocab, T, count, rng);
  const scores = inductionScores(model, seqs, picks);
  const negatives = seqs.repeated.map((r) => 1 - r);
  const detector = (kind: InductionDetectorKind): InductionDetector => {
    const a = alarmStats(scores[kind], seqs.repeated, negatives, true);
    return { layer: picks[kind][0], head: picks[kind][1], auroc: auroc(scores[kind], seqs.repeated), falseAlarms: a.falseAlarms, threshold: a.threshold, recall: a.recall, roc: rocCurve(scores[kind], seqs.repeated) };
  };
  let ablatedHeads = inductionHeads(summary.heads);
  if (!ablatedHeads.length) ablatedHeads = [picks.induction];
  const ablated = evaluate(model, set, ablatedHeads.map(([layer, head]) => ({ layer, head, mode: 'zero' as const })));
  const benefit = summary.firstCopyLoss - summary.secondCopyLoss;
  return {
    heads: summary.heads,
    firstCopyLoss: summary.firstCopyLoss,
    secondCopyLoss: summary.secondCopyLoss,
    lnV: Math.log(contentVocab),
    detectors: { induction: detector('induction'), prevToken: detector('prevToken') },
    ablatedHeads,
    ablation: {
      removed: (ablated.secondCopyLoss - summary.secondCopyLoss) / benefit,
      collateral: Math.max(0, ablated.firstCopyLoss - summary.firstCopyLoss) / benefit,
      firstCopyLoss: ablated.firstCopyLoss,
      secondCopyLoss: ablated.secondCopyLoss,
    },
  };
}

/** The live monitor's stream on the induction base: fresh sequences, whether each repeats, and each detector's score. */
export function inductionStream(model: Pick<TransformerTrainer, 'forward' | 'shape'>, analysis: Pick<InductionAnalysis, 'detectors'>, contentVocab: number, count: number, rng: Rng): { repeated: Uint8Array; scores: Record<InductionDetectorKind, Float32Array>; tokens: Int32Array; T: number } {
  const seqs = detectionSequences(contentVocab, model.shape.ctx, count, rng);
  const d = analysis.detectors;
  const scores = inductionScores(model, seqs, { induction: [d.induction.layer, d.induction.head], prevToken: [d.prevToken.layer, d.prevToken.head] });
  return { repeated: seqs.repeated, scores, tokens: seqs.tokens, T: seqs.T };
}
