// The general training path: TF.js autodiff + a hand-written AdamW (PyTorch's formula,
// decoupled weight decay), one tidy per step, batches generated in JS.

import * as tf from '@tensorflow/tfjs';
import type { LabConfig } from './config';
import { allocBatch, dataSpecFromConfig, sampleBatch, type DataSpec } from './data';
import { initialParams } from './init';
import { perInstanceLoss, type ModelTensors } from './models';
import { createRng, type Rng } from '../shared/rng';
import type { Snapshot } from './snapshot';
import { adamwUpdate, createSlots, disposeSlots, type AdamSlot } from '../shared/tfAdam';
import type { Trainer } from './trainer';

export class TfjsTrainer implements Trainer {
  readonly engine = 'tfjs' as const;
  stepsDone = 0;
  private readonly spec: DataSpec;
  private readonly dataRng: Rng;
  private readonly batchBuf: Float32Array;
  private readonly importance: tf.Tensor3D;
  private readonly params: ModelTensors & { W: tf.Variable<tf.Rank.R3>; b: tf.Variable<tf.Rank.R3>; W2: tf.Variable<tf.Rank.R3> | null };
  private readonly slots: AdamSlot[];
  private readonly lossSum: tf.Variable<tf.Rank.R1>;
  private lastLosses: Float32Array;
  private disposed = false;

  constructor(readonly config: LabConfig) {
    const { instances: K, n, m } = config;
    const root = createRng(config.seed);
    const init = initialParams(config, root.fork(1));
    this.dataRng = root.fork(2);
    this.spec = dataSpecFromConfig(config);
    this.batchBuf = allocBatch(this.spec);
    this.importance = tf.tensor3d(this.spec.importance, [K, 1, n]);
    // Variables outlive a tidy; the temporary tensors they were made from do not.
    const variable = (make: () => tf.Tensor, trainable: boolean) => tf.tidy(() => tf.variable(make(), trainable)) as tf.Variable<tf.Rank.R3>;
    const W = variable(() => tf.tensor3d(init.W, [K, m, n]), true);
    const b = variable(() => tf.tensor3d(init.b, [K, 1, n]), true);
    const W2 = init.W2 ? variable(() => tf.tensor3d(init.W2!, [K, n, m]), true) : null;
    this.params = { W, b, W2 };
    this.slots = createSlots([W, b, ...(W2 ? [W2] : [])]);
    this.lossSum = tf.tidy(() => tf.variable(tf.zeros([K]), false)) as tf.Variable<tf.Rank.R1>;
    this.lastLosses = new Float32Array(K).fill(NaN);
  }

  step(k: number): Float32Array {
    if (this.disposed) throw new Error('trainer was disposed');
    if (!Number.isInteger(k) || k < 1) throw new Error(`step count must be a positive integer; got ${k}`);
    for (let s = 0; s < k; s++) this.oneStep();
    this.lastLosses = tf.tidy(() => {
      const mean = tf.div(this.lossSum, k).dataSync() as Float32Array;
      this.lossSum.assign(tf.zerosLike(this.lossSum));
      return mean;
    });
    return this.lastLosses.slice();
  }

  private oneStep(): void {
    const { K, batch, n } = this.spec;
    sampleBatch(this.spec, this.dataRng, this.batchBuf);
    const t = ++this.stepsDone;
    const { lr, weightDecay } = this.config;
    tf.tidy(() => {
      const { perInstance, grads } = this.lossAndGrads(tf.tensor3d(this.batchBuf, [K, batch, n]));
      this.lossSum.assign(tf.add(this.lossSum, perInstance));
      perInstance.dispose(); // kept out of variableGrads' scope, so freed by hand
      adamwUpdate(this.slots, grads, t, lr, weightDecay);
    });
  }

  /** Per-instance losses on x and the gradients of their sum; call inside a tidy. */
  private lossAndGrads(x: tf.Tensor3D): { perInstance: tf.Tensor1D; grads: tf.NamedTensorMap } {
    let perInstance: tf.Tensor1D | null = null;
    const { grads } = tf.variableGrads(() => {
      perInstance = tf.keep(perInstanceLoss(this.config.model, this.params, x, this.importance));
      return tf.sum(perInstance);
    }, this.slots.map((s) => s.param));
    return { perInstance: perInstance!, grads };
  }

  /** Gradients of the summed loss on a given batch (for tests against finite differences and the fused trainer). */
  gradientsOn(batch: Float32Array): { loss: Float32Array; W: Float32Array; b: Float32Array; W2: Float32Array | null } {
    const { K, n } = this.spec;
    const B = batch.length / (K * n);
    let result: { loss: Float32Array; W: Float32Array; b: Float32Array; W2: Float32Array | null } | null = null;
    tf.tidy(() => {
      const { perInstance, grads } = this.lossAndGrads(tf.tensor3d(batch, [K, B, n]));
      const read = (v: tf.Variable | null) => (v ? (grads[v.name].dataSync() as Float32Array).slice() : null);
      result = { loss: (perInstance.dataSync() as Float32Array).slice(), W: read(this.params.W)!, b: read(this.params.b)!, W2: read(this.params.W2) };
      perInstance.dispose();
    });
    return result!;
  }

  snapshot(): Snapshot {
    if (this.disposed) throw new Error('trainer was disposed');
    const { instances: K, n, m, model } = this.config;
    return {
      step: this.stepsDone,
      model, K, n, m,
      W: (this.params.W.dataSync() as Float32Array).slice(),
      b: (this.params.b.dataSync() as Float32Array).slice(),
      W2: this.params.W2 ? (this.params.W2.dataSync() as Float32Array).slice() : null,
      losses: this.lastLosses.slice(),
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([this.importance, this.lossSum]);
    disposeSlots(this.slots);
  }
}
