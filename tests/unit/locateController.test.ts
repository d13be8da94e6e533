// The "Locate & edit" controller with a fake worker: it asks for the shipped model by a base-relative URL, traces
// the fact the settings pick (again when the fact changes, after undoing an edit), keeps only the latest result of
// each task, edits at the trace's peak unless a layer is set, names a layer the model lacks, and after a crash
// forgets every result and traces again in the new worker.

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWorker } from './fakeWorker';

type Msg = { type: string; [k: string]: unknown };

const grid = (v: number) => Array.from({ length: 5 }, () => [v, v, v, v]);
const traceOf = (factId: number, mlpPeakLayer: number) => {
  const mlp = grid(0.1);
  mlp[2][mlpPeakLayer] = 0.9;
  return { factId, tokens: [127, 0, 16, 32, 33], labels: ['BOS', 'A0*', 'B0*', 'lives', 'in'], subjectFirst: 1, subjectLast: 2, target: 48, highScore: 1, lowScore: 0.1, hidden: grid(0.2), mlp, attn: grid(0.3), identities: {} };
};

describe('locate controller', () => {
  beforeAll(() => {
    vi.stubGlobal('Worker', FakeWorker);
    vi.stubGlobal('document', { baseURI: 'https://example.org/lab/sub/' });
  });
  afterAll(() => vi.unstubAllGlobals());
  beforeEach(() => FakeWorker.reset());

  it('loads, traces, edits at the peak, undoes on a new fact, and starts over after a crash', async () => {
    const { createLocateController } = await import('../../src/state/locateController');
    const { useLocate } = await import('../../src/state/locateStore');
    const c = createLocateController();
    const w = FakeWorker.last;
    const configure = w.sent<Msg & { runId: number; spec: { source: string; modelUrl: string } }>('configure')[0];
    expect(configure.spec).toEqual({ source: 'shipped', seed: 1, modelUrl: 'https://example.org/lab/sub/rome-facts-model.json' });
    const runId = configure.runId;
    const model = { type: 'model', runId, source: 'shipped', seed: 1, layers: 4, dModel: 32, dMlp: 128, heads: 4, accuracy: { all: 1, rewrite: 1, paraphrase: 1 }, steps: 1000, trainSeconds: 1, engine: 'fused' };
    w.reply(model);
    expect(useLocate.getState().set?.facts).toHaveLength(384);
    const t1 = w.sent<Msg & { requestId: number; factId: number }>('trace')[0];
    expect(t1.factId).toBe(0);

    // a stale result is dropped; the latest is kept
    c.edit('relation', 2);
    const t2 = w.sent<Msg & { requestId: number; factId: number }>('trace')[1];
    expect(t2.factId).toBe(2);
    w.reply({ type: 'result', runId, requestId: t1.requestId, final: true, task: 'trace', factId: 0, trace: traceOf(0, 1), ms: 1, p: 0.9 });
    expect(useLocate.getState().trace).toBeNull();
    w.reply({ type: 'result', runId, requestId: t2.requestId, final: true, task: 'trace', factId: 2, trace: traceOf(2, 3), ms: 1, p: 0.9 });
    expect(useLocate.getState().trace?.factId).toBe(2);

    // edit at the peak (layer 3 at the last subject token), the default new object (the one after the true one)
    c.applyEdit();
    const fact = useLocate.getState().set!.facts[2];
    expect(w.sent('edit')[0]).toMatchObject({ factId: 2, layer: 3, newObject: (fact.object + 1) % 8 });
    // a set layer wins; a bad value is refused with its message
    expect(c.edit('layer', '1')).toEqual([]);
    expect(c.edit('layer', 'top')[0]).toMatch(/layer/);
    c.applyEdit();
    expect(w.sent('edit')[1]).toMatchObject({ layer: 1 });
    // a layer the link allows but the model lacks: a notice, and the peak
    c.restore({ ...useLocate.getState().settings, layer: '9' });
    expect(useLocate.getState().notice).toMatch(/rome\.layer = 9/);

    // a new fact: the edit is undone, the new fact traced
    c.edit('subject', 5);
    expect(w.sent('undo')).toHaveLength(1);
    expect(w.sent<Msg & { factId: number }>('trace').at(-1)!.factId).toBe(22);

    // a crash: a new worker, the same model spec; every result is forgotten and the fact traced again once loaded
    w.throw('boom');
    const w2 = FakeWorker.last;
    expect(w2).not.toBe(w);
    expect(w2.sent('configure')[0]).toMatchObject({ runId, spec: configure.spec });
    w2.reply({ type: 'status', runId, stage: 'loading', progress: null, step: 0, totalSteps: 0, playing: true, done: false, stepsPerSecond: 0, msPerStep: 3000, engine: '' });
    expect(useLocate.getState()).toMatchObject({ model: null, trace: null, edit: null });
    w2.reply(model);
    expect(w2.sent<Msg & { factId: number }>('trace')[0].factId).toBe(22);
    c.dispose();
  });
});
