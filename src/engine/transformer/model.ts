// The tiny decoder-only transformer shared by both engines (TF.js and fused): its shape, its
// parameters in one canonical layout, their initialisation, and the forward-pass contract
// (activations out, ablation and patching hooks in) that the metrics, causal tracing and ROME use.
//
// Conventions (row vectors, as TransformerLens): the residual stream of one sequence is [T][d];
// a weight applied as y = x W is stored [in][out], row-major, in a Float32Array.
//   x_0 = E[token] + P[position]
//   per layer l:  a = LN1(x) if layerNorm else x
//                 q = a Wq, k = a Wk, v = a Wv       (head h owns columns h·dHead … (h+1)·dHead − 1)
//                 pattern_h = softmax(q_h k_hᵀ / √dHead, causal)      z_h = pattern_h v_h   [T][dHead]
//                 attnOut = concat_h(z_h) Wo        (head h owns rows h·dHead … of Wo)
//                 x = x + attnOut
//                 if mlp: b = LN2(x) if layerNorm else x;  hidden = GELU(b Win + bin);  mlpOut = hidden Wout + bout;  x = x + mlpOut
//   logits = (LNf(x) if layerNorm else x) U         (untied unembedding, no bias)
// LN(x) = (x − mean) / √(var + 1e-5) · g + b over the d entries (biased variance, as PyTorch).
// GELU is the tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (PyTorch approximate='tanh').
// Loss: mean next-token cross-entropy (nats) over every position 0 … T−2 of every sequence, or a weighted mean
// with per-position loss weights (trainStep's lossWeights).

import { createRng } from '../shared/rng';

export interface TransformerShape {
  layers: number;
  heads: number;
  dModel: number;
  /** tokens including BOS: content tokens are 0 … vocab − 2, BOS is vocab − 1 */
  vocab: number;
  /** context length T (positions 0 … T − 1) */
  ctx: number;
  /** an MLP block after each attention block */
  mlp: boolean;
  /** MLP hidden width (ignored without mlp) */
  dMlp: number;
  /** pre-LayerNorm before attention, MLP and the unembedding */
  layerNorm: boolean;
}

export const LN_EPS = 1e-5;

export function dHead(s: TransformerShape): number {
  return s.dModel / s.heads;
}

export function bosToken(s: TransformerShape): number {
  return s.vocab - 1;
}

export interface LayerParams {
  Wq: Float32Array; // [d][d]
  Wk: Float32Array; // [d][d]
  Wv: Float32Array; // [d][d]
  Wo: Float32Array; // [d][d]
  /** present iff layerNorm */
  ln1g: Float32Array | null; // [d]
  ln1b: Float32Array | null; // [d]
  ln2g: Float32Array | null; // [d] (layerNorm and mlp)
  ln2b: Float32Array | null; // [d]
  /** present iff mlp */
  Win: Float32Array | null; // [d][dMlp]
  bin: Float32Array | null; // [dMlp]
  Wout: Float32Array | null; // [dMlp][d]
  bout: Float32Array | null; // [d]
}

export interface TransformerParams {
  shape: TransformerShape;
  E: Float32Array; // [vocab][d]
  P: Float32Array; // [ctx][d]
  layers: LayerParams[];
  lnfG: Float32Array | null; // [d] (layerNorm)
  lnfB: Float32Array | null; // [d]
  U: Float32Array; // [d][vocab]
}

export interface NamedParam {
  /** stable name, e.g. "E", "P", "L0.Wq", "L1.Win", "lnfG", "U" */
  name: string;
  /** [rows, cols] for matrices, [n] for vectors */
  dims: number[];
  data: Float32Array;
}

/** Every parameter in one canonical order (E, P, per layer Wq Wk Wv Wo ln1g ln1b ln2g ln2b Win bin Wout bout, lnfG lnfB, U); absent ones skipped. */
export function namedParams(p: TransformerParams): NamedParam[] {
  const { dModel: d, dMlp, vocab, ctx } = p.shape;
  const out: NamedParam[] = [
    { name: 'E', dims: [vocab, d], data: p.E },
    { name: 'P', dims: [ctx, d], data: p.P },
  ];
  p.layers.forEach((L, l) => {
    const add = (key: keyof LayerParams, dims: number[]) => {
      const data = L[key];
      if (data) out.push({ name: `L${l}.${key}`, dims, data });
    };
    add('Wq', [d, d]);
    add('Wk', [d, d]);
    add('Wv', [d, d]);
    add('Wo', [d, d]);
    add('ln1g', [d]);
    add('ln1b', [d]);
    add('ln2g', [d]);
    add('ln2b', [d]);
    add('Win', [d, dMlp]);
    add('bin', [dMlp]);
    add('Wout', [dMlp, d]);
    add('bout', [d]);
  });
  if (p.lnfG) out.push({ name: 'lnfG', dims: [d], data: p.lnfG });
  if (p.lnfB) out.push({ name: 'lnfB', dims: [d], data: p.lnfB });
  out.push({ name: 'U', dims: [d, vocab], data: p.U });
  return out;
}

export function cloneParams(p: TransformerParams): TransformerParams {
  const c = (a: Float32Array | null) => (a ? a.slice() : null);
  return {
    shape: { ...p.shape },
    E: p.E.slice(),
    P: p.P.slice(),
    layers: p.layers.map((L) => ({
      Wq: L.Wq.slice(), Wk: L.Wk.slice(), Wv: L.Wv.slice(), Wo: L.Wo.slice(),
      ln1g: c(L.ln1g), ln1b: c(L.ln1b), ln2g: c(L.ln2g), ln2b: c(L.ln2b),
      Win: c(L.Win), bin: c(L.bin), Wout: c(L.Wout), bout: c(L.bout),
    })),
    lnfG: c(p.lnfG),
    lnfB: c(p.lnfB),
    U: p.U.slice(),
  };
}

/**
 * Initial parameters for a seed, as the PyTorch reference (ref/induction_torch.py) draws them:
 * E and P ~ N(0, 0.1²); every Linear weight U(−1/√fan_in, 1/√fan_in) (PyTorch's default);
 * MLP biases 0; LayerNorm gains 1 and biases 0. Each tensor draws from its own fork of the seed,
 * so adding an MLP does not change the attention weights of the same seed (the MLP weights use
 * labels of their own, after every other tensor's).
 */
const MLP_INIT_LABEL = 1000;

export function initParams(shape: TransformerShape, seed: number): TransformerParams {
  const { dModel: d, dMlp, vocab, ctx, layers, mlp, layerNorm } = shape;
  const root = createRng(seed);
  let label = 0;
  const normal = (size: number, std: number) => {
    const g = root.fork(label++);
    const a = new Float32Array(size);
    for (let i = 0; i < size; i++) a[i] = g.normal() * std;
    return a;
  };
  const uniform = (size: number, fanIn: number, at = label++) => {
    const g = root.fork(at);
    const bound = 1 / Math.sqrt(fanIn);
    const a = new Float32Array(size);
    for (let i = 0; i < size; i++) a[i] = (2 * g.next() - 1) * bound;
    return a;
  };
  const ones = (n: number) => new Float32Array(n).fill(1);
  const E = normal(vocab * d, 0.1);
  const P = normal(ctx * d, 0.1);
  const layerParams: LayerParams[] = [];
  for (let l = 0; l < layers; l++) {
    const Wq = uniform(d * d, d);
    const Wk = uniform(d * d, d);
    const Wv = uniform(d * d, d);
    const Wo = uniform(d * d, d);
    const Win = mlp ? uniform(d * dMlp, d, MLP_INIT_LABEL + 2 * l) : null;
    const Wout = mlp ? uniform(dMlp * d, dMlp, MLP_INIT_LABEL + 2 * l + 1) : null;
    layerParams.push({
      Wq, Wk, Wv, Wo,
      ln1g: layerNorm ? ones(d) : null,
      ln1b: layerNorm ? new Float32Array(d) : null,
      ln2g: layerNorm && mlp ? ones(d) : null,
      ln2b: layerNorm && mlp ? new Float32Array(d) : null,
      Win,
      bin: mlp ? new Float32Array(dMlp) : null,
      Wout,
      bout: mlp ? new Float32Array(d) : null,
    });
  }
  const U = uniform(d * vocab, d);
  return {
    shape: { ...shape },
    E,
    P,
    layers: layerParams,
    lnfG: layerNorm ? ones(d) : null,
    lnfB: layerNorm ? new Float32Array(d) : null,
    U,
  };
}

// ---- the forward-pass contract ----

/** Where an activation lives; every site is [B][T][d] unless noted. */
export type ActivationSite =
  /** x_0 = E[token] + P[pos] (the input of layer 0) */
  | 'embed'
  /** the residual stream after layer `layer` (its attention and MLP) */
  | 'resid'
  /** the attention block's output (before it is added) */
  | 'attnOut'
  /** the MLP's output (before it is added) */
  | 'mlpOut'
  /** GELU(b Win + bin): the MLP key ROME edits, [B][T][dMlp] */
  | 'mlpHidden';

export interface HeadAblation {
  layer: number;
  head: number;
  /** zero: z_h := 0; mean: z_h := `mean` ([T][dHead], e.g. the head's mean output over a reference batch) */
  mode: 'zero' | 'mean';
  mean?: Float32Array;
}

export interface ForwardHooks {
  /** replace these heads' z_h before Wo */
  ablate?: readonly HeadAblation[];
  /**
   * Called once per site and layer (layer is 0 for 'embed') right after the activation is computed and before
   * it is used further; may modify `data` in place (activation patching, noise, restoration).
   */
  patch?: (site: ActivationSite, layer: number, data: Float32Array) => void;
  /** keep every activation in the result (otherwise only logits and patterns); recorded values are those used downstream, i.e. after `patch` */
  record?: boolean;
}

export interface ForwardResult {
  B: number;
  T: number;
  /** [B][T][vocab] */
  logits: Float32Array;
  /** per layer [B][heads][T][T] (row = query, column = key; zero above the diagonal) */
  patterns: Float32Array[];
  /** with record: per layer each head's z, [B][T][heads][dHead] (= the concat fed to Wo, so after ablation) */
  headOutputs?: Float32Array[];
  /** with record: 'embed' has one entry, the others one per layer */
  activations?: Partial<Record<ActivationSite, Float32Array[]>>;
}

export type TransformerEngineName = 'tfjs' | 'fused';

/** What both engines implement. Tokens are Int32Array [B][T] row-major, every value in 0 … vocab − 1. */
export interface TransformerTrainer {
  readonly engine: TransformerEngineName;
  readonly shape: TransformerShape;
  readonly stepsDone: number;
  /**
   * One Adam step on a batch of token sequences; returns its mean loss (nats).
   * `lossWeights` (optional, [B][T]): the weight of the next-token loss at position t (predicting token t + 1;
   * column T − 1 is ignored); the loss is then Σ w·ce / Σ w (e.g. 1 at the position before the object only, for
   * the facts of transformers.md §2.1). Without it every position 0 … T − 2 weighs 1 (the mean above).
   */
  trainStep(tokens: Int32Array, B: number, lossWeights?: Float32Array): number;
  /** The forward pass with hooks (no gradient). */
  forward(tokens: Int32Array, B: number, T: number, hooks?: ForwardHooks): ForwardResult;
  /** A copy of the current parameters. */
  params(): TransformerParams;
  /** Overwrite the parameters (same shape); the optimiser state is kept. */
  setParams(p: TransformerParams): void;
  dispose(): void;
}
