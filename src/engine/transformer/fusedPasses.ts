// The fused transformer's forward and backward passes: the model of model.ts as a sequence of kernel
// operations on the buffers of fusedLayout.ts. The same code drives the WebAssembly SIMD kernel and
// its JavaScript twin. Row-vector convention: activations are [rows = B·T][features], y = x W.
//
// Backward (∂ of the mean next-token loss), per layer from the top, with dx = ∂L/∂(residual):
//   MLP:  ∂bout = Σ dx, ∂Wout = hidᵀ dx, dhid = dx Woutᵀ ⊙ GELU'(pre), ∂bin = Σ dhid, ∂Win = mlpInᵀ dhid,
//         dx += LN2ᵀ(dhid Winᵀ)
//   attn: ∂Wo = zᵀ dx, dz = dx Woᵀ; per head dA = dz_h V_hᵀ, dV_h = Aᵀ dz_h,
//         dS = A ⊙ (dA − rowsum(A ⊙ dA)) / √dHead, dQ_h = dS K_h, dK_h = dSᵀ Q_h;
//         ∂Wq = attnInᵀ dQ (k, v alike), dx += LN1ᵀ(dQ Wqᵀ + dK Wkᵀ + dV Wvᵀ)
// then ∂E[token] += dx, ∂P[t] += dx. LNᵀ is the LayerNorm backward (identity without LayerNorm).

import { TRI, type TransformerKernel, type TransformerOps } from '../kernels/transformerKernel';
import type { ParamLayout } from './fusedLayout';
import type { Workspace } from './fusedLayout';
import { dHead, LN_EPS, type ActivationSite, type ForwardHooks, type TransformerShape } from './model';

/** C[rows][n] (+)= X[rows][k] · W[k][n] */
function linear(ops: TransformerOps, x: number, w: number, c: number, rows: number, k: number, n: number, acc = 0): void {
  ops.gemm(rows, n, k, x, k, 1, 0, w, n, 1, 0, c, n, 0, 1, acc, TRI.none);
}

/** dX[rows][k] (+)= dY[rows][n] · Wᵀ for W [k][n] */
function linearInputGrad(ops: TransformerOps, dy: number, w: number, dx: number, rows: number, k: number, n: number, acc = 0): void {
  ops.gemm(rows, k, n, dy, n, 1, 0, w, 1, n, 0, dx, k, 0, 1, acc, TRI.none);
}

/** dW[k][n] (+)= Xᵀ · dY for X [rows][k], dY [rows][n] */
function linearWeightGrad(ops: TransformerOps, x: number, dy: number, dw: number, rows: number, k: number, n: number, acc = 0): void {
  ops.gemm(k, n, rows, x, 1, k, 0, dy, n, 1, 0, dw, n, 0, 1, acc, TRI.none);
}

/**
 * The per-head products of attention, each over the B sequences of the batch. Activations are
 * [B][T][d] with head h in columns h·dh …; patterns are [B][H][T][T].
 */
class HeadProducts {
  constructor(
    private readonly ops: TransformerOps,
    private readonly B: number,
    private readonly T: number,
    private readonly H: number,
    private readonly d: number,
  ) {}

  private get dh(): number {
    return this.d / this.H;
  }

  /** S_h = X_h Y_hᵀ (the lower triangle): scores from q, k and d pattern from dz, v */
  outerT(x: number, y: number, s: number, h: number): void {
    const { T, d, B, dh } = this;
    const seq = T * d, pat = T * T;
    this.ops.gemm(T, T, dh, x + h * dh, d, 1, seq, y + h * dh, 1, d, seq, s + h * pat, T, this.H * pat, B, 0, TRI.cLower);
  }

  /** Y_h = A_h X_h (A lower triangular): z from patterns and v, dq from d scores and k */
  mix(a: number, x: number, y: number, h: number): void {
    const { T, d, B, dh } = this;
    const seq = T * d, pat = T * T;
    this.ops.gemm(T, dh, T, a + h * pat, T, 1, this.H * pat, x + h * dh, d, 1, seq, y + h * dh, d, seq, B, 0, TRI.aLower);
  }

  /** Y_h = A_hᵀ X_h (Aᵀ upper triangular): dv from patterns and dz, dk from d scores and q */
  mixT(a: number, x: number, y: number, h: number): void {
    const { T, d, B, dh } = this;
    const seq = T * d, pat = T * T;
    this.ops.gemm(T, dh, T, a + h * pat, 1, T, this.H * pat, x + h * dh, d, 1, seq, y + h * dh, d, seq, B, 0, TRI.aUpper);
  }
}

/**
 * Forward pass on the tokens already in ws.tokens; every activation stays in the workspace. With
 * hooks: heads are ablated before Wo, and `patch` sees each site right after it is computed.
 */
export function forwardPass(kernel: TransformerKernel, shape: TransformerShape, P: ParamLayout, ws: Workspace, hooks?: ForwardHooks): void {
  const { ops } = kernel;
  const { dModel: d, heads: H, vocab: V, dMlp } = shape;
  const { B, T, rows } = ws;
  const heads = new HeadProducts(ops, B, T, H, d);
  const scale = 1 / Math.sqrt(dHead(shape));
  const patch = hooks?.patch
    ? (site: ActivationSite, layer: number, at: number, n: number) => hooks.patch!(site, layer, kernel.f32().subarray(at, at + n))
    : null;

  ops.embed(ws.tokens, P.E, P.P, ws.embed, rows, T, d);
  patch?.('embed', 0, ws.embed, rows * d);
  for (let l = 0; l < shape.layers; l++) {
    const W = P.layers[l];
    const A = ws.layers[l];
    if (shape.layerNorm) ops.layerNorm(A.input, A.attnIn, W.ln1g, W.ln1b, A.ln1Stats, rows, d, LN_EPS);
    linear(ops, A.attnIn, W.Wq, A.q, rows, d, d);
    linear(ops, A.attnIn, W.Wk, A.k, rows, d, d);
    linear(ops, A.attnIn, W.Wv, A.v, rows, d, d);
    for (let h = 0; h < H; h++) heads.outerT(A.q, A.k, A.att, h);
    ops.causalSoftmax(A.att, B * H, T, scale);
    for (let h = 0; h < H; h++) heads.mix(A.att, A.v, A.z, h);
    if (hooks?.ablate) ablateHeads(kernel.f32(), shape, ws, l, hooks);
    linear(ops, A.z, W.Wo, A.attnOut, rows, d, d);
    patch?.('attnOut', l, A.attnOut, rows * d);
    ops.add(A.input, A.attnOut, A.mid, rows * d);
    if (shape.mlp) {
      if (shape.layerNorm) ops.layerNorm(A.mid, A.mlpIn, W.ln2g, W.ln2b, A.ln2Stats, rows, d, LN_EPS);
      linear(ops, A.mlpIn, W.Win, A.pre, rows, d, dMlp);
      ops.addBias(A.pre, W.bin, rows, dMlp);
      ops.gelu(A.pre, A.hid, rows * dMlp);
      patch?.('mlpHidden', l, A.hid, rows * dMlp);
      linear(ops, A.hid, W.Wout, A.mlpOut, rows, dMlp, d);
      ops.addBias(A.mlpOut, W.bout, rows, d);
      patch?.('mlpOut', l, A.mlpOut, rows * d);
      ops.add(A.mid, A.mlpOut, A.out, rows * d);
    }
    patch?.('resid', l, A.out, rows * d);
  }
  const top = ws.layers.length ? ws.layers[ws.layers.length - 1].out : ws.embed;
  if (shape.layerNorm) ops.layerNorm(top, ws.final, P.lnfG, P.lnfB, ws.lnfStats, rows, d, LN_EPS);
  linear(ops, ws.final, P.U, ws.logits, rows, d, V);
}

/** z_h := 0 or := mean[t] for the ablated heads of layer l (rows of [T][dHead] per sequence). */
function ablateHeads(f: Float32Array, shape: TransformerShape, ws: Workspace, l: number, hooks: ForwardHooks): void {
  const d = shape.dModel, dh = dHead(shape);
  const z = ws.layers[l].z;
  for (const a of hooks.ablate ?? []) {
    if (a.layer !== l) continue;
    if (a.head < 0 || a.head >= shape.heads) throw new Error(`ablate: no head ${a.head} in layer ${l}`);
    if (a.mode === 'mean' && (!a.mean || a.mean.length < ws.T * dh)) throw new Error(`ablate: mean ablation needs a [T][dHead] mean (T = ${ws.T})`);
    for (let r = 0; r < ws.rows; r++) {
      const o = z + r * d + a.head * dh;
      if (a.mode === 'zero') f.fill(0, o, o + dh);
      else f.set(a.mean!.subarray((r % ws.T) * dh, (r % ws.T + 1) * dh), o);
    }
  }
}

/**
 * Loss and gradients of the forward pass just run (the workspace must have gradient buffers).
 * Gradients are written to the gradient block (parameter offset + P.gradShift), which this zeroes.
 * Returns the mean next-token loss.
 */
export function backwardPass(kernel: TransformerKernel, shape: TransformerShape, P: ParamLayout, ws: Workspace, lossWeights?: Float32Array): number {
  const G = ws.grad;
  if (!G) throw new Error('backwardPass: workspace has no gradient buffers');
  const { ops } = kernel;
  const { dModel: d, heads: H, vocab: V, dMlp, layerNorm: ln } = shape;
  const { B, T, rows } = ws;
  const g = (offset: number) => offset + P.gradShift;
  const heads = new HeadProducts(ops, B, T, H, d);
  const scale = 1 / Math.sqrt(dHead(shape));
  kernel.f32().fill(0, P.start + P.gradShift, P.start + 2 * P.gradShift);

  const weighted = lossWeights ? weightedCrossEntropy(kernel, ws, G.dlogits, V, lossWeights) : null;
  const lossSum = weighted ?? ops.crossEntropy(ws.logits, ws.tokens, G.dlogits, rows, T, V, 1 / (B * (T - 1)));
  linearWeightGrad(ops, ws.final, G.dlogits, g(P.U), rows, d, V);
  const top = ws.layers.length ? ws.layers[ws.layers.length - 1].out : ws.embed;
  if (ln) {
    linearInputGrad(ops, G.dlogits, P.U, G.dnorm, rows, d, V);
    kernel.f32().fill(0, G.dx, G.dx + rows * d);
    ops.layerNormBackward(G.dnorm, top, P.lnfG, ws.lnfStats, G.dx, g(P.lnfG), g(P.lnfB), rows, d);
  } else {
    linearInputGrad(ops, G.dlogits, P.U, G.dx, rows, d, V);
  }

  for (let l = shape.layers - 1; l >= 0; l--) {
    const W = P.layers[l];
    const A = ws.layers[l];
    if (shape.mlp) {
      ops.colSum(G.dx, rows, d, g(W.bout));
      linearWeightGrad(ops, A.hid, G.dx, g(W.Wout), rows, dMlp, d);
      linearInputGrad(ops, G.dx, W.Wout, G.dhid, rows, dMlp, d);
      ops.geluBackward(A.pre, G.dhid, G.dhid, rows * dMlp);
      ops.colSum(G.dhid, rows, dMlp, g(W.bin));
      linearWeightGrad(ops, A.mlpIn, G.dhid, g(W.Win), rows, d, dMlp);
      if (ln) {
        linearInputGrad(ops, G.dhid, W.Win, G.dnorm, rows, d, dMlp);
        ops.layerNormBackward(G.dnorm, A.mid, W.ln2g, A.ln2Stats, G.dx, g(W.ln2g), g(W.ln2b), rows, d);
      } else {
        linearInputGrad(ops, G.dhid, W.Win, G.dx, rows, d, dMlp, 1);
      }
    }
    linearWeightGrad(ops, A.z, G.dx, g(W.Wo), rows, d, d);
    linearInputGrad(ops, G.dx, W.Wo, G.dz, rows, d, d);
    for (let h = 0; h < H; h++) {
      heads.outerT(G.dz, A.v, G.datt, h);
      heads.mixT(A.att, G.dz, G.dv, h);
    }
    ops.causalSoftmaxBackward(A.att, G.datt, B * H, T, scale);
    for (let h = 0; h < H; h++) {
      heads.mix(G.datt, A.k, G.dq, h);
      heads.mixT(G.datt, A.q, G.dk, h);
    }
    linearWeightGrad(ops, A.attnIn, G.dq, g(W.Wq), rows, d, d);
    linearWeightGrad(ops, A.attnIn, G.dk, g(W.Wk), rows, d, d);
    linearWeightGrad(ops, A.attnIn, G.dv, g(W.Wv), rows, d, d);
    const dIn = ln ? G.dnorm : G.dx;
    linearInputGrad(ops, G.dq, W.Wq, dIn, rows, d, d, ln ? 0 : 1);
    linearInputGrad(ops, G.dk, W.Wk, dIn, rows, d, d, 1);
    linearInputGrad(ops, G.dv, W.Wv, dIn, rows, d, d, 1);
    if (ln) ops.layerNormBackward(G.dnorm, A.input, W.ln1g, A.ln1Stats, G.dx, g(W.ln1g), g(W.ln1b), rows, d);
  }
  ops.embedBackward(ws.tokens, G.dx, g(P.E), g(P.P), rows, T, d);
  return weighted ?? lossSum / (B * (T - 1));
}

/**
 * The per-position weighted loss Σ w·ce / Σ w and its gradient into `dlogits` (rows with weight 0 get zeros):
 * the kernel's cross-entropy with unit scale, then each row's gradient scaled by w / Σ w in JavaScript.
 */
function weightedCrossEntropy(kernel: TransformerKernel, ws: Workspace, dlogits: number, V: number, w: Float32Array): number {
  const { B, T, rows } = ws;
  if (w.length !== B * T) throw new Error(`lossWeights: ${w.length} weights for ${B}·${T} positions`);
  let total = 0;
  for (let r = 0; r < rows; r++) if (r % T !== T - 1) total += w[r];
  if (!(total > 0)) throw new Error('lossWeights: the weights must sum to more than 0');
  kernel.ops.crossEntropy(ws.logits, ws.tokens, dlogits, rows, T, V, 1);
  const f = kernel.f32();
  const tok = kernel.i32();
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const at = dlogits + r * V;
    const scale = r % T === T - 1 ? 0 : w[r] / total;
    if (scale === 0) {
      f.fill(0, at, at + V);
      continue;
    }
    // per-row loss from the logits in float64: log Σ exp(l − max) + max − l[target]
    const lo = ws.logits + r * V;
    let mx = -Infinity;
    for (let j = 0; j < V; j++) mx = Math.max(mx, f[lo + j]);
    let sum = 0;
    for (let j = 0; j < V; j++) sum += Math.exp(f[lo + j] - mx);
    loss += scale * (Math.log(sum) + mx - f[lo + tok[ws.tokens + r + 1]]);
    for (let j = 0; j < V; j++) f[at + j] *= scale;
  }
  return loss;
}
