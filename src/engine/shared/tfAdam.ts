// AdamW on TF.js variables, PyTorch's formula (decoupled weight decay; wd = 0 gives Adam).

import * as tf from '@tensorflow/tfjs';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPS, adamStep } from './adam';

export interface AdamSlot {
  param: tf.Variable;
  m: tf.Variable;
  v: tf.Variable;
}

export function createSlots(params: readonly tf.Variable[]): AdamSlot[] {
  return params.map((param) => ({
    param,
    m: tf.tidy(() => tf.variable(tf.zerosLike(param), false)),
    v: tf.tidy(() => tf.variable(tf.zerosLike(param), false)),
  }));
}

/** One update of every slot at step t (1-based) from gradients keyed by variable name; call inside a tidy. */
export function adamwUpdate(slots: readonly AdamSlot[], grads: tf.NamedTensorMap, t: number, lr: number, weightDecay: number): void {
  const { stepSize, sqrtBc2 } = adamStep(t, lr);
  for (const slot of slots) {
    const g = grads[slot.param.name];
    slot.m.assign(tf.add(tf.mul(slot.m, ADAM_BETA1), tf.mul(g, 1 - ADAM_BETA1)));
    slot.v.assign(tf.add(tf.mul(slot.v, ADAM_BETA2), tf.mul(tf.square(g), 1 - ADAM_BETA2)));
    const denom = tf.add(tf.div(tf.sqrt(slot.v), sqrtBc2), ADAM_EPS);
    const decayed = weightDecay ? tf.mul(slot.param, 1 - lr * weightDecay) : slot.param;
    slot.param.assign(tf.sub(decayed, tf.mul(tf.div(slot.m, denom), stepSize)));
  }
}

export function disposeSlots(slots: readonly AdamSlot[]): void {
  tf.dispose(slots.flatMap((s) => [s.param, s.m, s.v]));
}
