// The induction worker's logic in Node (no Worker): it trains in chunks, evaluates every evalEvery
// steps exactly as runInduction does (the same curve and formedAtStep for the same seed), posts the
// patterns of the sequence the page looks at, zeroes the heads it is asked to and exports the record.

import { describe, expect, it } from 'vitest';
import { createTransformerTrainer, inductionShape, runInduction, validateInductionConfig, type InductionConfig } from '../../src/engine/transformer/index';
import type { FromInductionWorker, InductionSnapshotMessage } from '../../src/worker/inductionProtocol';
import { InductionSession } from '../../src/worker/inductionSession';

const cfg = (over: Partial<InductionConfig>): InductionConfig => {
  const r = validateInductionConfig(over);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};

function harness() {
  const messages: FromInductionWorker[] = [];
  const queue: (() => void)[] = [];
  const session = new InductionSession({
    createTrainer: (c) => createTransformerTrainer(inductionShape(c), { seed: c.seed, lr: c.lr, weightDecay: c.weightDecay }, c.engine),
    post: (m) => messages.push(m),
    now: () => performance.now(),
    yieldThen: (fn) => queue.push(fn),
  });
  const drain = (until: () => boolean, max = 1_000_000) => {
    for (let i = 0; i < max && queue.length && !until(); i++) queue.shift()!();
  };
  const snaps = () => messages.filter((m): m is InductionSnapshotMessage => m.type === 'snapshot');
  const status = () => messages.filter((m) => m.type === 'status').at(-1) as Extract<FromInductionWorker, { type: 'status' }> | undefined;
  return { session, messages, drain, snaps, status };
}

describe('induction worker session', () => {
  it('evaluates as runInduction does, posts every curve point once, and the record when done', () => {
    const c = cfg({ steps: 300, evalEvery: 50, seed: 3 });
    const { session, messages, drain, snaps, status } = harness();
    session.configure(1, c, true, { sequence: 2, ablate: [] });
    drain(() => !!status()?.done);
    const curve = snaps().flatMap((s) => s.curve);
    const reference = runInduction(c, (shape, opts) => createTransformerTrainer(shape, opts, 'fused'));
    expect(curve).toEqual(reference.curve);
    expect(snaps().flatMap((s) => s.headCurve).map((p) => p[0])).toEqual(reference.curve.map((p) => p[0]));
    const last = snaps().at(-1)!;
    expect(last).toMatchObject({ step: 300, layers: 2, heads: 2, T: 31, L: 15, sequence: 2, ablation: null });
    expect(last.patterns).toHaveLength(2 * 2 * 31 * 31);
    expect(last.tokens[0]).toBe(64);
    expect(Array.from(last.tokens.slice(1, 16))).toEqual(Array.from(last.tokens.slice(16, 31)));
    expect(last.composition).toHaveLength(1);
    expect(last.composition[0].k).toHaveLength(2);
    const record = messages.find((m) => m.type === 'record');
    expect(record).toMatchObject({ runId: 1, record: { kind: 'induction', version: 1, formedAtStep: reference.formedAtStep, curve: reference.curve } });
    expect(status()).toMatchObject({ done: true, playing: false, engine: 'fused', step: 300 });
  });

  it('zeroes the heads it is asked to and answers a change of focus at once, even when done', () => {
    const c = cfg({ steps: 100, evalEvery: 50 });
    const { session, drain, snaps, status } = harness();
    session.configure(1, c, true, { sequence: 0, ablate: [] });
    drain(() => !!status()?.done);
    const n = snaps().length;
    session.setFocus({ sequence: 5, ablate: [[1, 0], [1, 1], [7, 0]] });
    const s = snaps().at(-1)!;
    expect(snaps().length).toBe(n + 1);
    expect(s.sequence).toBe(5);
    expect(s.ablation!.heads).toEqual([[1, 0], [1, 1]]);
    expect(s.ablation!.lossByPosition).toHaveLength(30);
    expect(s.ablation!.secondCopyLoss).not.toBe(s.secondCopyLoss);
  });
});
