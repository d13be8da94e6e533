// The toy models as TF.js graphs over K instances at once (layout [K][batch][n]).
// Each returns the per-instance loss: mean over batch and features of I_i (target_i − x'_i)².

import * as tf from '@tensorflow/tfjs';
import type { ModelKind } from './config';

export interface ModelTensors {
  /** [K, m, n] */
  W: tf.Tensor3D;
  /** [K, 1, n] */
  b: tf.Tensor3D;
  /** relu-hidden only: [K, n, m] */
  W2: tf.Tensor3D | null;
}

/** x' for a batch x of shape [K, B, n]. */
export function forward(model: ModelKind, p: ModelTensors, x: tf.Tensor3D): tf.Tensor3D {
  if (model === 'relu-hidden') {
    if (!p.W2) throw new Error('relu-hidden needs W2');
    const h = tf.relu(tf.matMul(x, p.W, false, true)); // [K, B, m]
    return tf.relu(tf.add(tf.matMul(h, p.W2, false, true), p.b)); // [K, B, n]
  }
  if (model === 'relu-hidden-tied') {
    // privileged basis (science.md §1.3): h = ReLU(W x), x' = ReLU(Wᵀ h + b), storage task
    const h = tf.relu(tf.matMul(x, p.W, false, true)); // [K, B, m]
    return tf.relu(tf.add(tf.matMul(h, p.W), p.b)) as tf.Tensor3D; // [K, B, n]
  }
  const h = tf.matMul(x, p.W, false, true); // [K, B, m]
  const z = tf.add(tf.matMul(h, p.W), p.b) as tf.Tensor3D; // [K, B, n]
  return model === 'relu-output' ? tf.relu(z) : z;
}

/** Per-instance loss [K]; `importance` is [K, 1, n]. The target is |x| (= x for the non-negative storage data). */
export function perInstanceLoss(model: ModelKind, p: ModelTensors, x: tf.Tensor3D, importance: tf.Tensor3D): tf.Tensor1D {
  const target = model === 'relu-hidden' ? tf.abs(x) : x;
  const err = tf.mul(importance, tf.squaredDifference(target, forward(model, p, x)));
  return tf.mean(err, [1, 2]) as tf.Tensor1D;
}
