// The "Locate & edit" tab's computations: the before/after probes of one edit, and (re-exported from run.ts, where
// the one-shot forms run them to the end) the long computations step by step, so a worker can yield between steps.
// DOM-free.

import type { TransformerTrainer } from '../transformer/model';
import { buildPrompt, objectToken, type Fact, type FactSet } from './facts';
import { argmax, lastTokenProbs } from './factsModel';
import { probeFacts, promptWords, type ProbeRow } from './locate';

/** P(true object), P(new object) and the top-1 on the probe prompts, with the model as the trainer holds it now. */
export function editProbes(trainer: TransformerTrainer, set: FactSet, fact: Fact, newObject: number): ProbeRow[] {
  const refs = probeFacts(set, fact, newObject);
  const prompts = refs.map((r) => buildPrompt(set, r.fact.subject, r.fact.relation, r.template).tokens);
  const probs = lastTokenProbs(trainer, prompts);
  const newToken = objectToken(fact.relation, newObject);
  return refs.map((r, i) => {
    const p = probs[i];
    const trueToken = objectToken(r.fact.relation, r.fact.object);
    const top = argmax(p);
    return { group: r.group, factId: r.fact.id, words: promptWords(prompts[i]), trueToken, newToken, pTrue: p[trueToken], pNew: p[newToken], top, pTop: p[top] };
  });
}

/** P(true object) of one fact's rewrite prompt (bare) and the model's top-1 there. */
export function factProbability(trainer: TransformerTrainer, set: FactSet, fact: Fact): { p: number; top: number; pTop: number } {
  const [p] = lastTokenProbs(trainer, [buildPrompt(set, fact.subject, fact.relation, 0).tokens]);
  const top = argmax(p);
  return { p: p[objectToken(fact.relation, fact.object)], top, pTop: p[top] };
}

// the long computations step by step live beside their one-shot forms in run.ts
export { averageTraceSteps, compareLayerSteps, sequentialSteps, traceNoise, type SequentialProgress } from './run';
