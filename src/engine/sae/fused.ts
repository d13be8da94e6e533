// The fused SAE engine: the same sparse autoencoders as sae.ts (science.md §6.1, ARENA's loss), in
// plain loops over typed arrays with hand-derived gradients, no tensors and no per-op dispatch.
// Same initial weights (initialSaeParams), same activation stream (source.sample, or its sparse terms
// with the same draws, once per step and once per resampling check), same Adam, same unit-norm projection, same resampling rule
// (resampleLatents), so it reproduces SaeTrainer to float32 rounding (tests/unit/saeFused.test.ts).
//
// Per instance, example h (d values), with x̄ = h − b_dec, a = W_enc x̄ + b_enc, z = ReLU(a),
// ĥ = W_dec z + b_dec, loss = mean_batch( mean_d (ĥ − h)² + λ Σ z ):
//   e = ĥ − h,  δ = 2e/(d·B)                                   (∂loss/∂ĥ)
//   ∂b_dec += δ − W_encᵀ g,  ∂W_dec += δ zᵀ,
//   g_l = (W_decᵀ δ)_l + λ/B   for the latents with a_l > 0 (0 for the others)
//   ∂W_enc += g x̄ᵀ,  ∂b_enc += g.
// Only the firing latents (a_l > 0) enter the decoder and every backward product, so after the
// first few hundred steps the work per example is ≈ L·d (the encoder) plus ≈ 4·L0·d.
//
// The pass runs in a WebAssembly SIMD kernel (saeKernel.as.ts, f32x4, float32 like TF.js) where the
// runtime has WebAssembly SIMD, else in the JavaScript loops below (float64 accumulators); both give
// the same numbers to float32 rounding. With the kernel, the parameters and Adam moments live in its
// memory and Adam and the unit-norm projection run there too (SIMD, no copies per step); the
// float32 arrays here are then a mirror, read back from the kernel only when a snapshot, the JavaScript
// pass or resampling needs them (resampling writes its rows and reset moments back). Without it they
// are the state and Adam runs in JavaScript. Parameters and Adam moments are float32 like the TF.js engine's.

import type { ActivationSource } from './activations';
import { instanceL1, type SaeConfig } from './config';
import {
  buildSaeSnapshot, deadMask, firingOn, initialSaeParams, instanceCosines, instanceStats, resampleDue, resampleLatents, SAE_ACTIVE,
  type SaeEngine, type SaeEngineName, type SaeGradients, type SaeInstanceStats, type SaeSnapshot, type SaeStepOptions,
} from './core';
import type { Rng } from '../shared/rng';
import { SaeKernel, saeKernelBuild } from '../kernels/saeKernel';
import type { KernelBuild } from '../kernels/relaxedSimd';
import { adamStep, adamUpdate, type AdamStep } from '../shared/adam';
import { transposeInto } from '../shared/arrays';

interface Grads {
  Wenc: Float64Array;
  benc: Float64Array;
  /** transposed: [L][d] */
  WdecT: Float64Array;
  bdec: Float64Array;
}

/** Per-example scratch, sized once. */
interface Scratch {
  xc: Float64Array;
  hHat: Float64Array;
  dh: Float64Array;
  dxc: Float64Array;
  act: Int32Array;
  z: Float64Array;
  /** one instance's decoder, transposed: [L][d] */
  WdecT: Float64Array;
  /** one instance's encoder, transposed: [d][L] (the forward pass walks it row by row) */
  WencT: Float64Array;
  /** pre-activations of one example, [L] */
  pre: Float64Array;
}

export class SaeFusedTrainer implements SaeEngine {
  readonly engine = 'fused' as const;
  stepsDone = 0;
  readonly dIn: number;
  readonly L: number;
  private readonly K: number;
  private readonly rng: Rng;
  private readonly hBuf: Float32Array;
  private readonly l1: number[];
  private readonly Wenc: Float32Array;
  private readonly benc: Float32Array;
  private readonly Wdec: Float32Array;
  private readonly bdec: Float32Array;
  private readonly mom: { Wenc: Float32Array; benc: Float32Array; Wdec: Float32Array; bdec: Float32Array };
  private readonly vel: { Wenc: Float32Array; benc: Float32Array; Wdec: Float32Array; bdec: Float32Array };
  private readonly grads: Grads;
  /** per-latent scratch for the decoder's column norms */
  private readonly colNorm: Float64Array;
  /** W_dec's gradient in parameter layout [d][L] (the pass accumulates it transposed) */
  private readonly gWdec: Float64Array;
  private readonly scratch: Scratch;
  /** step at which each latent last fired, [K][L] */
  private readonly lastActive: Float64Array;
  /** sums over the current step(k) call, per instance */
  private readonly sums: { loss: Float64Array; reconstruction: Float64Array; l0: Float64Array };
  private lastStats: SaeInstanceStats[];
  private readonly resampledCount: number[];
  private disposed = false;
  /** the WebAssembly SIMD pass, or null for the JavaScript one */
  private readonly kernel: SaeKernel | null;
  /** with the kernel: whether the arrays above hold the kernel's current parameters (and moments) */
  private mirror = { params: true, moments: true };

  /**
   * opts.kernel false: the JavaScript pass; opts.denseFrom: the kernel's switch to dense GEMMs for the
   * decoder and backward (SAE_DENSE_FROM; 0 always, > 1 never: tests and bench)
   */
  constructor(readonly config: SaeConfig, readonly source: ActivationSource, opts: { kernel?: boolean; denseFrom?: number } = {}) {
    const K = (this.K = config.saeInstances);
    const L = (this.L = config.dictSize);
    const d = (this.dIn = source.dIn);
    const { Wenc, Wdec, rng } = initialSaeParams(config, d);
    this.rng = rng;
    this.hBuf = new Float32Array(config.saeBatch * d);
    this.l1 = instanceL1(config);
    this.Wenc = Wenc;
    this.Wdec = Wdec;
    this.benc = new Float32Array(K * L);
    this.bdec = new Float32Array(K * d);
    const zeros = () => ({ Wenc: new Float32Array(K * L * d), benc: new Float32Array(K * L), Wdec: new Float32Array(K * d * L), bdec: new Float32Array(K * d) });
    this.mom = zeros();
    this.vel = zeros();
    this.grads = { Wenc: new Float64Array(L * d), benc: new Float64Array(L), WdecT: new Float64Array(L * d), bdec: new Float64Array(d) };
    this.gWdec = new Float64Array(d * L);
    this.colNorm = new Float64Array(L);
    this.scratch = {
      xc: new Float64Array(d), hHat: new Float64Array(d), dh: new Float64Array(d), dxc: new Float64Array(d),
      act: new Int32Array(L), z: new Float64Array(L), WdecT: new Float64Array(L * d), WencT: new Float64Array(d * L), pre: new Float64Array(L),
    };
    this.lastActive = new Float64Array(K * L);
    this.sums = { loss: new Float64Array(K), reconstruction: new Float64Array(K), l0: new Float64Array(K) };
    this.lastStats = Array.from({ length: K }, () => ({ loss: NaN, reconstruction: NaN, l0: NaN, deadFraction: 0, mmcs: NaN }));
    this.resampledCount = Array(K).fill(0);
    this.kernel = opts.kernel === false ? null : SaeKernel.create(config.saeBatch, d, L, source.numTrue, K, source.sampleTerms !== undefined);
    if (this.kernel && opts.denseFrom !== undefined) this.kernel.denseFrom = opts.denseFrom;
    this.pushToKernel();
  }

  /** true when the passes run in the WebAssembly SIMD kernel (float32), false for the JavaScript ones (float64) */
  get usesKernel(): boolean {
    return this.kernel !== null;
  }

  /** Resolves true once the kernel's helper thread takes its share (tests, bench: until then one thread does all, same numbers). */
  kernelHelperReady(timeoutMs?: number): Promise<boolean> {
    return this.kernel ? this.kernel.whenHelperReady(timeoutMs) : Promise.resolve(false);
  }

  /** jobs split with the helper thread so far (0 on one thread) */
  get kernelSplits(): number {
    return this.kernel?.splitCount() ?? 0;
  }

  /** which kernel build runs the passes and on how many threads (null: the JavaScript pass) */
  get kernelPath(): { build: KernelBuild; threads: 1 | 2 } | null {
    const build = saeKernelBuild();
    return this.kernel && build ? { build, threads: this.kernel.threads } : null;
  }

  step(k: number, opts: SaeStepOptions = {}): SaeInstanceStats[] {
    if (this.disposed) throw new Error('SAE trainer was disposed');
    if (!Number.isInteger(k) || k < 1) throw new Error(`step count must be a positive integer; got ${k}`);
    const { sums } = this;
    sums.loss.fill(0);
    sums.reconstruction.fill(0);
    sums.l0.fill(0);
    for (let s = 0; s < k; s++) {
      this.oneStep();
      if (resampleDue(this.config, this.stepsDone)) this.resampleDead();
    }
    const mean = (a: Float64Array) => Array.from(a, (x) => x / k);
    const t0 = performance.now();
    this.lastStats = instanceStats(
      { loss: mean(sums.loss), reconstruction: mean(sums.reconstruction), l0: mean(sums.l0) },
      this.deadMask(), opts.mmcs === false ? null : this.cosines(), this.L, this.source.numTrue,
    );
    this.timeMs.metrics += performance.now() - t0;
    return this.lastStats.map((s) => ({ ...s }));
  }

  /**
   * Where the time goes, ms summed over all steps (bench/saeMeasure.ts prints the shares): drawing
   * the batch, the forward + backward pass (of which `kernel` in WebAssembly; the rest, which the
   * bench calls copies, is now only the scan of the firing latents), Adam + the decoder's unit norm
   * (in the kernel too when there is one), and the MMCS metric.
   */
  readonly timeMs = { batch: 0, pass: 0, kernel: 0, update: 0, metrics: 0 };

  private oneStep(): void {
    const B = this.config.saeBatch;
    const tm = this.timeMs;
    let t0 = performance.now();
    const { source } = this;
    // sparse-term sources hand the kernel their terms, which it sums into the same batch (no [B][d] array here)
    if (this.kernel && source.sampleTerms) this.kernel.setBatchTerms(source.sampleTerms(B), B, source.trueDirections);
    else {
      source.sample(B, this.hBuf);
      this.kernel?.setBatch(this.hBuf, B);
    }
    const t = ++this.stepsDone;
    const adam = adamStep(t, this.config.saeLr);
    let t1 = performance.now();
    tm.batch += t1 - t0;
    const { kernel, lastActive, L } = this;
    for (let k = 0; k < this.K; k++) {
      const bo = k * L;
      const r = kernel ? kernel.pass(k, this.l1[k], (l) => (lastActive[bo + l] = t)) : this.pass(k, this.hBuf, B, t);
      this.sums.loss[k] += r.loss;
      this.sums.reconstruction[k] += r.reconstruction;
      this.sums.l0[k] += r.l0;
      t0 = performance.now();
      tm.pass += t0 - t1;
      if (kernel) {
        kernel.adam(k, adam);
        kernel.normaliseDecoder(k);
      } else {
        this.applyAdam(k, adam);
        this.normaliseDecoder(k);
      }
      t1 = performance.now();
      tm.update += t1 - t0;
    }
    if (kernel) {
      tm.kernel = kernel.kernelMs;
      this.mirror.params = this.mirror.moments = false;
    }
  }

  /** instance k's slices of the parameter arrays (or of the moments') */
  private instanceArrays(k: number, a: { Wenc: Float32Array; benc: Float32Array; Wdec: Float32Array; bdec: Float32Array }) {
    const { L, dIn: d } = this;
    return {
      Wenc: a.Wenc.subarray(k * L * d, (k + 1) * L * d), benc: a.benc.subarray(k * L, (k + 1) * L),
      Wdec: a.Wdec.subarray(k * d * L, (k + 1) * d * L), bdec: a.bdec.subarray(k * d, (k + 1) * d),
    };
  }

  private get params() {
    return { Wenc: this.Wenc, benc: this.benc, Wdec: this.Wdec, bdec: this.bdec };
  }

  /** The kernel's state into the mirror arrays (parameters; moments too when asked), if they are behind. */
  private pullFromKernel(moments: boolean): void {
    const { kernel, mirror } = this;
    if (!kernel) return;
    for (let k = 0; k < this.K; k++) {
      const both = moments && !mirror.moments;
      if (both || !mirror.params) kernel.readInstance(k, this.instanceArrays(k, this.params), both ? { m: this.instanceArrays(k, this.mom), v: this.instanceArrays(k, this.vel) } : undefined);
    }
    mirror.params = true;
    if (moments) mirror.moments = true;
  }

  /** The mirror arrays (parameters and moments) into the kernel: at the start and after resampling. */
  private pushToKernel(): void {
    if (!this.kernel) return;
    for (let k = 0; k < this.K; k++) {
      this.kernel.writeInstance(k, this.instanceArrays(k, this.params), { m: this.instanceArrays(k, this.mom), v: this.instanceArrays(k, this.vel) });
    }
  }

  /**
   * Forward and backward of instance k on B rows of h; gradients land in this.grads. `t` > 0 marks
   * the latents that fire as active at step t. Returns the batch means.
   */
  private pass(k: number, h: Float32Array, B: number, t: number): { loss: number; reconstruction: number; l0: number } {
    const { dIn: d, L } = this;
    const { Wenc, benc, Wdec, bdec, lastActive } = this;
    const { xc, hHat, dh, dxc, act, z, WdecT, WencT, pre } = this.scratch;
    const g = this.grads;
    g.Wenc.fill(0);
    g.benc.fill(0);
    g.WdecT.fill(0);
    g.bdec.fill(0);
    const eo = k * L * d, bo = k * L, dOff = k * d;
    for (let l = 0; l < L; l++) {
      for (let j = 0; j < d; j++) {
        WdecT[l * d + j] = Wdec[(dOff + j) * L + l];
        WencT[j * L + l] = Wenc[eo + l * d + j];
      }
    }
    const lambda = this.l1[k];
    const l1Grad = lambda / B;
    const scale = 2 / (d * B);
    let lossSum = 0, recSum = 0, l0 = 0;
    for (let r = 0; r < B; r++) {
      const ho = r * d;
      for (let j = 0; j < d; j++) {
        const bj = bdec[dOff + j];
        xc[j] = h[ho + j] - bj;
        hHat[j] = bj;
      }
      // encoder over every latent; decoder over the firing ones
      // pre = b_enc + Σ_j x̄_j · (row j of W_encᵀ): independent sums, no dependency chain
      for (let l = 0; l < L; l++) pre[l] = benc[bo + l];
      for (let j = 0; j < d; j++) {
        const x = xc[j];
        const o = j * L;
        for (let l = 0; l < L; l++) pre[l] += WencT[o + l] * x;
      }
      let nAct = 0;
      for (let l = 0; l < L; l++) {
        const a = pre[l];
        if (a > 0) {
          act[nAct] = l;
          z[nAct++] = a;
          const to = l * d;
          for (let j = 0; j < d; j++) hHat[j] += WdecT[to + j] * a;
        }
      }
      let rec = 0;
      for (let j = 0; j < d; j++) {
        const e = hHat[j] - h[ho + j];
        rec += e * e;
        dh[j] = scale * e;
        g.bdec[j] += dh[j];
        dxc[j] = 0;
      }
      let sp = 0;
      for (let i = 0; i < nAct; i++) {
        const l = act[i], zl = z[i];
        sp += zl;
        if (zl > SAE_ACTIVE) {
          l0++;
          if (t > 0) lastActive[bo + l] = t;
        }
        const to = l * d;
        let gl = l1Grad;
        for (let j = 0; j < d; j++) {
          gl += WdecT[to + j] * dh[j];
          g.WdecT[to + j] += dh[j] * zl;
        }
        g.benc[l] += gl;
        const wo = eo + to;
        for (let j = 0; j < d; j++) {
          g.Wenc[to + j] += gl * xc[j];
          dxc[j] += Wenc[wo + j] * gl;
        }
      }
      for (let j = 0; j < d; j++) g.bdec[j] -= dxc[j];
      lossSum += rec / d + lambda * sp;
      recSum += rec / d;
    }
    return { loss: lossSum / B, reconstruction: recSum / B, l0: l0 / B };
  }

  private applyAdam(k: number, s: AdamStep): void {
    const { dIn: d, L } = this;
    const g = this.grads;
    adamUpdate(this.Wenc, this.mom.Wenc, this.vel.Wenc, k * L * d, g.Wenc, s);
    adamUpdate(this.benc, this.mom.benc, this.vel.benc, k * L, g.benc, s);
    adamUpdate(this.bdec, this.mom.bdec, this.vel.bdec, k * d, g.bdec, s);
    // W_dec is [d][L]; the JavaScript pass holds its gradient transposed
    transposeInto(g.WdecT, L, d, this.gWdec);
    adamUpdate(this.Wdec, this.mom.Wdec, this.vel.Wdec, k * d * L, this.gWdec, s);
  }

  /** W_dec columns back to unit norm, as the TF.js engine does (÷ (‖col‖ + 1e-8)). */
  private normaliseDecoder(k: number): void {
    const { dIn: d, L } = this;
    const W = this.Wdec;
    // row by row (W_dec is [d][L]: a column walk would stride by L); the same sums in the same order
    const sq = this.colNorm;
    sq.fill(0);
    for (let j = 0; j < d; j++) {
      const o = (k * d + j) * L;
      for (let l = 0; l < L; l++) sq[l] += W[o + l] ** 2;
    }
    for (let l = 0; l < L; l++) sq[l] = Math.sqrt(sq[l]) + 1e-8;
    for (let j = 0; j < d; j++) {
      const o = (k * d + j) * L;
      for (let l = 0; l < L; l++) W[o + l] /= sq[l];
    }
  }

  gradientsOn(h: Float32Array): SaeGradients {
    if (this.disposed) throw new Error('SAE trainer was disposed');
    const { K, L, dIn: d } = this;
    const B = h.length / d;
    const out: SaeGradients = { loss: new Float32Array(K), Wenc: new Float32Array(K * L * d), benc: new Float32Array(K * L), Wdec: new Float32Array(K * d * L), bdec: new Float32Array(K * d) };
    const kernel = this.kernel && B <= this.kernel.capacity ? this.kernel : null;
    if (kernel) {
      kernel.setBatch(h, B);
      for (let k = 0; k < K; k++) {
        out.loss[k] = kernel.pass(k, this.l1[k], () => {}).loss;
        kernel.readGradients(this.instanceArrays(k, out));
      }
      return out;
    }
    this.pullFromKernel(false);
    for (let k = 0; k < K; k++) {
      out.loss[k] = this.pass(k, h, B, 0).loss;
      const g = this.grads;
      out.Wenc.set(g.Wenc, k * L * d);
      out.benc.set(g.benc, k * L);
      out.bdec.set(g.bdec, k * d);
      for (let j = 0; j < d; j++) for (let l = 0; l < L; l++) out.Wdec[(k * d + j) * L + l] = g.WdecT[l * d + j];
    }
    return out;
  }

  /** Each instance's reconstruction loss (mean over d) on every row of h. */
  private perExampleReconstruction(h: Float32Array, B: number): Float64Array[] {
    const { K, L, dIn: d } = this;
    const { xc, hHat } = this.scratch;
    return Array.from({ length: K }, (_, k) => {
      const out = new Float64Array(B);
      for (let r = 0; r < B; r++) {
        for (let j = 0; j < d; j++) {
          xc[j] = h[r * d + j] - this.bdec[k * d + j];
          hHat[j] = this.bdec[k * d + j];
        }
        for (let l = 0; l < L; l++) {
          let a = this.benc[k * L + l];
          for (let j = 0; j < d; j++) a += this.Wenc[(k * L + l) * d + j] * xc[j];
          if (a > 0) for (let j = 0; j < d; j++) hHat[j] += this.Wdec[(k * d + j) * L + l] * a;
        }
        let rec = 0;
        for (let j = 0; j < d; j++) rec += (hHat[j] - h[r * d + j]) ** 2;
        out[r] = rec / d;
      }
      return out;
    });
  }

  private deadMask(): Uint8Array {
    return deadMask(this.lastActive, this.stepsDone, this.config.deadWindow);
  }

  private resampleDead(): void {
    const dead = this.deadMask();
    if (!dead.some((x) => x)) return;
    const { K, L, dIn: d } = this;
    const B = this.config.saeBatch;
    this.source.sample(B, this.hBuf);
    this.pullFromKernel(true);
    const perExample = this.perExampleReconstruction(this.hBuf, B);
    const counts = resampleLatents(
      {
        Wenc: this.Wenc, benc: this.benc, Wdec: this.Wdec, bdec: this.bdec,
        encM: this.mom.Wenc, encV: this.vel.Wenc, bencM: this.mom.benc, bencV: this.vel.benc, decM: this.mom.Wdec, decV: this.vel.Wdec,
        last: this.lastActive,
      },
      dead, this.hBuf, perExample, { K, L, d, B }, this.config.resampleScale, this.stepsDone, this.rng,
    );
    counts.forEach((c, k) => (this.resampledCount[k] += c));
    this.pushToKernel();
  }

  /** per instance, cos(latent, true feature) [L][G]: a GEMM in the kernel when there is one */
  private cosines(): Float32Array[] {
    const { K, L, dIn: d, kernel, source } = this;
    if (!kernel || source.numTrue === 0) return instanceCosines(this.Wdec, K, d, L, source);
    return Array.from({ length: K }, (_, k) => kernel.cosines(k, source.trueDirections));
  }

  /**
   * core.ts firingOn for the current parameters on B inputs h ([B][dIn]): which latents never fire, how often
   * each fires, L0. In the kernel (the encoder GEMM over batch-sized chunks, float32 like training) when there
   * is one, else firingOn of a snapshot (float64).
   */
  firingOn(h: Float32Array, B: number): { dead: Uint8Array; fired: Float32Array; l0: number[] } {
    const kernel = this.kernel;
    if (!kernel) return firingOn(this.snapshot(), h, B);
    const { K, L } = this;
    const counts = new Int32Array(L);
    const dead = new Uint8Array(K * L), fired = new Float32Array(K * L);
    const l0 = Array.from({ length: K }, (_, k) => {
      const total = kernel.fireCounts(k, h, B, counts);
      for (let l = 0; l < L; l++) {
        fired[k * L + l] = counts[l];
        dead[k * L + l] = counts[l] > 0 ? 0 : 1;
      }
      return total / B;
    });
    return { dead, fired, l0 };
  }

  snapshot(): SaeSnapshot {
    if (this.disposed) throw new Error('SAE trainer was disposed');
    this.pullFromKernel(false);
    return buildSaeSnapshot(
      { step: this.stepsDone, K: this.K, dIn: this.dIn, L: this.L, l1: this.l1, Wenc: this.Wenc, benc: this.benc, Wdec: this.Wdec, bdec: this.bdec },
      { dead: this.deadMask(), stats: this.lastStats, resampled: this.resampledCount, source: this.source, cosines: this.cosines() },
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.kernel?.release();
  }
}


/**
 * The faster engine for an SAE of this shape: the fused one at every size measured (bench/sae.ts,
 * Node and Chromium, wasm SIMD kernel): ≈ 15–16× TF.js-wasm on the toy SAE (d = 2, L = 5, K = 8),
 * ≈ 13× on the sweep's d = 32, L = 128, K = 6 and ≈ 17–20× at the paper's d = 256, L = 512 (README).
 * TF.js stays available (--sae-engine tfjs, ?saeEngine=tfjs) as the reference implementation.
 */
export function preferredSaeEngine(_shape: { dIn: number; dictSize: number }): SaeEngineName {
  return 'fused';
}

