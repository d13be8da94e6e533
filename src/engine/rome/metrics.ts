// Edit metrics (transformers.md §2.4, CounterFact definitions) on the facts model. With o_c the true object and o*
// the new one, for one edit:
//   efficacy       fraction of rewrite prompts (template 1, prefixes 0–3) with P(o*) > P(o_c)
//   paraphrase     the same on template 2, prefixes 0–3
//   neighbourhood  prompts (both templates, no prefix) of other subjects with the same relation and true object o_c
//                  where still P(o_c) > P(o*)
//   tokenSharing   prompts (both templates, no prefix) of subjects sharing the first or the last name, same relation,
//                  where still P(their true object) > P(o*) (those whose true object is o* are left out)
//   otherRelations the subject's other three relations (both templates, prefixes 0–3) still top-1 right
//   accuracy       top-1 on every untouched fact (all facts but the edited ones), both templates, prefixes 0–3
// Each score is a fraction in [0, 1]; over many edits the CLI reports their means.

import type { TransformerTrainer } from '../transformer/model';
import {
  buildPrompt, evalPrefixes, MAX_PREFIX, neighbourhood, objectToken, otherRelations, tokenSharing, type Fact, type FactSet,
} from './facts';
import { argmax, evaluateFacts, lastTokenProbs } from './factsModel';

export interface EditScores {
  efficacy: number;
  /** mean P(o*) − P(o_c) on the rewrite prompts (EM) */
  efficacyMagnitude: number;
  /** fraction of rewrite prompts with o* top-1 */
  efficacyTop1: number;
  paraphrase: number;
  paraphraseTop1: number;
  neighbourhood: number;
  tokenSharing: number;
  otherRelations: number;
  /** P(o*) and P(o_c) on the bare rewrite prompt, for captions */
  rewriteProbs: { newObject: number; trueObject: number };
}

interface Probe {
  group: 'rewrite' | 'paraphrase' | 'neighbourhood' | 'tokenSharing' | 'otherRelations';
  tokens: number[];
  /** the object that should win (o* for rewrite/paraphrase, the prompt's true object otherwise) */
  good: number;
  /** the object it competes with (o_c for rewrite/paraphrase, o* for neighbours; −1 = top-1 check) */
  bad: number;
}

function probes(set: FactSet, fact: Fact, newObject: number): Probe[] {
  const prefixes = evalPrefixes(set.seed);
  const oNew = objectToken(fact.relation, newObject);
  const oTrue = objectToken(fact.relation, fact.object);
  const out: Probe[] = [];
  for (let p = 0; p <= MAX_PREFIX; p++) {
    out.push({ group: 'rewrite', tokens: buildPrompt(set, fact.subject, fact.relation, 0, prefixes[p]).tokens, good: oNew, bad: oTrue });
    out.push({ group: 'paraphrase', tokens: buildPrompt(set, fact.subject, fact.relation, 1, prefixes[p]).tokens, good: oNew, bad: oTrue });
  }
  for (const n of neighbourhood(set, fact)) {
    for (const t of [0, 1]) out.push({ group: 'neighbourhood', tokens: buildPrompt(set, n.subject, n.relation, t).tokens, good: oTrue, bad: oNew });
  }
  for (const n of tokenSharing(set, fact)) {
    if (n.object === newObject) continue;
    for (const t of [0, 1]) out.push({ group: 'tokenSharing', tokens: buildPrompt(set, n.subject, n.relation, t).tokens, good: objectToken(n.relation, n.object), bad: oNew });
  }
  for (const o of otherRelations(set, fact)) {
    for (const t of [0, 1]) {
      for (let p = 0; p <= MAX_PREFIX; p++) out.push({ group: 'otherRelations', tokens: buildPrompt(set, o.subject, o.relation, t, prefixes[p]).tokens, good: objectToken(o.relation, o.object), bad: -1 });
    }
  }
  return out;
}

/** The per-edit scores of the model as the trainer holds it now. */
export function editScores(trainer: TransformerTrainer, set: FactSet, fact: Fact, newObject: number): EditScores {
  const ps = probes(set, fact, newObject);
  const probs = lastTokenProbs(trainer, ps.map((p) => p.tokens));
  const sums: Record<Probe['group'], [number, number]> = { rewrite: [0, 0], paraphrase: [0, 0], neighbourhood: [0, 0], tokenSharing: [0, 0], otherRelations: [0, 0] };
  let em = 0, top1R = 0, top1P = 0;
  let bare: { newObject: number; trueObject: number } | null = null;
  ps.forEach((p, i) => {
    const pr = probs[i];
    const ok = p.bad === -1 ? argmax(pr) === p.good : pr[p.good] > pr[p.bad];
    sums[p.group][0] += ok ? 1 : 0;
    sums[p.group][1]++;
    if (p.group === 'rewrite') {
      em += pr[p.good] - pr[p.bad];
      top1R += argmax(pr) === p.good ? 1 : 0;
      bare ??= { newObject: pr[p.good], trueObject: pr[p.bad] };
    }
    if (p.group === 'paraphrase') top1P += argmax(pr) === p.good ? 1 : 0;
  });
  // a group with no prompts (e.g. no neighbour shares the true object) counts as untouched: 1
  const frac = (g: Probe['group']) => (sums[g][1] ? sums[g][0] / sums[g][1] : 1);
  return {
    efficacy: frac('rewrite'),
    efficacyMagnitude: em / sums.rewrite[1],
    efficacyTop1: top1R / sums.rewrite[1],
    paraphrase: frac('paraphrase'),
    paraphraseTop1: top1P / sums.paraphrase[1],
    neighbourhood: frac('neighbourhood'),
    tokenSharing: frac('tokenSharing'),
    otherRelations: frac('otherRelations'),
    rewriteProbs: bare!,
  };
}

/** Top-1 accuracy on every fact not in `edited` (both templates, prefixes 0–3). */
export function untouchedAccuracy(trainer: TransformerTrainer, set: FactSet, edited: readonly number[]): number {
  const skip = new Set(edited);
  return evaluateFacts(trainer, set, set.facts.filter((f) => !skip.has(f.id))).all;
}
