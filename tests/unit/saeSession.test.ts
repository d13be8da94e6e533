// The SAE worker's logic in Node (no Worker): base model first, then SAE snapshots with curves and
// histograms; a settings change reuses the trained base; the sweep fills its grid.

import { describe, expect, it } from 'vitest';
import { createTrainer } from '../../src/engine/index';
import { validateSaeConfig, type SaeConfig } from '../../src/engine/sae/config';
import { createSaeTrainer } from '../../src/engine/sae/engine';
import { HIST_BINS, type FromSaeWorker, type SaeSnapshotMessage, type SweepMessage } from '../../src/worker/saeProtocol';
import { SaeSession } from '../../src/worker/saeSession';
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
});
