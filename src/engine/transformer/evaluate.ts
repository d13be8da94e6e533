// Evaluation of a model on the canonical eval set through any engine's forward pass: losses, head
// scores, ablations and the weight-based circuit scores (metrics.ts does the arithmetic).

import type { EvalSet } from './data';
import {
  composition,
  copyingScores,
  copyLosses,
  headScores,
  HEAD_THRESHOLD,
  tokenLosses,
  type Composition,
  type HeadScores,
} from './metrics';
import type { HeadAblation, TransformerParams, TransformerTrainer } from './model';

type Forwarder = Pick<TransformerTrainer, 'forward' | 'shape'>;

export interface EvalSummary {
  firstCopyLoss: number;
  secondCopyLoss: number;
  lossByPosition: number[];
  heads: HeadScores[];
}

/** Losses and head scores on the eval set (optionally with heads ablated), and the attention patterns they came from. */
export function evaluateWithPatterns(model: Forwarder, set: EvalSet, ablate?: readonly HeadAblation[]): { summary: EvalSummary; patterns: Float32Array[] } {
  const r = model.forward(set.tokens, set.B, set.T, ablate ? { ablate } : {});
  const losses = copyLosses(tokenLosses(r.logits, set.tokens, set.B, set.T, model.shape.vocab), set.B, set.T);
  return { summary: { ...losses, heads: headScores(r, model.shape.heads) }, patterns: r.patterns };
}

/** Losses and head scores on the eval set (optionally with heads ablated). */
export function evaluate(model: Forwarder, set: EvalSet, ablate?: readonly HeadAblation[]): EvalSummary {
  return evaluateWithPatterns(model, set, ablate).summary;
}

/** K/Q/V composition for every pair of layers l < l′ ([] with one layer). */
export function compositions(params: TransformerParams): Composition[] {
  const { layers } = params.shape;
  const pairs: Composition[] = [];
  for (let from = 0; from < layers; from++) for (let to = from + 1; to < layers; to++) pairs.push(composition(params, from, to));
  return pairs;
}

/** Second-copy loss with the given heads zeroed together. */
export function secondCopyLossWithout(model: Forwarder, set: EvalSet, heads: readonly [number, number][]): number {
  return evaluate(model, set, heads.map(([layer, head]) => ({ layer, head, mode: 'zero' as const }))).secondCopyLoss;
}

/** Heads in layers ≥ 1 whose induction score reaches the threshold (the circuit's second half). */
export function inductionHeads(heads: readonly HeadScores[]): [number, number][] {
  return heads.filter((h) => h.layer >= 1 && h.induction >= HEAD_THRESHOLD).map((h) => [h.layer, h.head]);
}

export interface FinalEvaluation extends EvalSummary {
  /** second-copy loss with each head zeroed alone */
  ablation: { layer: number; head: number; secondCopyLoss: number }[];
  /** every layer ≥ 1 head with induction ≥ 0.4 zeroed together; secondCopyLoss null when there is none */
  ablateInduction: { heads: [number, number][]; secondCopyLoss: number | null };
  /** K-composition [layer-0 head][layer-1 head] ([] with one layer) */
  kComposition: number[][];
  /** K/Q/V composition for every pair of layers l < l′ */
  composition: Composition[];
  /** OV copying score per [layer][head] */
  copying: number[][];
}

/** Everything the run record reports at the end; `summary` reuses an evaluation of the same weights. */
export function finalEvaluation(model: Forwarder & Pick<TransformerTrainer, 'params'>, set: EvalSet, summary = evaluate(model, set)): FinalEvaluation {
  const { layers } = model.shape;
  const ablation = summary.heads.map(({ layer, head }) => ({ layer, head, secondCopyLoss: secondCopyLossWithout(model, set, [[layer, head]]) }));
  const induction = inductionHeads(summary.heads);
  const params = model.params();
  const pairs = compositions(params);
  return {
    ...summary,
    ablation,
    ablateInduction: { heads: induction, secondCopyLoss: induction.length ? secondCopyLossWithout(model, set, induction) : null },
    kComposition: layers >= 2 ? pairs[0].k : [],
    composition: pairs,
    copying: copyingScores(params),
  };
}
