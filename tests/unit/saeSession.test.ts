// The SAE worker's logic in Node (no Worker): base model first, then SAE snapshots with curves and
// histograms; a settings change reuses the trained base; the sweep fills its grid.

import { describe, expect, it } from 'vitest';
import { createTrainer } from '../../src/engine/index';
import { validateSaeConfig, type SaeConfig } from '../../src/engine/sae/config';
import { createSaeTrainer } from '../../src/engine/sae/engine';
import { HIST_BINS, type FromSaeWorker, type SaeSnapshotMessage, type SweepMessage } from '../../src/worker/saeProtocol';
import { kernelPathOf, SaeSession } from '../../src/worker/saeSession';
import type { SaeEngine } from '../../src/engine/sae/core';
import { saeKernelBuild, SAE_THREADS_FROM } from '../../src/engine/kernels/saeKernel';
import { setKernelThreads, useKernelHelpers } from '../../src/engine/kernels/kernelThreads';
import { spawnNodeKernelHelper } from '../../src/worker/nodeKernelHelpers';
import { createRng } from '../../src/engine/shared/rng';
import { SaeFusedTrainer } from '../../src/engine/sae/fused';
import { sharkeySource } from '../../src/engine/sae/activations';
import { config } from './helpers';

function harness() {
  const messages: FromSaeWorker[] = [];
  const queue: (() => void)[] = [];
  const session = new SaeSession({
    createToyTrainer: (c) => createTrainer(c, 'fused'),
    createSae: (c, s, e) => createSaeTrainer(c, s, e),
    post: (m) => messages.push(m),
    now: () => performance.now(),
    yieldThen: (fn) => queue.push(fn),
  });
  const drain = (until: () => boolean, max = 100_000) => {
    for (let i = 0; i < max && queue.length && !until(); i++) queue.shift()!();
  };
  return { session, messages, drain };
}

const sae = (over: Record<string, unknown>): SaeConfig => {
  const r = validateSaeConfig(over);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};

describe('SAE worker session', () => {
  const base = { kind: 'train' as const, config: config({ n: 5, m: 2, sparsity: 0.975, importanceDecay: 1, seed: 1, steps: 3000 }) };

  it('trains the base, then the SAEs, posting snapshots with curves and histograms until done', () => {
    const { session, messages, drain } = harness();
    session.configure(1, base, sae({ saeSteps: 1500, saeInstances: 3 }), true, 'auto');
    const status = () => messages.filter((m) => m.type === 'status').at(-1) as Extract<FromSaeWorker, { type: 'status' }> | undefined;
    expect(status()?.phase).toBe('base');
    drain(() => !!status()?.done);
    const baseMsgs = messages.filter((m) => m.type === 'base');
    expect(baseMsgs).toHaveLength(1);
    expect(baseMsgs[0]).toMatchObject({ runId: 1, n: 5, m: 2, G: 5, geometry: 'pentagon', density: expect.closeTo(0.025, 6) });
    const snaps = messages.filter((m): m is SaeSnapshotMessage => m.type === 'snapshot');
    expect(snaps.at(-1)!.step).toBe(1500);
    expect(snaps.map((s) => s.step)).toEqual([...snaps.map((s) => s.step)].sort((a, b) => a - b));
    const last = snaps.at(-1)!;
    expect(last).toMatchObject({ K: 3, L: 5, dIn: 2, G: 5 });
    expect(last.hist).toHaveLength(3 * 5 * HIST_BINS);
    expect(Array.from(last.fireRate).every((r) => r >= 0 && r <= 1)).toBe(true);
    const points = snaps.reduce((n, s) => n + s.curve.steps.length, 0);
    expect(points).toBe(375); // a point every ceil(1500 / 400) = 4 steps, none lost between snapshots
    expect(status()).toMatchObject({ phase: 'sae', done: true, playing: false, engine: 'fused' });
  });

  it('keeps the trained base when only the SAE settings change', () => {
    const { session, messages, drain } = harness();
    session.configure(1, base, sae({ saeSteps: 200, saeInstances: 2 }), true, 'auto');
    drain(() => messages.some((m) => m.type === 'base'));
    session.configure(2, base, sae({ saeSteps: 200, saeInstances: 2, l1: 0.5 }), false, 'auto');
    // the base of run 2 arrives at once, without training the toy model again
    expect(messages.filter((m) => m.type === 'base').map((m) => (m as { runId: number }).runId)).toEqual([1, 2]);
    expect(messages.filter((m) => m.type === 'status' && m.runId === 2).every((m) => (m as { phase: string }).phase === 'sae')).toBe(true);
  });

  it('runs the sweep, posting the grid as it fills', () => {
    const { session, messages, drain } = harness();
    const cfg = sae({ data: 'sharkey', sharkeyDim: 8, sharkeyFeatures: 8, sharkeyActive: 2, saeInstances: 2, saeSteps: 100, saeBatch: 64, resample: false, l1Range: '0.001:0.1' });
    session.startSweep(7, [0.5, 1], cfg, 'auto');
    const sweeps = () => messages.filter((m): m is SweepMessage => m.type === 'sweep');
    drain(() => !!sweeps().at(-1)?.done);
    const last = sweeps().at(-1)!;
    expect(last).toMatchObject({ sweepId: 7, ratios: [0.5, 1], dictSizes: [4, 8], done: true, stopped: false, engine: 'fused' });
    expect(Array.from(last.mmcs).every(Number.isFinite)).toBe(true);
    expect(sweeps()[0].mmcs.every(Number.isNaN)).toBe(true);
  });

  describe('reports the SAE kernel path in its status', () => {
    // a given base (no toy model to train): the SAE is built at configure, and the status says which kernel runs it
    const given = (n: number, m: number) => {
      const rng = createRng(3);
      return { kind: 'given' as const, config: config({ n, m, seed: 1 }), instance: 0, W: Float32Array.from({ length: m * n }, () => 2 * rng.next() - 1) };
    };
    const kernelOf = (messages: FromSaeWorker[]) => (messages.filter((m) => m.type === 'status').at(-1) as Extract<FromSaeWorker, { type: 'status' }>).kernel;
    const build = saeKernelBuild();

    it('one thread for the pentagon\'s small products, and without a helper spawner even for large ones', () => {
      const { session, messages, drain } = harness();
      session.configure(1, given(5, 2), sae({ saeSteps: 20, saeInstances: 2 }), true, 'fused');
      expect(kernelOf(messages)).toEqual({ build, threads: 1, reason: 'no helper worker here' });
      drain(() => kernelOf(messages) !== null && messages.some((m) => m.type === 'status' && m.done));
      expect(kernelOf(messages)).toEqual({ build, threads: 1, reason: 'no helper worker here' });
      // 1024 × 2 × 64 = 131072 multiply-adds: large enough to share, but nothing can start a helper here
      session.configure(2, given(5, 2), sae({ saeSteps: 20, saeInstances: 1, dictSize: 64 }), false, 'fused');
      expect(kernelOf(messages)).toMatchObject({ threads: 1, reason: 'no helper worker here' });
    });

    it('two threads once a spawner is registered and batch × d × L reaches SAE_THREADS_FROM; the TF.js engine has none', () => {
      useKernelHelpers(spawnNodeKernelHelper);
      try {
        const { session, messages, drain } = harness();
        expect(1024 * 2 * 64).toBeGreaterThanOrEqual(SAE_THREADS_FROM);
        session.configure(1, given(5, 2), sae({ saeSteps: 30, saeInstances: 1, dictSize: 64 }), true, 'fused');
        expect(kernelOf(messages)).toEqual({ build, threads: 2, reason: 'cross-origin isolated: a helper worker shares the work' });
        drain(() => messages.some((m) => m.type === 'status' && m.runId === 1 && m.done));
        expect(messages.filter((m): m is SaeSnapshotMessage => m.type === 'snapshot').at(-1)!.step).toBe(30);
        // below the threshold the same session reports one thread, and why
        session.configure(2, given(5, 2), sae({ saeSteps: 20, saeInstances: 1, dictSize: 5 }), false, 'fused');
        expect(kernelOf(messages)).toEqual({ build, threads: 1, reason: 'products too small to share' });
        // one thread asked for (the bench's comparison)
        setKernelThreads(1);
        session.configure(3, given(5, 2), sae({ saeSteps: 20, saeInstances: 1, dictSize: 64 }), false, 'fused');
        expect(kernelOf(messages)).toEqual({ build, threads: 1, reason: 'one thread asked for' });
        setKernelThreads(2);
        session.configure(4, given(5, 2), sae({ saeSteps: 20, saeInstances: 1 }), false, 'fused'); // the big kernel back in its pool
        // the TF.js engine runs no kernel; a fused trainer that went without its kernel runs the JavaScript pass
        const cfg = sae({ dictSize: 64 });
        expect(kernelPathOf({ engine: 'tfjs', dIn: 2, L: 64 } as SaeEngine, cfg)).toBeNull();
        const jsPass = new SaeFusedTrainer(cfg, sharkeySource(2, 4, 1, createRng(1)), { kernel: false });
        expect(kernelPathOf(jsPass, cfg)).toEqual({ build: null, threads: 1, reason: "too large for the kernel's memory: the JavaScript pass" });
        jsPass.dispose();
      } finally {
        setKernelThreads(2);
        useKernelHelpers(null);
      }
    });
  });
});
