// Sparse autoencoders on activations (science.md §6), K instances side by side in TF.js:
//   z = ReLU(W_enc (h − b_dec) + b_enc),  ĥ = W_dec z + b_dec,  W_dec columns unit-norm,
//   loss = mean_batch( mean_d (ĥ − h)² + λ Σ_l z_l ),  Adam, dead-latent resampling.

import * as tf from '@tensorflow/tfjs';
import type { ActivationSource } from './activations';
import { adamwUpdate, createSlots, disposeSlots, type AdamSlot } from '../shared/tfAdam';
import type { Rng } from '../shared/rng';
import { instanceL1, type SaeConfig } from './config';
import {
  buildSaeSnapshot, deadMask, initialSaeParams, instanceCosines, instanceStats, resampleDue, resampleLatents, SAE_ACTIVE,
  type SaeEngine, type SaeGradients, type SaeInstanceStats, type SaeSnapshot, type SaeStepOptions,
} from './core';

export type { SaeInstanceStats, SaeSnapshot } from './core';

export class SaeTrainer implements SaeEngine {
  readonly engine = 'tfjs' as const;
  stepsDone = 0;
  readonly dIn: number;
  readonly L: number;
  private readonly K: number;
  private readonly rng: Rng;
  private readonly hBuf: Float32Array;
  private readonly l1: tf.Tensor3D;
  private readonly vars: { Wenc: tf.Variable; benc: tf.Variable; Wdec: tf.Variable; bdec: tf.Variable };
  private readonly slots: AdamSlot[];
  /** running sums over the current step(k) call: [loss, reconstruction, l0] × K */
  private readonly sums: tf.Variable;
  /** step at which each latent last fired, [K][L] */
  private readonly lastActive: tf.Variable;
  private lastStats: SaeInstanceStats[];
  private readonly resampledCount: number[];
  private disposed = false;

  constructor(readonly config: SaeConfig, readonly source: ActivationSource) {
    const K = (this.K = config.saeInstances);
    const L = (this.L = config.dictSize);
    const d = (this.dIn = source.dIn);
    const { Wenc, Wdec, rng } = initialSaeParams(config, d);
    this.rng = rng;
    this.hBuf = new Float32Array(config.saeBatch * d);
    const variable = (make: () => tf.Tensor) => tf.tidy(() => tf.variable(make(), true));
    this.vars = {
      Wenc: variable(() => tf.tensor3d(Wenc, [K, L, d])),
      benc: variable(() => tf.zeros([K, 1, L])),
      Wdec: variable(() => tf.tensor3d(Wdec, [K, d, L])),
      bdec: variable(() => tf.zeros([K, 1, d])),
    };
    this.slots = createSlots(Object.values(this.vars));
    this.l1 = tf.tensor3d(instanceL1(config), [K, 1, 1]);
    this.sums = tf.tidy(() => tf.variable(tf.zeros([3, K]), false));
    this.lastActive = tf.tidy(() => tf.variable(tf.zeros([K, L]), false));
    this.lastStats = Array.from({ length: K }, () => ({ loss: NaN, reconstruction: NaN, l0: NaN, deadFraction: 0, mmcs: NaN }));
    this.resampledCount = Array(K).fill(0);
  }

  /** Run k steps; returns each instance's mean loss, reconstruction, L0, dead fraction and MMCS. */
  step(k: number, opts: SaeStepOptions = {}): SaeInstanceStats[] {
    if (this.disposed) throw new Error('SAE trainer was disposed');
    if (!Number.isInteger(k) || k < 1) throw new Error(`step count must be a positive integer; got ${k}`);
    for (let s = 0; s < k; s++) {
      this.oneStep();
      if (resampleDue(this.config, this.stepsDone)) this.resampleDead();
    }
    const sums = tf.tidy(() => {
      const mean = tf.div(this.sums, k).arraySync() as number[][];
      this.sums.assign(tf.zerosLike(this.sums));
      return mean;
    });
    const dead = this.deadMask();
    this.lastStats = instanceStats({ loss: sums[0], reconstruction: sums[1], l0: sums[2] }, dead, opts.mmcs === false ? null : this.cosines(), this.L, this.source.numTrue);
    return this.lastStats.map((s) => ({ ...s }));
  }

  /** Forward pass on h [B, d] broadcast to every instance; call inside a tidy. */
  private forward(h: tf.Tensor2D) {
    const { Wenc, benc, Wdec, bdec } = this.vars;
    const x = tf.broadcastTo(h, [this.K, h.shape[0], this.dIn]) as tf.Tensor3D;
    const z = tf.relu(tf.add(tf.matMul(tf.sub(x, bdec), Wenc as tf.Tensor3D, false, true), benc)) as tf.Tensor3D; // [K,B,L]
    const hHat = tf.add(tf.matMul(z, Wdec as tf.Tensor3D, false, true), bdec) as tf.Tensor3D; // [K,B,d]
    const reconstruction = tf.mean(tf.squaredDifference(hHat, x), 2); // [K,B]
    const sparsity = tf.sum(z, 2); // z ≥ 0, so Σ|z| = Σz
    return { z, reconstruction, sparsity };
  }

  private oneStep(): void {
    const { saeBatch: B, saeLr } = this.config;
    this.source.sample(B, this.hBuf);
    const t = ++this.stepsDone;
    tf.tidy(() => {
      const h = tf.tensor2d(this.hBuf, [B, this.dIn]);
      let kept: tf.Tensor[] = [];
      const { grads } = tf.variableGrads(() => {
        const { z, reconstruction, sparsity } = this.forward(h);
        const perExample = tf.add(reconstruction, tf.mul(tf.squeeze(this.l1, [2]), sparsity)); // [K,B]
        const loss = tf.mean(perExample, 1); // [K]
        kept = [loss, tf.mean(reconstruction, 1), tf.mean(tf.sum(tf.cast(tf.greater(z, SAE_ACTIVE), 'float32'), 2), 1), tf.max(z, 1)].map((x) => tf.keep(x));
        return tf.sum(loss) as tf.Scalar;
      }, Object.values(this.vars));
      const [loss, rec, l0, maxZ] = kept;
      this.sums.assign(tf.add(this.sums, tf.stack([loss, rec, l0])));
      this.lastActive.assign(tf.where(tf.greater(maxZ, SAE_ACTIVE), tf.fill(this.lastActive.shape, t), this.lastActive));
      tf.dispose(kept);
      adamwUpdate(this.slots, grads, t, saeLr, 0);
      // keep decoder columns at unit norm (else the model shrinks z and grows W_dec to dodge the L1 penalty)
      const Wdec = this.vars.Wdec;
      Wdec.assign(tf.div(Wdec, tf.add(tf.norm(Wdec, 'euclidean', 1, true), 1e-8)));
    });
  }

  /** Per-instance loss on activations h ([B][dIn]) and the gradients of its sum (for tests). */
  gradientsOn(h: Float32Array): SaeGradients {
    const B = h.length / this.dIn;
    let out: SaeGradients | null = null;
    tf.tidy(() => {
      let loss: tf.Tensor | null = null;
      const { grads } = tf.variableGrads(() => {
        const { reconstruction, sparsity } = this.forward(tf.tensor2d(h, [B, this.dIn]));
        loss = tf.keep(tf.mean(tf.add(reconstruction, tf.mul(tf.squeeze(this.l1, [2]), sparsity)), 1));
        return tf.sum(loss) as tf.Scalar;
      }, Object.values(this.vars));
      const read = (v: tf.Variable) => (grads[v.name].dataSync() as Float32Array).slice();
      out = { loss: (loss!.dataSync() as Float32Array).slice(), Wenc: read(this.vars.Wenc), benc: read(this.vars.benc), Wdec: read(this.vars.Wdec), bdec: read(this.vars.bdec) };
      tf.dispose(loss!);
    });
    return out!;
  }

  /** 1 where a latent has not fired for deadWindow steps. */
  private deadMask(): Uint8Array {
    return deadMask(this.lastActive.dataSync(), this.stepsDone, this.config.deadWindow);
  }

  /**
   * Re-initialise dead latents from inputs the SAE reconstructs badly (Towards Monosemanticity / ARENA):
   * pick inputs with probability ∝ loss², point the decoder column at (h − b_dec), give the encoder row
   * that direction scaled to resampleScale × the mean alive encoder norm, zero its bias and Adam state.
   */
  private resampleDead(): void {
    const dead = this.deadMask();
    if (!dead.some((x) => x)) return;
    const { K, L, dIn: d } = this;
    const B = this.config.saeBatch;
    this.source.sample(B, this.hBuf);
    const perExample = tf.tidy(() => this.forward(tf.tensor2d(this.hBuf, [B, d])).reconstruction.arraySync() as number[][]);
    const read = (v: tf.Variable) => (v.dataSync() as Float32Array).slice();
    const Wenc = read(this.vars.Wenc), benc = read(this.vars.benc), Wdec = read(this.vars.Wdec), bdec = read(this.vars.bdec);
    const moments = this.slots.map((m) => ({ m: read(m.m), v: read(m.v) }));
    const [encSlot, bencSlot, decSlot] = moments;
    const last = read(this.lastActive);
    const counts = resampleLatents(
      { Wenc, benc, Wdec, bdec, encM: encSlot.m, encV: encSlot.v, bencM: bencSlot.m, bencV: bencSlot.v, decM: decSlot.m, decV: decSlot.v, last },
      dead, this.hBuf, perExample, { K, L, d, B }, this.config.resampleScale, this.stepsDone, this.rng,
    );
    counts.forEach((c, k) => (this.resampledCount[k] += c));
    tf.tidy(() => {
      this.vars.Wenc.assign(tf.tensor3d(Wenc, [K, L, d]));
      this.vars.benc.assign(tf.tensor3d(benc, [K, 1, L]));
      this.vars.Wdec.assign(tf.tensor3d(Wdec, [K, d, L]));
      this.slots.forEach((s, i) => {
        s.m.assign(tf.tensor(moments[i].m, s.m.shape));
        s.v.assign(tf.tensor(moments[i].v, s.v.shape));
      });
      this.lastActive.assign(tf.tensor2d(last, [K, L]));
    });
  }

  private cosines(): Float32Array[] {
    return instanceCosines(this.vars.Wdec.dataSync() as Float32Array, this.K, this.dIn, this.L, this.source);
  }

  snapshot(): SaeSnapshot {
    if (this.disposed) throw new Error('SAE trainer was disposed');
    const read = (v: tf.Variable) => v.dataSync() as Float32Array;
    return buildSaeSnapshot(
      { step: this.stepsDone, K: this.K, dIn: this.dIn, L: this.L, l1: instanceL1(this.config), Wenc: read(this.vars.Wenc), benc: read(this.vars.benc), Wdec: read(this.vars.Wdec), bdec: read(this.vars.bdec) },
      { dead: this.deadMask(), stats: this.lastStats, resampled: this.resampledCount, source: this.source },
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([this.l1, this.sums, this.lastActive]);
    disposeSlots(this.slots);
  }
}
