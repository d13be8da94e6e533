// The fused transformer engine: the model of model.ts trained with hand-derived gradients
// (fusedPasses.ts) over one preallocated memory (fusedLayout.ts), in the WebAssembly SIMD kernel
// where the runtime has it, else in its JavaScript twin (kernels/transformerKernel.ts). A training
// step is: tokens in, forward, backward, Adam, all inside that memory; JavaScript only sequences
// the operations. Float32 storage like the TF.js engine; the kernel sums matrix products in
// float32, the other sums (softmax, LayerNorm, loss, bias gradients) in float64.
// forward() hands `patch` views into the kernel's memory: edit them in place, but do not keep them
// or call this trainer from inside the hook (the next pass reuses that memory).

import { createTransformerKernel, type TransformerKernel } from '../kernels/transformerKernel';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPS } from '../shared/adam';
import { paramLayout, workspaceLayout, type ParamLayout, type Workspace } from './fusedLayout';
import { backwardPass, forwardPass } from './fusedPasses';
import {
  cloneParams, initParams, namedParams, type ActivationSite, type ForwardHooks, type ForwardResult,
  type TransformerParams, type TransformerShape, type TransformerTrainer,
} from './model';

export interface FusedTransformerOptions {
  lr: number;
  /** decoupled (AdamW) weight decay on every parameter, as adamw.ts; 0 = Adam */
  weightDecay?: number;
  seed: number;
  /** use the WebAssembly SIMD kernel when available (default true); false forces the JavaScript twin */
  simd?: boolean;
}

export class FusedTransformer implements TransformerTrainer {
  readonly engine = 'fused' as const;
  readonly shape: TransformerShape;
  lr: number;
  weightDecay: number;
  private readonly kernel: TransformerKernel;
  private readonly layout: ParamLayout;
  /** a skeleton for copying parameters out (shapes and nulls of this model) */
  private readonly template: TransformerParams;
  private readonly workspaces = new Map<string, Workspace>();
  private disposed = false;
  private steps = 0;

  /** `initial` overrides initParams(shape, opts.seed) (as the TF.js engine's third argument). */
  constructor(shape: TransformerShape, opts: FusedTransformerOptions, initial?: TransformerParams) {
    const { layers, heads, dModel, vocab, ctx } = shape;
    if (![layers, heads, dModel, vocab, ctx].every((n) => Number.isInteger(n) && n > 0) || dModel % heads !== 0) {
      throw new Error(`fused transformer: invalid shape ${JSON.stringify(shape)}`);
    }
    if (shape.mlp && !(Number.isInteger(shape.dMlp) && shape.dMlp > 0)) throw new Error(`fused transformer: dMlp must be a positive integer`);
    this.shape = { ...shape };
    this.lr = opts.lr;
    this.weightDecay = opts.weightDecay ?? 0;
    this.kernel = createTransformerKernel(opts.simd ?? true);
    const init = initParams(this.shape, opts.seed);
    this.template = init;
    this.layout = paramLayout(init, this.kernel.base);
    this.kernel.ensure(this.layout.end);
    this.kernel.f32().fill(0, this.layout.start, this.layout.end);
    this.setParams(initial ?? init);
  }

  get stepsDone(): number {
    return this.steps;
  }

  /** true when the WebAssembly SIMD kernel runs the passes, false for the JavaScript twin */
  get simd(): boolean {
    return this.kernel.simd;
  }

  trainStep(tokens: Int32Array, B: number, lossWeights?: Float32Array): number {
    const ws = this.load(tokens, B, true);
    forwardPass(this.kernel, this.shape, this.layout, ws);
    const loss = backwardPass(this.kernel, this.shape, this.layout, ws, lossWeights);
    this.adamStep();
    return loss;
  }

  /** Loss and gradients (by parameter name) on a batch, without an update; the same call as the TF.js engine's. */
  gradientsOn(tokens: Int32Array, B: number, lossWeights?: Float32Array): { loss: number; grads: Map<string, Float32Array> } {
    const ws = this.load(tokens, B, true);
    forwardPass(this.kernel, this.shape, this.layout, ws);
    const loss = backwardPass(this.kernel, this.shape, this.layout, ws, lossWeights);
    return { loss, grads: new Map(namedParams(this.readBlock(this.layout.gradShift)).map((g) => [g.name, g.data])) };
  }

  forward(tokens: Int32Array, B: number, T: number, hooks?: ForwardHooks): ForwardResult {
    if (tokens.length !== B * T) throw new Error(`forward: ${tokens.length} tokens is not B·T = ${B}·${T}`);
    const ws = this.load(tokens, B, false);
    forwardPass(this.kernel, this.shape, this.layout, ws, hooks);
    const f = this.kernel.f32();
    const copy = (at: number, n: number) => f.slice(at, at + n);
    const { rows } = ws;
    const { dModel: d, heads: H, vocab: V, dMlp } = this.shape;
    const result: ForwardResult = {
      B,
      T,
      logits: copy(ws.logits, rows * V),
      patterns: ws.layers.map((A) => copy(A.att, B * H * T * T)),
    };
    if (hooks?.record) {
      result.headOutputs = ws.layers.map((A) => copy(A.z, rows * d));
      const acts: Partial<Record<ActivationSite, Float32Array[]>> = {
        embed: [copy(ws.embed, rows * d)],
        resid: ws.layers.map((A) => copy(A.out, rows * d)),
        attnOut: ws.layers.map((A) => copy(A.attnOut, rows * d)),
      };
      if (this.shape.mlp) {
        acts.mlpOut = ws.layers.map((A) => copy(A.mlpOut, rows * d));
        acts.mlpHidden = ws.layers.map((A) => copy(A.hid, rows * dMlp));
      }
      result.activations = acts;
    }
    return result;
  }

  params(): TransformerParams {
    return this.readBlock(0);
  }

  setParams(p: TransformerParams): void {
    const mine = namedParams(this.template);
    const theirs = namedParams(p);
    const f = this.kernel.f32();
    if (theirs.length !== mine.length) throw new Error('setParams: the parameters do not match this shape');
    theirs.forEach((q, i) => {
      const e = this.layout.entries[i];
      if (q.name !== e.name || q.data.length !== e.length) throw new Error(`setParams: ${q.name} does not match this shape's ${e.name}`);
      f.set(q.data, e.offset);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.workspaces.clear();
    this.kernel.release();
  }

  /** The workspace for (B, T) with the tokens copied in, laid out (and the memory grown) on first use. */
  private load(tokens: Int32Array, B: number, withGrad: boolean): Workspace {
    if (this.disposed) throw new Error('fused transformer was disposed');
    const T = tokens.length / B;
    if (!Number.isInteger(B) || B < 1 || !Number.isInteger(T)) throw new Error(`batch: ${tokens.length} tokens do not split into ${B} sequences`);
    if (T > this.shape.ctx || (withGrad && T < 2)) throw new Error(`batch: sequence length ${T} outside ${withGrad ? 2 : 1} … ${this.shape.ctx}`);
    const V = this.shape.vocab;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (!(t >= 0 && t < V)) throw new Error(`batch: token ${t} at ${i} outside 0 … ${V - 1}`);
    }
    const key = `${B}x${T}${withGrad ? 'g' : ''}`;
    let ws = this.workspaces.get(key);
    if (!ws) {
      ws = workspaceLayout(this.shape, B, T, withGrad, this.layout.end);
      this.kernel.ensure(ws.end);
      this.workspaces.set(key, ws);
    }
    this.kernel.ops.setScratch(ws.scratch);
    this.kernel.i32().set(tokens, ws.tokens);
    return ws;
  }

  private adamStep(): void {
    const t = ++this.steps;
    const { start, size, gradShift } = this.layout;
    this.kernel.ops.adam(
      start, start + gradShift, start + 2 * gradShift, start + 3 * gradShift, size,
      ADAM_BETA1, ADAM_BETA2, this.lr / (1 - ADAM_BETA1 ** t), Math.sqrt(1 - ADAM_BETA2 ** t), ADAM_EPS, 1 - this.lr * this.weightDecay,
    );
  }

  /** The parameter-shaped block at `shift` from the parameters (0 = parameters, gradShift = gradients), copied. */
  private readBlock(shift: number): TransformerParams {
    const out = cloneParams(this.template);
    const f = this.kernel.f32();
    namedParams(out).forEach((q, i) => {
      const e = this.layout.entries[i];
      q.data.set(f.subarray(e.offset + shift, e.offset + shift + e.length));
    });
    return out;
  }
}
