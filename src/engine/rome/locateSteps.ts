// The "Locate & edit" tab's computations, step by step so a worker can yield between steps: the before/after probes
// of one edit, and the long computations (averaged trace, edit at every layer, sequential edits). The step versions
// call the same engine functions as run.ts (traceFact/averageTraces, runOneEdit/summarise, RomeEditor.apply +
// untouchedAccuracy) and are checked against it in tests/unit/romeLocate.test.ts. DOM-free.

import type { TransformerTrainer } from '../transformer/model';
import { buildPrompt, evalPrefixes, objectToken, type Fact, type FactSet } from './facts';
import { argmax, lastTokenProbs } from './factsModel';
import { probeFacts, promptWords, type ProbeRow } from './locate';
import { editScores, untouchedAccuracy } from './metrics';
import type { RomeEditor } from './rome';
import { runOneEdit, summarise, type EditSummary, type OneEdit } from './run';
import { averageTraces, pickTraceFacts, subjectEmbeddingStd, traceFact, type AveragedTrace, type FactTrace } from './trace';

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

// ───────────────────────────── step by step ─────────────────────────────

/** Noise scale ν = 3σ of the subject embeddings (as run.ts's traceAverage). */
export function traceNoise(trainer: TransformerTrainer, set: FactSet): number {
  return 3 * subjectEmbeddingStd(trainer.params(), set);
}

/**
 * The averaged trace of run.ts's traceAverage, one fact per step: yields the running average after each fact
 * (the same facts, prefix and noise; the last value equals traceAverage's).
 */
export function* averageTraceSteps(
  trainer: TransformerTrainer, set: FactSet, n: number, samples: number, seed: number,
): Generator<{ done: number; total: number; avg: AveragedTrace }, void, void> {
  const noise = traceNoise(trainer, set);
  const prefix = evalPrefixes(set.seed)[1];
  const facts = pickTraceFacts(trainer, set, n, seed, 0, prefix);
  const traces: FactTrace[] = [];
  for (const f of facts) {
    traces.push(traceFact(trainer, set, f, { noise, samples, seed, prefix }));
    yield { done: traces.length, total: facts.length, avg: averageTraces(traces) };
  }
}

/**
 * run.ts's compareLayers one edit per step: the same edits with ROME at every layer, each on the model as the
 * editor holds it (undone after). Yields the summaries of the layers finished so far and the edits done.
 */
export function* compareLayerSteps(
  editor: RomeEditor, edits: readonly { factId: number; newObject: number }[], accuracyBefore: number,
): Generator<{ done: number; total: number; layers: EditSummary[] }, EditSummary[], void> {
  const L = editor.trainer.shape.layers;
  const total = L * edits.length;
  const layers: EditSummary[] = [];
  for (let layer = 0; layer < L; layer++) {
    editor.covariance(layer);
    yield { done: layer * edits.length, total, layers: [...layers] };
    const runs: OneEdit[] = [];
    for (const e of edits) {
      runs.push(runOneEdit(editor, { ...e, layer, method: 'rome' }));
      if (runs.length < edits.length) yield { done: layer * edits.length + runs.length, total, layers: [...layers] };
    }
    layers.push(summarise('rome', layer, accuracyBefore, runs));
    yield { done: (layer + 1) * edits.length, total, layers: [...layers] };
  }
  return layers;
}

export interface SequentialProgress {
  done: number;
  total: number;
  accuracyAfter: number[];
  normRatio: number[];
  /** set at the end (run.ts's runSequential's efficacy) */
  efficacy: number | null;
}

/**
 * run.ts's runSequential one edit per step: successive ROME edits on top of each other (C of the original model),
 * the untouched accuracy and ‖W − W₀‖/‖W₀‖ after each, the efficacy of all of them at the end; every edit of the
 * sequence is undone when the generator finishes or is stopped (return()).
 */
export function* sequentialSteps(
  editor: RomeEditor, edits: readonly { factId: number; newObject: number }[], layer: number,
): Generator<SequentialProgress, SequentialProgress, void> {
  const ids = edits.map((e) => e.factId);
  const W0 = editor.original.layers[layer].Wout!;
  const w0 = Math.hypot(...W0);
  const accuracyAfter: number[] = [];
  const normRatio: number[] = [];
  const start = editor.editsApplied;
  const total = edits.length;
  try {
    editor.covariance(layer);
    yield { done: 0, total, accuracyAfter: [], normRatio: [], efficacy: null };
    for (const e of edits) {
      editor.apply({ ...e, layer, method: 'rome' });
      accuracyAfter.push(untouchedAccuracy(editor.trainer, editor.set, ids));
      const W = editor.params().layers[layer].Wout!;
      let s = 0;
      for (let j = 0; j < W.length; j++) s += (W[j] - W0[j]) ** 2;
      normRatio.push(Math.sqrt(s) / w0);
      yield { done: accuracyAfter.length, total, accuracyAfter: [...accuracyAfter], normRatio: [...normRatio], efficacy: null };
    }
    let eff = 0;
    for (const e of edits) eff += editScores(editor.trainer, editor.set, editor.set.facts[e.factId], e.newObject).efficacy;
    return { done: total, total, accuracyAfter, normRatio, efficacy: eff / edits.length };
  } finally {
    while (editor.editsApplied > start) editor.undo();
  }
}
