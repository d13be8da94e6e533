import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { createTrainer } from '../../src/engine/index';
import { trainToEnd } from '../../src/engine/toy/runner';
import { TfjsTrainer } from '../../src/engine/toy/tfjsTrainer';
import { config } from './helpers';

beforeAll(async () => {
  await initBackend(['wasm']);
});

describe('TF.js trainer', () => {
  it('leaks no tensors: flat across 1000 steps and back to the start after dispose', () => {
    for (const model of ['relu-output', 'linear', 'relu-hidden', 'relu-hidden-tied'] as const) {
      const before = tf.memory().numTensors;
      const t = new TfjsTrainer(config({ model, n: 6, m: 3, instances: 2, batch: 64 }));
      t.step(1);
      const afterFirst = tf.memory().numTensors;
      for (let i = 0; i < 10; i++) t.step(100);
      t.snapshot();
      t.gradientsOn(new Float32Array(2 * 8 * 6));
      expect(tf.memory().numTensors).toBe(afterFirst);
      t.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('is deterministic: same config and seed → identical snapshot; another seed → different', () => {
    const run = (seed: number) => {
      const t = new TfjsTrainer(config({ n: 5, m: 2, instances: 3, sparsityRange: '0:0.9', batch: 128, seed }));
      t.step(50);
      const s = t.snapshot();
      t.dispose();
      return s;
    };
    const a = run(11), b = run(11), c = run(12);
    expect(a.W).toEqual(b.W);
    expect(a.b).toEqual(b.b);
    expect(a.losses).toEqual(b.losses);
    expect(a.W).not.toEqual(c.W);
  });

  it('reports shapes and per-instance losses in the snapshot', () => {
    const t = new TfjsTrainer(config({ model: 'relu-hidden', n: 6, m: 4, instances: 3, batch: 32 }));
    const losses = t.step(5);
    const s = t.snapshot();
    expect([s.K, s.n, s.m, s.step]).toEqual([3, 6, 4, 5]);
    expect(s.W.length).toBe(3 * 4 * 6);
    expect(s.W2!.length).toBe(3 * 6 * 4);
    expect(s.b.length).toBe(18);
    expect(Array.from(s.losses)).toEqual(Array.from(losses));
    t.dispose();
  });

  it('relu-hidden-tied: no W2 on either engine, and createTrainer("auto") picks the fused trainer (it covers the tied model)', () => {
    const c = config({ model: 'relu-hidden-tied', n: 10, m: 5, instances: 7, sparsityRange: '0.25:0.99', batch: 64 });
    for (const [choice, engine] of [['auto', 'fused'], ['tfjs', 'tfjs']] as const) {
      const t = createTrainer(c, choice);
      expect(t.engine).toBe(engine);
      t.step(3);
      const s = t.snapshot();
      expect(s.W.length).toBe(7 * 5 * 10);
      expect(s.W2 ?? null).toBeNull();
      t.dispose();
    }
  });

  it('refuses bad step counts and use after dispose', () => {
    const t = new TfjsTrainer(config({ batch: 8 }));
    expect(() => t.step(0)).toThrow(/positive integer/);
    t.dispose();
    expect(() => t.step(1)).toThrow(/disposed/);
  });
});

describe('trainToEnd', () => {
  it('keeps a loss curve and averages the final loss over the last 1% of steps', () => {
    const trainer = createTrainer(config({ steps: 1000, batch: 64, instances: 2 }), 'tfjs');
    const out = trainToEnd(trainer, { curvePoints: 10 });
    expect(trainer.stepsDone).toBe(1000);
    expect(out.lossCurve.map((r) => r[0])).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(out.lossCurve.every((r) => r.length === 3)).toBe(true);
    expect(Array.from(out.finalLosses)).toEqual(out.lossCurve.at(-1)!.slice(1).map(Math.fround));
    expect(out.lossCurve.at(-1)![1]).toBeLessThan(out.lossCurve[0][1]);
    trainer.dispose();
  });
});
