// One headless ROME run (the CLI's `rome` command): the facts model (shipped or trained), the averaged causal trace,
// `edits` independent edits with ROME, the naive rank-one update and fine-tuning, and 10 sequential ROME edits.
// Also the building blocks a worker drives step by step (averageTraceSteps, compareLayerSteps, sequentialSteps); the
// one-shot functions run those same steps to the end.

import type { TransformerParams, TransformerTrainer } from '../transformer/model';
import { evalPrefixes, type FactSet } from './facts';
import { evaluateFacts, modelKey, DEFAULT_FACTS_CONFIG, trainFacts, type FactsModelConfig, type TrainProgress } from './factsModel';
import { createFactsTrainer } from './engine';
import { editScores, untouchedAccuracy, type EditScores } from './metrics';
import { pickEdits, RomeEditor, type EditInfo, type EditMethod } from './rome';
import { averageTraces, pickTraceFacts, subjectEmbeddingStd, traceFact, type AveragedTrace, type FactTrace } from './trace';
import { makeFacts } from './facts';

export interface RomeRunConfig extends FactsModelConfig {
  edits: number;
  /** a layer, or null for auto (where the MLP effect at the last subject token peaks) */
  editLayer: number | null;
  traceFacts: number;
  noiseSamples: number;
}

export const DEFAULT_ROME_RUN: RomeRunConfig = { ...DEFAULT_FACTS_CONFIG, edits: 50, editLayer: null, traceFacts: 50, noiseSamples: 10 };

export interface EditSummary {
  method: EditMethod;
  layer: number;
  count: number;
  efficacy: number;
  /** fraction of rewrite prompts with o* top-1 (R-7's second half) */
  efficacyTop1: number;
  paraphrase: number;
  neighbourhood: number;
  tokenSharing: number;
  otherRelations: number;
  accuracyBefore: number;
  accuracyAfter: number;
  normRatio: number;
  /** max relative ‖Ŵk* + b − v*‖ over the edits; null for fine-tuning (it has no target v*) */
  maxConstraintErr: number | null;
}

export interface RomeRecord {
  version: 1;
  kind: 'rome';
  config: Record<string, unknown>;
  seconds: number;
  model: { layers: number; dModel: number; dMlp: number; heads: number; facts: number; accuracy: { rewrite: number; paraphrase: number } };
  trace: {
    facts: number; noise: number; highScore: number; lowScore: number; tokens: string[];
    hidden: number[][]; mlp: number[][]; attn: number[][];
    peak: { kind: string; token: number; layer: number };
    identities: { allRestoredMaxErr: number; noneRestoredMaxErr: number; beforeSubjectMaxEffect: number };
  };
  edit: EditSummary;
  naive: EditSummary;
  finetune: EditSummary;
  sequential: { count: number; accuracyAfter: number[]; efficacy: number };
}

export type RomeStage =
  | { stage: 'train'; progress: TrainProgress }
  | { stage: 'model'; source: 'shipped' | 'trained'; accuracy: number }
  | { stage: 'trace'; done: number; total: number }
  | { stage: 'edit'; method: EditMethod; done: number; total: number }
  | { stage: 'sequential'; done: number; total: number };

export interface OneEdit {
  info: EditInfo;
  scores: EditScores;
  accuracyAfter: number;
}

/** Apply one edit, score it, undo it (each edit sees the original model). */
export function runOneEdit(editor: RomeEditor, req: { factId: number; newObject: number; layer: number; method: EditMethod }): OneEdit {
  const info = editor.apply(req);
  const scores = editScores(editor.trainer, editor.set, editor.set.facts[req.factId], req.newObject);
  const accuracyAfter = untouchedAccuracy(editor.trainer, editor.set, [req.factId]);
  editor.undo();
  return { info, scores, accuracyAfter };
}

export function summarise(method: EditMethod, layer: number, accuracyBefore: number, runs: readonly OneEdit[]): EditSummary {
  const mean = (f: (r: OneEdit) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  return {
    method,
    layer,
    count: runs.length,
    efficacy: mean((r) => r.scores.efficacy),
    efficacyTop1: mean((r) => r.scores.efficacyTop1),
    paraphrase: mean((r) => r.scores.paraphrase),
    neighbourhood: mean((r) => r.scores.neighbourhood),
    tokenSharing: mean((r) => r.scores.tokenSharing),
    otherRelations: mean((r) => r.scores.otherRelations),
    accuracyBefore,
    accuracyAfter: mean((r) => r.accuracyAfter),
    normRatio: mean((r) => r.info.normRatio),
    maxConstraintErr: method === 'finetune' ? null : Math.max(...runs.map((r) => r.info.constraintErr)),
  };
}

export interface SequentialResult {
  count: number;
  /** untouched-fact accuracy (facts not among the sequence's edits) after 1 … count edits */
  accuracyAfter: number[];
  /** ‖W_now − W_original‖_F / ‖W_original‖_F after each edit */
  normRatio: number[];
  /** fraction of rewrite prompts of all the sequence's edits with P(o*) > P(o_c) at the end */
  efficacy: number;
}

/** Runs a step-by-step computation to its end, calling `onStep` with each progress value; returns its result. */
function drain<P, R>(steps: Generator<P, R, void>, onStep?: (p: P) => void): R {
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    onStep?.(r.value);
  }
}

/** Successive ROME edits (consistent-key form, C of the original model) on top of each other; undone at the end. */
export function runSequential(
  editor: RomeEditor, edits: readonly { factId: number; newObject: number }[], layer: number, onStep?: (done: number) => void,
): SequentialResult {
  const end = drain(sequentialSteps(editor, edits, layer), (p) => p.done > 0 && onStep?.(p.done));
  return { count: edits.length, accuracyAfter: end.accuracyAfter, normRatio: end.normRatio, efficacy: end.efficacy! };
}

/** "Edit at every layer": the same edits with ROME at each layer (Hase et al. 2023: the trace's peak need not be best). */
export function compareLayers(editor: RomeEditor, edits: readonly { factId: number; newObject: number }[], accuracyBefore: number): EditSummary[] {
  return drain(compareLayerSteps(editor, edits, accuracyBefore));
}

/** The averaged trace over n correctly answered facts (prefix: the fixed 1-token evaluation prefix). */
export function traceAverage(trainer: TransformerTrainer, set: FactSet, params: TransformerParams, n: number, samples: number, seed: number, onFact?: (done: number, total: number) => void): { avg: AveragedTrace; noise: number } {
  const noise = 3 * subjectEmbeddingStd(params, set);
  let last: { avg: AveragedTrace } | null = null;
  for (const p of averageTraceSteps(trainer, set, n, samples, seed, noise)) {
    last = p;
    onFact?.(p.done, p.total);
  }
  if (!last) throw new Error('traceAverage: no fact the model answers correctly to trace');
  return { avg: last.avg, noise };
}

// ───────────── the same computations step by step, so a worker can yield between steps ─────────────

/** Noise scale ν = 3σ of the subject embeddings of the trainer's current model. */
export function traceNoise(trainer: TransformerTrainer, set: FactSet): number {
  return 3 * subjectEmbeddingStd(trainer.params(), set);
}

/** The averaged trace, one fact per step: yields the running average after each fact (the last one is the result). */
export function* averageTraceSteps(
  trainer: TransformerTrainer, set: FactSet, n: number, samples: number, seed: number, noise = traceNoise(trainer, set),
): Generator<{ done: number; total: number; avg: AveragedTrace }, void, void> {
  const prefix = evalPrefixes(set.seed)[1];
  const facts = pickTraceFacts(trainer, set, n, seed, 0, prefix);
  const traces: FactTrace[] = [];
  for (const f of facts) {
    traces.push(traceFact(trainer, set, f, { noise, samples, seed, prefix }));
    yield { done: traces.length, total: facts.length, avg: averageTraces(traces) };
  }
}

/**
 * compareLayers one edit per step: the same edits with ROME at every layer, each on the model as the editor holds it
 * (undone after). Yields the summaries of the layers finished so far and the edits done.
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
  /** set at the end */
  efficacy: number | null;
}

/**
 * runSequential one edit per step: successive ROME edits on top of each other (C of the original model), the
 * untouched accuracy and ‖W − W₀‖/‖W₀‖ after each, the efficacy of all of them at the end; every edit of the
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

/** The facts model for a config: the shipped one when the config is the shipped one's, else trained now. */
export function loadOrTrain(
  config: FactsModelConfig, shipped: { config: FactsModelConfig; params: TransformerParams } | null, onProgress?: (s: RomeStage) => void,
): { trainer: TransformerTrainer; set: FactSet; source: 'shipped' | 'trained'; trainSeconds: number } {
  const trainer = createFactsTrainer(config);
  if (shipped && modelKey(shipped.config) === modelKey(config)) {
    trainer.setParams(shipped.params);
    return { trainer, set: makeFacts(config.seed), source: 'shipped', trainSeconds: 0 };
  }
  const r = trainFacts(trainer, config, (p) => onProgress?.({ stage: 'train', progress: p }));
  return { trainer, set: r.set, source: 'trained', trainSeconds: r.seconds };
}

export function runRome(
  config: RomeRunConfig, shipped: { config: FactsModelConfig; params: TransformerParams } | null, onProgress?: (s: RomeStage) => void,
): { record: RomeRecord; sequentialNorms: number[]; source: 'shipped' | 'trained' } {
  const t0 = performance.now();
  const { trainer, set, source } = loadOrTrain(config, shipped, onProgress);
  try {
    const acc = evaluateFacts(trainer, set);
    onProgress?.({ stage: 'model', source, accuracy: acc.all });
    const params = trainer.params();
    const { avg, noise } = traceAverage(trainer, set, params, config.traceFacts, config.noiseSamples, config.seed, (done, total) => onProgress?.({ stage: 'trace', done, total }));
    const layer = config.editLayer ?? avg.subjectPeakLayer;
    const editor = new RomeEditor(trainer, set, config.seed);
    const edits = pickEdits(set, config.edits, config.seed);
    const accuracyBefore = acc.all;
    const byMethod = (method: EditMethod) =>
      summarise(method, layer, accuracyBefore, edits.map((e, i) => {
        const r = runOneEdit(editor, { ...e, layer, method });
        onProgress?.({ stage: 'edit', method, done: i + 1, total: edits.length });
        return r;
      }));
    const edit = byMethod('rome');
    const naive = byMethod('naive');
    const finetune = byMethod('finetune');
    const seqEdits = pickEdits(set, 10, config.seed + 1);
    const seq = runSequential(editor, seqEdits, layer, (done) => onProgress?.({ stage: 'sequential', done, total: 10 }));
    const s = trainer.shape;
    const record: RomeRecord = {
      version: 1,
      kind: 'rome',
      config: { ...config, editLayer: config.editLayer ?? 'auto', engine: trainer.engine, model: source },
      seconds: (performance.now() - t0) / 1000,
      model: { layers: s.layers, dModel: s.dModel, dMlp: s.dMlp, heads: s.heads, facts: set.facts.length, accuracy: { rewrite: acc.rewrite, paraphrase: acc.paraphrase } },
      trace: {
        facts: avg.facts, noise, highScore: avg.highScore, lowScore: avg.lowScore, tokens: avg.labels,
        hidden: avg.hidden, mlp: avg.mlp, attn: avg.attn, peak: avg.peak,
        identities: { allRestoredMaxErr: avg.identities.allRestoredMaxErr, noneRestoredMaxErr: avg.identities.noneRestoredMaxErr, beforeSubjectMaxEffect: avg.identities.beforeSubjectMaxEffect },
      },
      edit,
      naive,
      finetune,
      sequential: { count: seq.count, accuracyAfter: seq.accuracyAfter, efficacy: seq.efficacy },
    };
    return { record, sequentialNorms: seq.normRatio, source };
  } finally {
    trainer.dispose();
  }
}
