// The transformer of model.ts written once more in TF.js ops, for the gradients ROME needs and the engines do not
// expose: ∂loss/∂δ for a vector δ added to one layer's MLP output at one token per prompt (v*), and ∂loss/∂W_out of
// one layer (the fine-tuning baseline). Same conventions as model.ts (row vectors, pre-LN, tanh GELU, causal
// softmax). Checked against the engine's forward and against finite differences in tests/unit/romeAlgebra.test.ts.

import * as tf from '@tensorflow/tfjs';
import { dHead, LN_EPS, type TransformerParams } from '../transformer/model';

export interface TfModel {
  params: TransformerParams;
  E: tf.Tensor2D;
  P: tf.Tensor2D;
  U: tf.Tensor2D;
  lnfG: tf.Tensor1D | null;
  lnfB: tf.Tensor1D | null;
  layers: Record<string, tf.Tensor | null>[];
  dispose(): void;
}

/** Constant tensors of a parameter set (dispose when done). */
export function tfModel(p: TransformerParams): TfModel {
  const { dModel: d, dMlp, vocab: V, ctx } = p.shape;
  const t2 = (a: Float32Array, r: number, c: number) => tf.tensor2d(a, [r, c]);
  const t1 = (a: Float32Array | null) => (a ? tf.tensor1d(a) : null);
  const layers = p.layers.map((L) => ({
    Wq: t2(L.Wq, d, d), Wk: t2(L.Wk, d, d), Wv: t2(L.Wv, d, d), Wo: t2(L.Wo, d, d),
    ln1g: t1(L.ln1g), ln1b: t1(L.ln1b), ln2g: t1(L.ln2g), ln2b: t1(L.ln2b),
    Win: L.Win ? t2(L.Win, d, dMlp) : null, bin: t1(L.bin), Wout: L.Wout ? t2(L.Wout, dMlp, d) : null, bout: t1(L.bout),
  }));
  const all: (tf.Tensor | null)[] = [];
  const m: TfModel = {
    params: p,
    E: t2(p.E, V, d),
    P: t2(p.P, ctx, d),
    U: t2(p.U, d, V),
    lnfG: t1(p.lnfG),
    lnfB: t1(p.lnfB),
    layers,
    dispose: () => {
      for (const t of all) t?.dispose();
    },
  };
  all.push(m.E, m.P, m.U, m.lnfG, m.lnfB, ...layers.flatMap((L) => Object.values(L)));
  return m;
}

export interface TfForwardOptions {
  /** add `delta` [d] to the MLP output of `layer` at position positions[b] of each sequence b */
  addMlpOut?: { layer: number; positions: readonly number[]; delta: tf.Tensor1D };
  /** use this W_out [dMlp][d] at `layer` */
  wout?: { layer: number; W: tf.Tensor2D };
}

function layerNorm(x: tf.Tensor2D, g: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor2D {
  const mean = tf.mean(x, 1, true);
  const c = tf.sub(x, mean);
  const v = tf.mean(tf.square(c), 1, true);
  let y = tf.div(c, tf.sqrt(tf.add(v, LN_EPS))) as tf.Tensor2D;
  if (g) y = tf.mul(y, g) as tf.Tensor2D;
  if (b) y = tf.add(y, b) as tf.Tensor2D;
  return y;
}

function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

/** Logits [B·T][V] of `tokens` (B sequences of length T). Call inside tf.tidy / a gradient function. */
export function tfLogits(m: TfModel, tokens: Int32Array, B: number, T: number, opts: TfForwardOptions = {}): tf.Tensor2D {
  const s = m.params.shape;
  const d = s.dModel, H = s.heads, dh = dHead(s);
  const ids = tf.tensor1d(tokens, 'int32');
  const posIds = tf.tensor1d(Int32Array.from({ length: B * T }, (_, i) => i % T), 'int32');
  let x = tf.add(tf.gather(m.E, ids), tf.gather(m.P, posIds)) as tf.Tensor2D;
  const maskData = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) maskData[i * T + j] = -1e9;
  const mask = tf.tensor2d(maskData, [T, T]);
  let addMask: tf.Tensor2D | null = null;
  if (opts.addMlpOut) {
    const a = new Float32Array(B * T);
    opts.addMlpOut.positions.forEach((p, b) => (a[b * T + p] = 1));
    addMask = tf.tensor2d(a, [B * T, 1]);
  }
  const heads = (t: tf.Tensor2D) => tf.transpose(tf.reshape(t, [B, T, H, dh]), [0, 2, 1, 3]);
  m.layers.forEach((L, l) => {
    const a = s.layerNorm ? layerNorm(x, L.ln1g, L.ln1b) : x;
    const q = heads(tf.matMul(a, L.Wq as tf.Tensor2D));
    const k = heads(tf.matMul(a, L.Wk as tf.Tensor2D));
    const v = heads(tf.matMul(a, L.Wv as tf.Tensor2D));
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), mask);
    const z = tf.matMul(tf.softmax(scores), v); // [B][H][T][dh]
    const zc = tf.reshape(tf.transpose(z, [0, 2, 1, 3]), [B * T, d]) as tf.Tensor2D;
    x = tf.add(x, tf.matMul(zc, L.Wo as tf.Tensor2D)) as tf.Tensor2D;
    if (s.mlp) {
      const bIn = s.layerNorm ? layerNorm(x, L.ln2g, L.ln2b) : x;
      const hid = gelu(tf.add(tf.matMul(bIn, L.Win as tf.Tensor2D), L.bin as tf.Tensor)) as tf.Tensor2D;
      const W = opts.wout && opts.wout.layer === l ? opts.wout.W : (L.Wout as tf.Tensor2D);
      let out = tf.add(tf.matMul(hid, W), L.bout as tf.Tensor) as tf.Tensor2D;
      if (addMask && opts.addMlpOut!.layer === l) out = tf.add(out, tf.mul(addMask, opts.addMlpOut!.delta)) as tf.Tensor2D;
      x = tf.add(x, out) as tf.Tensor2D;
    }
  });
  const f = s.layerNorm ? layerNorm(x, m.lnfG, m.lnfB) : x;
  return tf.matMul(f, m.U);
}

/**
 * Log-probabilities [B][V] at the given position of each sequence. Rows are picked by a one-hot matrix product, not
 * tf.gather, whose gradient (UnsortedSegmentSum) the wasm backend lacks.
 */
export function tfLogProbsAt(logits: tf.Tensor2D, T: number, positions: readonly number[]): tf.Tensor2D {
  const B = positions.length;
  const sel = new Float32Array(B * B * T);
  positions.forEach((p, b) => (sel[b * B * T + b * T + p] = 1));
  return tf.logSoftmax(tf.matMul(tf.tensor2d(sel, [B, B * T]), logits)) as tf.Tensor2D;
}

/** Σ_b x[b][cols[b]] / B as a scalar (one-hot product, differentiable on every backend). */
export function tfMeanAt(x: tf.Tensor2D, cols: readonly number[]): tf.Scalar {
  const [B, V] = x.shape;
  const oh = new Float32Array(B * V);
  cols.forEach((c, b) => (oh[b * V + c] = 1));
  return tf.div(tf.sum(tf.mul(x, tf.tensor2d(oh, [B, V]))), B) as tf.Scalar;
}
