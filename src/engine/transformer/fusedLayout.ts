// Where the fused transformer keeps everything in its kernel's memory (float indices):
//   [ parameters | gradients | Adam m | Adam v ]  each `size` floats, parameters in namedParams order
//   [ workspace for one (B, T) ]                    activations, and with gradients their backward buffers
// Gradients, m and v mirror the parameter block at a fixed shift, so Adam is one pass over it all.

import { GEMM_SCRATCH_FLOATS } from '../kernels/gemmCore';
import { dHead, namedParams, type NamedParam, type TransformerParams, type TransformerShape } from './model';

/** Round a float count up to a multiple of 4 (16 bytes: aligned SIMD rows). */
const align = (n: number) => (n + 3) & ~3;

/** Offsets of one layer's parameters; -1 where the shape has none. */
export interface LayerOffsets {
  Wq: number;
  Wk: number;
  Wv: number;
  Wo: number;
  ln1g: number;
  ln1b: number;
  ln2g: number;
  ln2b: number;
  Win: number;
  bin: number;
  Wout: number;
  bout: number;
}

export interface ParamLayout {
  /** each parameter's name, dims and offset, in namedParams order */
  entries: { name: string; dims: number[]; offset: number; length: number }[];
  E: number;
  P: number;
  layers: LayerOffsets[];
  lnfG: number;
  lnfB: number;
  U: number;
  /** first float of the parameter block */
  start: number;
  /** floats per block (parameters, gradients, m, v) */
  size: number;
  /** add to a parameter's offset to get its gradient (m: 2·shift, v: 3·shift) */
  gradShift: number;
  /** first float after the four blocks */
  end: number;
}

export function paramLayout(params: TransformerParams, start: number): ParamLayout {
  const named: NamedParam[] = namedParams(params);
  let at = start;
  const entries = named.map((p) => {
    const e = { name: p.name, dims: p.dims, offset: at, length: p.data.length };
    at += align(p.data.length);
    return e;
  });
  const off = (name: string) => entries.find((e) => e.name === name)?.offset ?? -1;
  const size = at - start;
  return {
    entries,
    E: off('E'),
    P: off('P'),
    layers: params.layers.map((_, l) => {
      const o = (k: keyof LayerOffsets) => off(`L${l}.${k}`);
      return {
        Wq: o('Wq'), Wk: o('Wk'), Wv: o('Wv'), Wo: o('Wo'),
        ln1g: o('ln1g'), ln1b: o('ln1b'), ln2g: o('ln2g'), ln2b: o('ln2b'),
        Win: o('Win'), bin: o('bin'), Wout: o('Wout'), bout: o('bout'),
      };
    }),
    lnfG: off('lnfG'),
    lnfB: off('lnfB'),
    U: off('U'),
    start,
    size,
    gradShift: size,
    end: start + 4 * size,
  };
}

/** One layer's activations ([rows][d] unless noted). Aliases where a step is the identity. */
export interface LayerBuffers {
  /** the layer's input (the previous layer's `out`, or the embedding) */
  input: number;
  /** LN1(input), or `input` without LayerNorm */
  attnIn: number;
  /** LN1 mean and 1/std per row, [rows][2] (-1 without LayerNorm) */
  ln1Stats: number;
  q: number;
  k: number;
  v: number;
  /** attention patterns [B][H][T][T] (scores before the softmax) */
  att: number;
  /** the heads' outputs, concatenated: [rows][H·dHead] */
  z: number;
  attnOut: number;
  /** input + attnOut */
  mid: number;
  /** LN2(mid), or `mid` without LayerNorm (-1 without MLP) */
  mlpIn: number;
  ln2Stats: number;
  /** [rows][dMlp]: b Win + bin, and GELU of it */
  pre: number;
  hid: number;
  mlpOut: number;
  /** the residual stream after the layer: mid + mlpOut, or `mid` without MLP */
  out: number;
}

/** Backward buffers (training only). */
export interface GradBuffers {
  /** [rows][vocab] */
  dlogits: number;
  /** the gradient of the residual stream, carried down through the layers */
  dx: number;
  /** the gradient of a LayerNorm's output before its backward */
  dnorm: number;
  dz: number;
  dq: number;
  dk: number;
  dv: number;
  /** [B][H][T][T]: d pattern, then d scores in place */
  datt: number;
  /** [rows][dMlp] */
  dhid: number;
}

export interface Workspace {
  B: number;
  T: number;
  rows: number;
  /** Int32 [rows] */
  tokens: number;
  embed: number;
  layers: LayerBuffers[];
  /** LNf(final residual), or the final residual itself */
  final: number;
  lnfStats: number;
  /** [rows][vocab] */
  logits: number;
  grad: GradBuffers | null;
  /** packing area for transposed gemm operands */
  scratch: number;
  end: number;
}

export function workspaceLayout(shape: TransformerShape, B: number, T: number, withGrad: boolean, start: number): Workspace {
  const { dModel: d, heads: H, vocab: V, dMlp, mlp, layerNorm: ln } = shape;
  const rows = B * T;
  let at = start;
  const take = (n: number) => {
    const o = at;
    at += align(n);
    return o;
  };
  const tokens = take(rows);
  const embed = take(rows * d);
  const layers: LayerBuffers[] = [];
  let input = embed;
  for (let l = 0; l < shape.layers; l++) {
    const attnIn = ln ? take(rows * d) : input;
    const ln1Stats = ln ? take(rows * 2) : -1;
    const q = take(rows * d), k = take(rows * d), v = take(rows * d);
    const att = take(B * H * T * T);
    const z = take(rows * d), attnOut = take(rows * d), mid = take(rows * d);
    const mlpIn = mlp ? (ln ? take(rows * d) : mid) : -1;
    const ln2Stats = mlp && ln ? take(rows * 2) : -1;
    const pre = mlp ? take(rows * dMlp) : -1;
    const hid = mlp ? take(rows * dMlp) : -1;
    const mlpOut = mlp ? take(rows * d) : -1;
    const out = mlp ? take(rows * d) : mid;
    layers.push({ input, attnIn, ln1Stats, q, k, v, att, z, attnOut, mid, mlpIn, ln2Stats, pre, hid, mlpOut, out });
    input = out;
  }
  const final = ln ? take(rows * d) : input;
  const lnfStats = ln ? take(rows * 2) : -1;
  const logits = take(rows * V);
  const grad: GradBuffers | null = withGrad
    ? {
        dlogits: take(rows * V), dx: take(rows * d), dnorm: take(rows * d),
        dz: take(rows * d), dq: take(rows * d), dk: take(rows * d), dv: take(rows * d),
        datt: take(B * H * T * T), dhid: mlp ? take(rows * dMlp) : -1,
      }
    : null;
  // the largest transposed B: Uᵀ (V·d), Winᵀ / Woutᵀ (d·dMlp), a d×d weight, K_hᵀ / V_hᵀ (T·dHead);
  // the GEMM core packs its panels in the same area
  const scratch = take(Math.max(V * d, mlp ? d * dMlp : 0, d * d, T * dHead(shape), GEMM_SCRATCH_FLOATS));
  return { B, T, rows, tokens, embed, layers, final, lnfStats, logits, grad, scratch, end: at };
}
