// The A/B compare controller with a fake worker: pinning the lab's finished run as A trains nothing; a bad B value
// gets the toy validator's message; a valid one trains B with A's seed in the compare worker; the verdict comes
// from the two final snapshots; a link with the same A retrains only B, another A trains A then B; a crash restarts
// the side in training under the same run id.

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWorker } from './fakeWorker';
import { config } from './helpers';

type Msg = { type: string; [k: string]: unknown };
type Configure = Msg & { runId: number; config: { sparsity: number; seed: number; steps: number } };

const polar = (deg: number, r = 1) => [r * Math.cos((deg * Math.PI) / 180), r * Math.sin((deg * Math.PI) / 180)];
/** W (2×5 row-major) from feature columns. */
const W = (cols: number[][]) => Float32Array.from([...cols.map((c) => c[0]), ...cols.map((c) => c[1])]);
const PENTAGON = W([0, 72, 144, 216, 288].map((a) => polar(a)));
const PAIRS = W([polar(0), polar(90), polar(180), polar(270), polar(40, 0.05)]);

function snapshot(runId: number, w: Float32Array, step: number, steps: number, loss: number, geometry: string) {
  return {
    type: 'snapshot', runId, step, model: 'relu-output', K: 1, n: 5, m: 2, W: w, b: new Float32Array(5), W2: null, losses: Float32Array.of(loss),
    finalLosses: step >= steps ? Float32Array.of(loss) : null, lossCurve: { steps: Float64Array.of(step), losses: Float32Array.of(loss) },
    metrics: { geometry: [geometry] },
  };
}

describe('compare controller', () => {
  beforeAll(() => vi.stubGlobal('Worker', FakeWorker));
  afterAll(() => vi.unstubAllGlobals());
  beforeEach(() => FakeWorker.reset());

  it('pins A from the lab, trains B with its seed, compares, restores links and survives a crash', async () => {
    vi.useFakeTimers();
    const { createCompareController } = await import('../../src/state/compareController');
    const { useCompare } = await import('../../src/state/compareStore');
    const { useLab } = await import('../../src/state/labStore');
    const { LossHistory } = await import('../../src/state/lossHistory');
    const a = config({ steps: 1000 });
    const history = new LossHistory(1);
    history.append(500, [0.01]);
    history.append(1000, [0.002]);
    const c = createCompareController();

    // nothing finished in the lab yet
    expect(c.pinFromLab()).toMatch(/Train the lab's run to the end first/);
    useLab.setState({ runConfig: a, snapshot: snapshot(1, PENTAGON, 1000, 1000, 0.002, 'pentagon') as never, history, run: { done: true, engine: 'fused' } as never });
    expect(c.pinFromLab()).toBeNull();
    expect(useLab.getState().view).toBe('compare');
    let s = useCompare.getState();
    expect(s.pair).toEqual({ a, b: a, instance: 0 });
    expect(s.a).toMatchObject({ source: 'lab', done: true, curve: [[500, 0.01], [1000, 0.002]] });
    expect(FakeWorker.spawned).toHaveLength(0); // B = A: nothing to train

    expect(c.editB('sparsity', '1.5')).toEqual(['sparsity must be a number at least 0 and below 1; got "1.5"']);
    expect(c.editB('sparsity', '0.9')).toEqual([]);
    vi.advanceTimersByTime(300);
    const w = FakeWorker.last;
    const b1 = w.sent<Configure>('configure')[0];
    expect(b1.config).toMatchObject({ sparsity: 0.9, seed: a.seed, steps: 1000 });
    expect(useCompare.getState().training).toBe('b');
    w.reply(snapshot(b1.runId, PAIRS, 500, 1000, 0.01, 'not yet settled'));
    expect(useCompare.getState().comparison).toBeNull(); // B is still training
    w.reply(snapshot(b1.runId, PAIRS, 1000, 1000, 0.0024, '2 antipodal pairs'));
    s = useCompare.getState();
    expect(s.training).toBeNull();
    expect(s.b?.curve).toEqual([[500, 0.01], [1000, 0.0024]].map(([x, y]) => [x, Math.fround(y)]));
    expect(s.comparison?.verdict).toBe('features 1–4 went from a pentagon to antipodal pairs; feature 5 left the pentagon and got dropped; loss 20% higher');

    // a link with the same A: only B trains again
    c.restore({ a, b: { ...a, sparsity: 0.8 }, instance: 0 });
    const b2 = w.sent<Configure>('configure')[1];
    expect(b2.config.sparsity).toBe(0.8);
    expect(useCompare.getState().a?.source).toBe('lab');

    // another A: A trains first, then B
    const a2 = config({ steps: 1000, seed: 5 });
    c.restore({ a: a2, b: { ...a2, sparsity: 0.8 }, instance: 0 });
    const [, , a3] = w.sent<Configure>('configure');
    expect(a3.config).toMatchObject({ seed: 5, sparsity: 0.95 });
    expect(useCompare.getState().training).toBe('a');

    // a crash while A trains: a new worker, the same run again
    w.throw('boom');
    expect(useCompare.getState().notice).toMatch(/the compare worker threw: boom.*A trains again/);
    const again = FakeWorker.last.sent<Configure>('configure')[0];
    expect(again.runId).toBe(a3.runId);
    FakeWorker.last.reply(snapshot(a3.runId, PENTAGON, 1000, 1000, 0.002, 'pentagon'));
    const b3 = FakeWorker.last.sent<Configure>('configure')[1];
    expect(b3.config).toMatchObject({ seed: 5, sparsity: 0.8 });
    expect(useCompare.getState()).toMatchObject({ training: 'b', a: { source: 'trained', done: true } });

    c.clear();
    expect(useCompare.getState().pair).toBeNull();
    c.dispose();
    vi.useRealTimers();
  });
});
