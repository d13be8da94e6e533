// Sparse autoencoders on activations (science.md §6), K instances side by side in TF.js:
//   z = ReLU(W_enc (h − b_dec) + b_enc),  ĥ = W_dec z + b_dec,  W_dec columns unit-norm,
//   loss = mean_batch( mean_d (ĥ − h)² + λ Σ_l z_l ),  Adam, dead-latent resampling.

import * as tf from '@tensorflow/tfjs';
import type { ActivationSource } from './activations';
import { adamwUpdate, createSlots, disposeSlots, type AdamSlot } from './adamw';
import { createRng, type Rng } from './rng';
import { instanceL1, type SaeConfig } from './saeConfig';
import { bestMatches, latentFeatureCosines, mmcs } from './saeMetrics';

export interface SaeInstanceStats {
  loss: number;
  reconstruction: number;
  /** mean number of active latents per input */
  l0: number;
  deadFraction: number;
  mmcs: number;
}

export interface SaeSnapshot {
  step: number;
  K: number;
  dIn: number;
  L: number;
  l1: number[];
  /** [K][L][dIn] */
  Wenc: Float32Array;
  /** [K][L] */
  benc: Float32Array;
  /** [K][dIn][L], unit columns */
  Wdec: Float32Array;
  /** [K][dIn] */
  bdec: Float32Array;
  /** [K][L]: true when the latent has not fired for deadWindow steps */
  dead: Uint8Array;
  stats: SaeInstanceStats[];
  /** [K][L][G] |cos| between decoder columns and true directions */
  cosines: Float32Array;
  bestMatch: { feature: number; cosine: number }[][];
  /** number of resampled latents so far, per instance */
  resampled: number[];
}

const ACTIVE = 1e-8;

export class SaeTrainer {
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
    const root = createRng(config.saeSeed);
    const init = root.fork(11);
    this.rng = root.fork(12);
    this.hBuf = new Float32Array(config.saeBatch * d);
    // Kaiming-uniform encoder (bound √(6/dIn)); the decoder starts as the normalised transpose of its own draw
    const bound = Math.sqrt(6 / d);
    const uniform = (len: number) => Float32Array.from({ length: len }, () => (2 * init.next() - 1) * bound);
    const Wenc = uniform(K * L * d);
    const Wdec = normaliseColumns(uniform(K * d * L), K, d, L);
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
  step(k: number): SaeInstanceStats[] {
    if (this.disposed) throw new Error('SAE trainer was disposed');
    if (!Number.isInteger(k) || k < 1) throw new Error(`step count must be a positive integer; got ${k}`);
    for (let s = 0; s < k; s++) {
      this.oneStep();
      if (this.config.resample && this.stepsDone % this.config.resampleEvery === 0) this.resampleDead();
    }
    const sums = tf.tidy(() => {
      const mean = tf.div(this.sums, k).arraySync() as number[][];
      this.sums.assign(tf.zerosLike(this.sums));
      return mean;
    });
    const dead = this.deadMask();
    const cos = this.cosines();
    this.lastStats = Array.from({ length: this.K }, (_, i) => ({
      loss: sums[0][i],
      reconstruction: sums[1][i],
      l0: sums[2][i],
      deadFraction: dead.subarray(i * this.L, (i + 1) * this.L).reduce((a, b) => a + b, 0) / this.L,
      mmcs: mmcs(cos[i], this.L, this.source.numTrue, aliveOf(dead.subarray(i * this.L, (i + 1) * this.L))),
    }));
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
        kept = [loss, tf.mean(reconstruction, 1), tf.mean(tf.sum(tf.cast(tf.greater(z, ACTIVE), 'float32'), 2), 1), tf.max(z, 1)].map((x) => tf.keep(x));
        return tf.sum(loss) as tf.Scalar;
      }, Object.values(this.vars));
      const [loss, rec, l0, maxZ] = kept;
      this.sums.assign(tf.add(this.sums, tf.stack([loss, rec, l0])));
      this.lastActive.assign(tf.where(tf.greater(maxZ, ACTIVE), tf.fill(this.lastActive.shape, t), this.lastActive));
      tf.dispose(kept);
      adamwUpdate(this.slots, grads, t, saeLr, 0);
      // keep decoder columns at unit norm (else the model shrinks z and grows W_dec to dodge the L1 penalty)
      const Wdec = this.vars.Wdec;
      Wdec.assign(tf.div(Wdec, tf.add(tf.norm(Wdec, 'euclidean', 1, true), 1e-8)));
    });
  }

  /** Per-instance loss on activations h ([B][dIn]) and the gradients of its sum (for tests). */
  gradientsOn(h: Float32Array): { loss: Float32Array; Wenc: Float32Array; benc: Float32Array; Wdec: Float32Array; bdec: Float32Array } {
    const B = h.length / this.dIn;
    let out: ReturnType<SaeTrainer['gradientsOn']> | null = null;
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
    const last = this.lastActive.dataSync();
    const window = Math.min(this.config.deadWindow, this.stepsDone);
    return Uint8Array.from(last, (s) => (this.stepsDone - s >= window && window > 0 ? 1 : 0));
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
    const moments = this.slots.map((s) => ({ m: read(s.m), v: read(s.v) }));
    const [encSlot, bencSlot, decSlot] = moments;
    const last = read(this.lastActive);
    for (let k = 0; k < K; k++) {
      const deadHere = Array.from({ length: L }, (_, l) => l).filter((l) => dead[k * L + l]);
      if (!deadHere.length) continue;
      const weights = perExample[k].map((x) => x * x);
      const total = weights.reduce((a, b) => a + b, 0);
      let aliveNorm = 0, alive = 0;
      for (let l = 0; l < L; l++) {
        if (dead[k * L + l]) continue;
        let s = 0;
        for (let j = 0; j < d; j++) s += Wenc[(k * L + l) * d + j] ** 2;
        aliveNorm += Math.sqrt(s);
        alive++;
      }
      const encNorm = (alive ? aliveNorm / alive : 1) * this.config.resampleScale;
      for (const l of deadHere) {
        const r = total > 0 ? pickWeighted(weights, total, this.rng) : Math.floor(this.rng.next() * B);
        const v = Array.from({ length: d }, (_, j) => this.hBuf[r * d + j] - bdec[k * d + j]);
        const norm = Math.hypot(...v) || 1;
        for (let j = 0; j < d; j++) {
          const u = v[j] / norm;
          Wdec[(k * d + j) * L + l] = u;
          Wenc[(k * L + l) * d + j] = u * encNorm;
          encSlot.m[(k * L + l) * d + j] = encSlot.v[(k * L + l) * d + j] = 0;
          decSlot.m[(k * d + j) * L + l] = decSlot.v[(k * d + j) * L + l] = 0;
        }
        benc[k * L + l] = bencSlot.m[k * L + l] = bencSlot.v[k * L + l] = 0;
        last[k * L + l] = this.stepsDone; // a fresh window to prove itself
        this.resampledCount[k]++;
      }
    }
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
    const { K, L, dIn: d } = this;
    const Wdec = this.vars.Wdec.dataSync();
    return Array.from({ length: K }, (_, k) => latentFeatureCosines(Wdec.subarray(k * d * L, (k + 1) * d * L), d, L, this.source.trueDirections, this.source.numTrue));
  }

  snapshot(): SaeSnapshot {
    if (this.disposed) throw new Error('SAE trainer was disposed');
    const { K, L, dIn } = this;
    const G = this.source.numTrue;
    const cos = this.cosines();
    const flat = new Float32Array(K * L * G);
    cos.forEach((c, k) => flat.set(c, k * L * G));
    const read = (v: tf.Variable) => (v.dataSync() as Float32Array).slice();
    return {
      step: this.stepsDone, K, dIn, L,
      l1: instanceL1(this.config),
      Wenc: read(this.vars.Wenc), benc: read(this.vars.benc), Wdec: read(this.vars.Wdec), bdec: read(this.vars.bdec),
      dead: this.deadMask(),
      stats: this.lastStats.map((s) => ({ ...s })),
      cosines: flat,
      bestMatch: cos.map((c) => bestMatches(c, L, G)),
      resampled: [...this.resampledCount],
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([this.l1, this.sums, this.lastActive]);
    disposeSlots(this.slots);
  }
}

const aliveOf = (dead: Uint8Array) => Array.from(dead, (x) => !x);

function normaliseColumns(W: Float32Array, K: number, d: number, L: number): Float32Array {
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < L; l++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += W[(k * d + j) * L + l] ** 2;
      const norm = Math.sqrt(s) || 1;
      for (let j = 0; j < d; j++) W[(k * d + j) * L + l] /= norm;
    }
  }
  return W;
}

function pickWeighted(weights: number[], total: number, rng: Rng): number {
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}
