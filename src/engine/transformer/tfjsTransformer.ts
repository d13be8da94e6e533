// The readable reference engine: model.ts's forward written with TF.js ops, gradients by autodiff,
// Adam(W) with PyTorch's formula (adamw.ts). Hooks that patch an activation read it back to a Float32Array,
// hand it to the callback and continue from the (possibly modified) copy.

import * as tf from '@tensorflow/tfjs';
import { adamwUpdate, createSlots, disposeSlots, type AdamSlot } from '../shared/tfAdam';
import {
  cloneParams,
  dHead,
  initParams,
  LN_EPS,
  namedParams,
  type ActivationSite,
  type ForwardHooks,
  type ForwardResult,
  type TransformerParams,
  type TransformerShape,
  type TransformerTrainer,
} from './model';
import type { TransformerTrainerOptions } from './trainerOptions';

/** Large enough that exp(score − max) is exactly 0 in float32, so masked entries of a pattern are 0. */
const MASKED_SCORE = -1e9;
const GELU_C = Math.sqrt(2 / Math.PI);

type Weights = (name: string) => tf.Tensor;

/** Activations the forward pass hands out: site → one Float32Array per layer ('embed': one). */
type Recorded = Partial<Record<ActivationSite, Float32Array[]>>;

interface ForwardTrace {
  hooks: ForwardHooks;
  activations: Recorded;
  headOutputs: tf.Tensor[];
  patterns: tf.Tensor[];
}

export class TfjsTransformer implements TransformerTrainer {
  readonly engine = 'tfjs' as const;
  readonly shape: TransformerShape;
  stepsDone = 0;
  private readonly template: TransformerParams;
  private readonly vars = new Map<string, tf.Variable>();
  private readonly slots: AdamSlot[];
  private readonly causalMasks = new Map<number, tf.Tensor2D>();
  private disposed = false;

  constructor(shape: TransformerShape, private readonly opts: TransformerTrainerOptions, initial?: TransformerParams) {
    if (shape.dModel % shape.heads !== 0) throw new Error(`heads (${shape.heads}) must divide dModel (${shape.dModel})`);
    this.shape = { ...shape };
    this.template = cloneParams(initial ?? initParams(shape, opts.seed));
    for (const p of namedParams(this.template)) {
      this.vars.set(p.name, tf.tidy(() => tf.variable(tf.tensor(p.data, p.dims), true)));
    }
    this.slots = createSlots([...this.vars.values()]);
  }

  trainStep(tokens: Int32Array, B: number, lossWeights?: Float32Array): number {
    const T = this.checkTokens(tokens, B);
    const t = ++this.stepsDone;
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.loss(tokens, B, T, lossWeights), this.slots.map((s) => s.param));
      const loss = value.dataSync()[0];
      adamwUpdate(this.slots, grads, t, this.opts.lr, this.opts.weightDecay);
      return loss;
    });
  }

  /** Loss and gradients on a batch, without an update (tests compare them with finite differences). */
  gradientsOn(tokens: Int32Array, B: number, lossWeights?: Float32Array): { loss: number; grads: Map<string, Float32Array> } {
    const T = this.checkTokens(tokens, B);
    const byName = new Map<string, Float32Array>();
    let loss = NaN;
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.loss(tokens, B, T, lossWeights), this.slots.map((s) => s.param));
      for (const [name, v] of this.vars) byName.set(name, (grads[v.name].dataSync() as Float32Array).slice());
      loss = value.dataSync()[0];
    });
    return { loss, grads: byName };
  }

  forward(tokens: Int32Array, B: number, T: number, hooks: ForwardHooks = {}): ForwardResult {
    this.checkAlive();
    if (tokens.length !== B * T) throw new Error(`tokens hold ${tokens.length} values; B × T is ${B * T}`);
    this.checkTokens(tokens, B);
    const read = (x: tf.Tensor) => (x.dataSync() as Float32Array).slice();
    let result: ForwardResult | null = null;
    tf.tidy(() => {
      const trace: ForwardTrace = { hooks, activations: {}, headOutputs: [], patterns: [] };
      const logits = this.logits(tokens, B, T, trace);
      result = { B, T, logits: read(logits), patterns: trace.patterns.map(read) };
      if (hooks.record) {
        result.headOutputs = trace.headOutputs.map(read);
        result.activations = trace.activations;
      }
    });
    return result!;
  }

  params(): TransformerParams {
    this.checkAlive();
    const p = cloneParams(this.template);
    for (const np of namedParams(p)) np.data.set(this.vars.get(np.name)!.dataSync() as Float32Array);
    return p;
  }

  setParams(p: TransformerParams): void {
    this.checkAlive();
    const s = this.shape;
    const q = p.shape;
    if (q.layers !== s.layers || q.heads !== s.heads || q.dModel !== s.dModel || q.vocab !== s.vocab || q.ctx !== s.ctx || q.mlp !== s.mlp || q.layerNorm !== s.layerNorm || (s.mlp && q.dMlp !== s.dMlp)) {
      throw new Error('setParams: the parameters have a different shape');
    }
    tf.tidy(() => {
      for (const np of namedParams(p)) this.vars.get(np.name)!.assign(tf.tensor(np.data, np.dims));
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeSlots(this.slots);
    tf.dispose([...this.causalMasks.values()]);
  }

  // ---- the model ----

  /** A parameter by its namedParams name ("E", "L0.Wq", …). */
  private readonly w: Weights = (name) => {
    const v = this.vars.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  };

  /** Mean next-token cross-entropy over positions 0 … T−2 (model.ts), or Σ w·ce / Σ w with per-position weights. */
  private loss(tokens: Int32Array, B: number, T: number, lossWeights?: Float32Array): tf.Scalar {
    const V = this.shape.vocab;
    const logits = this.logits(tokens, B, T, null).reshape([B, T, V]);
    const predicting = logits.slice([0, 0, 0], [B, T - 1, V]);
    const targets = tf.tensor2d(tokens, [B, T], 'int32').slice([0, 1], [B, T - 1]);
    // one-hot instead of gather: the wasm backend has no gradient kernel for gather
    const picked = tf.mul(tf.logSoftmax(predicting), tf.oneHot(targets, V));
    if (lossWeights) {
      if (lossWeights.length !== B * T) throw new Error(`lossWeights: ${lossWeights.length} weights for ${B}·${T} positions`);
      const w = tf.tensor2d(lossWeights, [B, T]).slice([0, 0], [B, T - 1]);
      const total = w.sum().dataSync()[0];
      if (!(total > 0)) throw new Error('lossWeights: the weights must sum to more than 0');
      return tf.div(tf.neg(tf.sum(tf.mul(tf.sum(picked, 2), w))), total) as tf.Scalar;
    }
    return tf.div(tf.neg(tf.sum(picked)), B * (T - 1)) as tf.Scalar;
  }

  /** Logits [B·T][vocab]; with a trace, hooks apply and activations and patterns are collected. */
  private logits(tokens: Int32Array, B: number, T: number, trace: ForwardTrace | null): tf.Tensor2D {
    const { vocab: V, dModel: d, layers, mlp, layerNorm } = this.shape;
    const w = this.w;
    const site = (name: ActivationSite, layer: number, x: tf.Tensor) => (trace ? this.visit(trace, name, layer, x) : x);
    const flat = tf.tensor1d(tokens, 'int32');
    // the embedding as oneHot(tokens) · E: tf.gather's gradient needs a kernel the wasm backend lacks
    const embedded = tf.matMul(tf.oneHot(flat, V).toFloat(), w('E'));
    const positions = w('P').slice([0, 0], [T, d]);
    let x = site('embed', 0, tf.add(embedded.reshape([B, T, d]), positions).reshape([B * T, d])) as tf.Tensor2D;
    for (let l = 0; l < layers; l++) {
      const a = layerNorm ? this.layerNorm(x, w(`L${l}.ln1g`), w(`L${l}.ln1b`)) : x;
      const attnOut = site('attnOut', l, this.attention(a, l, B, T, trace));
      x = tf.add(x, attnOut);
      if (mlp) {
        const b = layerNorm ? this.layerNorm(x, w(`L${l}.ln2g`), w(`L${l}.ln2b`)) : x;
        const hidden = site('mlpHidden', l, gelu(tf.add(tf.matMul(b, w(`L${l}.Win`) as tf.Tensor2D), w(`L${l}.bin`))));
        const mlpOut = site('mlpOut', l, tf.add(tf.matMul(hidden as tf.Tensor2D, w(`L${l}.Wout`) as tf.Tensor2D), w(`L${l}.bout`)));
        x = tf.add(x, mlpOut);
      }
      x = site('resid', l, x) as tf.Tensor2D;
    }
    const final = layerNorm ? this.layerNorm(x, w('lnfG'), w('lnfB')) : x;
    return tf.matMul(final, w('U') as tf.Tensor2D);
  }

  /** One attention block on a = [B·T][d]; returns concat_h(z_h) Wo, [B·T][d]. */
  private attention(a: tf.Tensor2D, l: number, B: number, T: number, trace: ForwardTrace | null): tf.Tensor2D {
    const { heads: H, dModel: d } = this.shape;
    const dh = dHead(this.shape);
    const w = this.w;
    // [B·T][d] → [B·H][T][dHead]
    const split = (m: tf.Tensor) => m.reshape([B, T, H, dh]).transpose([0, 2, 1, 3]).reshape([B * H, T, dh]) as tf.Tensor3D;
    const q = split(tf.matMul(a, w(`L${l}.Wq`) as tf.Tensor2D));
    const k = split(tf.matMul(a, w(`L${l}.Wk`) as tf.Tensor2D));
    const v = split(tf.matMul(a, w(`L${l}.Wv`) as tf.Tensor2D));
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), this.causalMask(T));
    const pattern = tf.softmax(scores);
    // z as [B][T][H][dHead], the layout of ForwardResult.headOutputs
    let z: tf.Tensor = tf.matMul(pattern, v).reshape([B, H, T, dh]).transpose([0, 2, 1, 3]);
    if (trace) {
      trace.patterns.push(pattern.reshape([B, H, T, T]));
      z = this.ablate(z, l, T, trace.hooks);
      trace.headOutputs.push(z);
    }
    return tf.matMul(z.reshape([B * T, d]), w(`L${l}.Wo`) as tf.Tensor2D);
  }

  /** z_h := 0 or the given mean for the ablated heads of layer l: z·keep + fill. */
  private ablate(z: tf.Tensor, l: number, T: number, hooks: ForwardHooks): tf.Tensor {
    const here = (hooks.ablate ?? []).filter((a) => a.layer === l);
    if (here.length === 0) return z;
    const { heads: H } = this.shape;
    const dh = dHead(this.shape);
    const keep = new Float32Array(H).fill(1);
    const fill = new Float32Array(T * H * dh);
    for (const a of here) {
      if (!Number.isInteger(a.head) || a.head < 0 || a.head >= H) throw new Error(`ablate: layer ${l} has no head ${a.head}`);
      keep[a.head] = 0;
      if (a.mode === 'mean') {
        if (!a.mean || a.mean.length !== T * dh) throw new Error(`ablate: the mean of head ${l}.${a.head} must hold T × dHead = ${T * dh} values`);
        for (let t = 0; t < T; t++) fill.set(a.mean.subarray(t * dh, (t + 1) * dh), (t * H + a.head) * dh);
      }
    }
    return tf.add(tf.mul(z, tf.tensor4d(keep, [1, 1, H, 1])), tf.tensor4d(fill, [1, T, H, dh]));
  }

  /** 0 on and below the diagonal, MASKED_SCORE above (key after query); one per T, kept until dispose. */
  private causalMask(T: number): tf.Tensor2D {
    let m = this.causalMasks.get(T);
    if (!m) {
      const data = new Float32Array(T * T);
      for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) data[i * T + j] = MASKED_SCORE;
      m = tf.keep(tf.tensor2d(data, [T, T]));
      this.causalMasks.set(T, m);
    }
    return m;
  }

  private layerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LN_EPS))), g), b);
  }

  /** The hook point of one activation: patch it (through a Float32Array copy) and/or record it. */
  private visit(trace: ForwardTrace, name: ActivationSite, layer: number, x: tf.Tensor): tf.Tensor {
    const { patch, record } = trace.hooks;
    if (!patch && !record) return x;
    const data = (x.dataSync() as Float32Array).slice();
    let out = x;
    if (patch) {
      patch(name, layer, data);
      out = tf.tensor(data, x.shape);
    }
    if (record) (trace.activations[name] ??= []).push(patch ? data.slice() : data);
    return out;
  }

  private checkTokens(tokens: Int32Array, B: number): number {
    this.checkAlive();
    const T = tokens.length / B;
    if (!Number.isInteger(B) || B < 1 || !Number.isInteger(T)) throw new Error(`${tokens.length} tokens do not split into ${B} sequences`);
    if (T < 2 || T > this.shape.ctx) throw new Error(`sequence length ${T} must be from 2 to the context length ${this.shape.ctx}`);
    for (const t of tokens) if (t < 0 || t >= this.shape.vocab) throw new Error(`token ${t} is outside 0 … ${this.shape.vocab - 1}`);
    return T;
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error('trainer was disposed');
  }
}

/** GELU, tanh form (PyTorch approximate='tanh'). */
function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), GELU_C);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}
