// The facts model (transformers.md §2.1): a small pre-LN GPT with GELU MLPs and learned positions, trained on the
// synthetic facts with the loss on the object token only, through the TransformerTrainer contract (either engine).
// Training runs in chunks (trainChunk) so a worker can report progress between them; evaluation gives the top-1
// accuracy on every fact, both templates and every prefix length.

import { validateFields, type FieldSpec, type ValidateOptions, type ValidationResult } from '../shared/fields';
import { createRng, type Rng } from '../shared/rng';
import type { ForwardHooks, TransformerShape, TransformerTrainer } from '../transformer/model';
import {
  buildPrompt, CTX, evalPrefixes, makeFacts, MAX_PREFIX, objectToken, PAD, RELATIONS, trainingBatch, VOCAB,
  type Fact, type FactSet, type Prompt,
} from './facts';

export interface FactsModelConfig {
  seed: number;
  layers: number;
  dModel: number;
  heads: number;
  /** MLP width as a multiple of dModel */
  mlpRatio: number;
  lr: number;
  weightDecay: number;
  batch: number;
  /** maximum optimiser steps (training stops earlier once every fact is learned, see evalEvery) */
  steps: number;
  /** check accuracy every this many steps and stop at ≥ targetAccuracy (0 = never stop early) */
  evalEvery: number;
  targetAccuracy: number;
  /** fraction of training sequences that are subject biographies (all four objects after the subject) */
  bioFraction: number;
}

export const DEFAULT_FACTS_CONFIG: FactsModelConfig = {
  seed: 1,
  layers: 4,
  dModel: 32,
  heads: 4,
  mlpRatio: 4,
  lr: 3e-3,
  weightDecay: 0,
  batch: 64,
  steps: 6000,
  evalEvery: 250,
  targetAccuracy: 0.999,
  bioFraction: 0.5,
};

export const FACTS_FIELDS: readonly FieldSpec<FactsModelConfig>[] = [
  { key: 'seed', flag: 'seed', help: 'seed of the facts, the initial weights and the batches', type: { kind: 'int', min: 0, max: 4_294_967_295 } },
  { key: 'layers', flag: 'layers', help: 'transformer blocks (attention + MLP)', type: { kind: 'int', min: 1, max: 12 } },
  { key: 'dModel', flag: 'd-model', help: 'residual width d_model (a multiple of --heads)', type: { kind: 'int', min: 4, max: 256 } },
  { key: 'heads', flag: 'heads', help: 'attention heads per layer', type: { kind: 'int', min: 1, max: 16 } },
  { key: 'mlpRatio', flag: 'mlp-ratio', help: 'MLP width d_mlp as a multiple of d_model', type: { kind: 'int', min: 1, max: 8 } },
  { key: 'lr', flag: 'lr', help: 'Adam learning rate of the facts model', type: { kind: 'float', min: 0, max: 1, minExclusive: true } },
  { key: 'weightDecay', flag: 'weight-decay', help: 'decoupled (AdamW) weight decay', type: { kind: 'float', min: 0, max: 1 } },
  { key: 'batch', flag: 'batch', help: 'prompts per training step', type: { kind: 'int', min: 1, max: 4096 } },
  { key: 'steps', flag: 'steps', help: 'maximum training steps', type: { kind: 'int', min: 1, max: 1_000_000 } },
  { key: 'evalEvery', flag: 'eval-every', help: 'steps between accuracy checks (0: train all steps)', type: { kind: 'int', min: 0, max: 1_000_000 } },
  { key: 'bioFraction', flag: 'bio-fraction', help: 'fraction of training sequences that are subject biographies (all four objects)', type: { kind: 'float', min: 0, max: 1 } },
  { key: 'targetAccuracy', flag: 'target-accuracy', help: 'stop once the accuracy on every prompt reaches this', type: { kind: 'float', min: 0, max: 1 } },
];

export function validateFactsConfig(
  input: unknown,
  base: Readonly<FactsModelConfig> = DEFAULT_FACTS_CONFIG,
  opts: ValidateOptions = {},
): ValidationResult<FactsModelConfig> {
  return validateFields(FACTS_FIELDS, input, base, opts, (c) =>
    c.dModel % c.heads === 0 ? [] : [`${opts.naming === 'flag' ? '--d-model' : 'dModel'} (${c.dModel}) must be a multiple of ${opts.naming === 'flag' ? '--heads' : 'heads'} (${c.heads})`],
  );
}

export function factsShape(c: Pick<FactsModelConfig, 'layers' | 'dModel' | 'heads' | 'mlpRatio'>): TransformerShape {
  return { layers: c.layers, heads: c.heads, dModel: c.dModel, vocab: VOCAB, ctx: CTX, mlp: true, dMlp: c.mlpRatio * c.dModel, layerNorm: true };
}

/** The model-defining part of a config (what must match for a shipped model to be reused). */
export function modelKey(c: FactsModelConfig): string {
  const { seed, layers, dModel, heads, mlpRatio, lr, weightDecay, batch, steps, evalEvery, targetAccuracy, bioFraction } = c;
  return JSON.stringify({ seed, layers, dModel, heads, mlpRatio, lr, weightDecay, batch, steps, evalEvery, targetAccuracy, bioFraction });
}

// ---- evaluation ----

/**
 * P(· | prompt) at each prompt's last token, for prompts of any lengths (padded at the end, which causal attention
 * ignores). Returns one Float64Array of vocab probabilities per prompt. `hooks` apply to the padded batch.
 */
export function lastTokenProbs(trainer: TransformerTrainer, prompts: readonly (readonly number[])[], hooks?: ForwardHooks, chunk = 512): Float64Array[] {
  const V = trainer.shape.vocab;
  const out: Float64Array[] = [];
  for (let c0 = 0; c0 < prompts.length; c0 += chunk) {
    const part = prompts.slice(c0, c0 + chunk);
    const T = Math.max(...part.map((p) => p.length));
    const tokens = new Int32Array(part.length * T).fill(PAD);
    part.forEach((p, i) => tokens.set(p, i * T));
    const { logits } = trainer.forward(tokens, part.length, T, hooks);
    part.forEach((p, i) => out.push(softmaxRow(logits, (i * T + p.length - 1) * V, V)));
  }
  return out;
}

export function softmaxRow(logits: Float32Array, at: number, V: number): Float64Array {
  let mx = -Infinity;
  for (let j = 0; j < V; j++) mx = Math.max(mx, logits[at + j]);
  const p = new Float64Array(V);
  let s = 0;
  for (let j = 0; j < V; j++) s += p[j] = Math.exp(logits[at + j] - mx);
  for (let j = 0; j < V; j++) p[j] /= s;
  return p;
}

export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
  return best;
}

export interface FactPromptRef {
  fact: Fact;
  template: number;
  prefixLength: number;
  prompt: Prompt;
}

/** Every fact × both templates × every prefix length 0 … 3 (the fixed evaluation prefixes), optionally only some facts. */
export function evalPrompts(set: FactSet, facts: readonly Fact[] = set.facts, templates: readonly number[] = [0, 1]): FactPromptRef[] {
  const prefixes = evalPrefixes(set.seed);
  const out: FactPromptRef[] = [];
  for (const fact of facts) {
    for (const template of templates) {
      for (let p = 0; p <= MAX_PREFIX; p++) out.push({ fact, template, prefixLength: p, prompt: buildPrompt(set, fact.subject, fact.relation, template, prefixes[p]) });
    }
  }
  return out;
}

export interface Accuracy {
  /** top-1 over the whole vocabulary, all prompts */
  all: number;
  /** template 1 (rewrite) */
  rewrite: number;
  /** template 2 (paraphrase) */
  paraphrase: number;
  /** per prefix length 0 … 3 */
  byPrefix: number[];
  /** facts whose 8 prompts are all right */
  factsAllCorrect: number;
  /** mean probability of the true object */
  meanProb: number;
}

/** Top-1 accuracy of the true object on every fact, both templates, every prefix length. */
export function evaluateFacts(trainer: TransformerTrainer, set: FactSet, facts: readonly Fact[] = set.facts): Accuracy {
  const refs = evalPrompts(set, facts);
  const probs = lastTokenProbs(trainer, refs.map((r) => r.prompt.tokens));
  let right = 0, rw = 0, rwN = 0, pp = 0, ppN = 0, mean = 0;
  const byP = [0, 0, 0, 0], byN = [0, 0, 0, 0];
  const wrongFacts = new Set<number>();
  refs.forEach((r, i) => {
    const target = objectToken(r.fact.relation, r.fact.object);
    const ok = argmax(probs[i]) === target ? 1 : 0;
    if (!ok) wrongFacts.add(r.fact.id);
    right += ok;
    mean += probs[i][target];
    if (r.template === 0) (rw += ok), rwN++;
    else (pp += ok), ppN++;
    byP[r.prefixLength] += ok;
    byN[r.prefixLength]++;
  });
  return {
    all: right / refs.length,
    rewrite: rwN ? rw / rwN : 0,
    paraphrase: ppN ? pp / ppN : 0,
    byPrefix: byP.map((x, p) => (byN[p] ? x / byN[p] : 0)),
    factsAllCorrect: (facts.length - wrongFacts.size) / facts.length,
    meanProb: mean / refs.length,
  };
}

// ---- training ----

export interface TrainProgress {
  step: number;
  steps: number;
  /** mean loss over the chunk just run */
  loss: number;
  /** accuracy at the last check (null before the first) */
  accuracy: number | null;
  stepsPerSecond: number;
  done: boolean;
}

/**
 * Training state a worker can advance chunk by chunk: `trainChunk(n)` runs up to n steps and returns progress
 * (a plain object), checking accuracy every `evalEvery` steps and stopping at `targetAccuracy`.
 */
export class FactsTraining {
  readonly set: FactSet;
  private readonly rng: Rng;
  private step = 0;
  private accuracy: number | null = null;
  private seconds = 0;
  done = false;

  constructor(readonly trainer: TransformerTrainer, readonly config: FactsModelConfig, set?: FactSet) {
    this.set = set ?? makeFacts(config.seed);
    this.rng = createRng(config.seed).fork(11);
  }

  get stepsDone(): number {
    return this.step;
  }

  get trainSeconds(): number {
    return this.seconds;
  }

  trainChunk(n: number): TrainProgress {
    const c = this.config;
    const t0 = performance.now();
    let lossSum = 0, ran = 0;
    while (!this.done && ran < n && this.step < c.steps) {
      const { tokens, weights } = trainingBatch(this.set, c.batch, this.rng, c.bioFraction);
      lossSum += this.trainer.trainStep(tokens, c.batch, weights);
      this.step++;
      ran++;
      if (c.evalEvery > 0 && this.step % c.evalEvery === 0) {
        this.accuracy = evaluateFacts(this.trainer, this.set).all;
        if (this.accuracy >= c.targetAccuracy) this.done = true;
      }
    }
    if (this.step >= c.steps) this.done = true;
    const dt = (performance.now() - t0) / 1000;
    this.seconds += dt;
    return { step: this.step, steps: c.steps, loss: ran ? lossSum / ran : NaN, accuracy: this.accuracy, stepsPerSecond: ran / Math.max(dt, 1e-9), done: this.done };
  }
}

/** Train to the end (early stop included), reporting progress every `every` steps. */
export function trainFacts(
  trainer: TransformerTrainer, config: FactsModelConfig, onProgress?: (p: TrainProgress) => void, every = 100,
): { set: FactSet; steps: number; seconds: number } {
  const t = new FactsTraining(trainer, config);
  while (!t.done) {
    const p = t.trainChunk(every);
    onProgress?.(p);
  }
  return { set: t.set, steps: t.stepsDone, seconds: t.trainSeconds };
}

export { RELATIONS };
