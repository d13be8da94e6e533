// The paper's views in the page, with a fake worker and a fake clock: a view keeps training when its tab is left
// (nothing asks the worker to pause), the lab's run waits until no view needs the cores, and the view's timer
// counts training time only (the worker's paused spans are left out).

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWorker } from './fakeWorker';

type Msg = { type: string; [k: string]: unknown };

describe('views controller', () => {
  let now = 0;
  beforeAll(() => {
    vi.stubGlobal('Worker', FakeWorker);
    vi.spyOn(performance, 'now').mockImplementation(() => now);
  });
  afterAll(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
  beforeEach(() => FakeWorker.reset());

  it('keeps training when its tab is left; the timer counts training time only', async () => {
    const { getViewsController } = await import('../../src/state/viewsController');
    const { useViews, trainingSeconds, viewsNeedCore, whenViewsIdle } = await import('../../src/state/viewStore');
    const views = getViewsController();
    now = 1000;
    views.open('dynamics');
    const w = FakeWorker.last;
    const runId = w.sent<Msg & { runId: number }>('configure')[0].runId;
    const status = (step: number, playing: boolean, done = false) =>
      w.reply({ type: 'status', runId, step, totalSteps: 5000, playing, done, stepsPerSecond: 1000, msPerStep: 1, engine: 'fused', backend: 'wasm', backendFailures: [] });
    now = 2000;
    status(0, true); // the worker confirms the run: the pass's clock starts here

    // the tab is left: no pause goes to the worker, the lab's run is told to wait
    const pausesBefore = w.sent('pause').length;
    views.leave('dynamics');
    expect(w.sent('pause').length).toBe(pausesBefore);
    expect(viewsNeedCore(useViews.getState())).toBe(true);
    let labResumed = 0;
    whenViewsIdle(() => labResumed++);
    expect(labResumed).toBe(0);
    now = 4000;
    status(3000, true);
    expect(trainingSeconds(useViews.getState().sessions.dynamics, now)).toBeCloseTo(2, 6);

    // paused by the user for 10 s: not counted
    views.pause();
    expect(w.sent('pause').length).toBe(pausesBefore + 1);
    status(3000, false);
    expect(viewsNeedCore(useViews.getState())).toBe(false);
    expect(labResumed).toBe(1);
    now = 14_000;
    expect(trainingSeconds(useViews.getState().sessions.dynamics, now)).toBeCloseTo(2, 6);
    // coming back to the tab does not restart the pass
    views.open('dynamics');
    expect(w.sent('configure').length).toBe(1);
    views.play();
    status(3000, true);
    now = 16_000;
    expect(trainingSeconds(useViews.getState().sessions.dynamics, now)).toBeCloseTo(4, 6);
    now = 17_000;
    status(5000, false, true);
    const session = useViews.getState().sessions.dynamics;
    expect(session.runs[0].passes[0].status).toBe('done');
    expect(trainingSeconds(session, 99_000)).toBeCloseTo(5, 6);
  });
});

describe('views controller: the lab waits for a left view', () => {
  beforeAll(() => vi.stubGlobal('Worker', FakeWorker));
  afterAll(() => vi.unstubAllGlobals());

  it('resumes the lab only when every run of the view is done, not between runs', async () => {
    const { getViewsController } = await import('../../src/state/viewsController');
    const { useViews, whenViewsIdle } = await import('../../src/state/viewStore');
    const views = getViewsController();
    views.open('correlated');
    const w = FakeWorker.last;
    const reply = (runId: number, step: number, done: boolean) =>
      w.reply({ type: 'status', runId, step, totalSteps: 5000, playing: !done, done, stepsPerSecond: 1000, msPerStep: 1, engine: 'fused', backend: 'wasm', backendFailures: [] });
    const first = w.sent<Msg & { runId: number }>('configure').at(-1)!.runId;
    reply(first, 0, false);
    views.leave('correlated');
    let labResumed = 0;
    whenViewsIdle(() => labResumed++);
    reply(first, 5000, true);
    const second = w.sent<Msg & { runId: number }>('configure').at(-1)!.runId;
    expect(second).not.toBe(first);
    expect(labResumed).toBe(0);
    reply(second, 0, false);
    reply(second, 5000, true);
    expect(useViews.getState().current).toBeNull();
    expect(labResumed).toBe(1);
  });
});

describe('views controller: early stopping and the results cache', () => {
  beforeAll(() => vi.stubGlobal('Worker', FakeWorker));
  afterAll(() => vi.unstubAllGlobals());

  it('ends a pass once its analysis is stable; training the same seed again comes from the cache, with no worker run', async () => {
    const { getViewsController } = await import('../../src/state/viewsController');
    const { useViews } = await import('../../src/state/viewStore');
    const views = getViewsController();
    expect(views.restart('correlated', { seed: 5 })).toEqual([]);
    const w = FakeWorker.last;
    const K = 5;
    // correlated pairs orthogonal in every instance, a flat loss: stable from the second check on
    const W = Float32Array.from({ length: K * 8 }, (_, i) => [1, 0, 1, 0, 0, 1, 0, 1][i % 8]);
    const snapshot = (runId: number, step: number) =>
      w.reply({ type: 'snapshot', runId, step, model: 'relu-output', K, n: 4, m: 2, W, b: new Float32Array(K * 4), W2: null, losses: new Float32Array(K).fill(0.01), lossCurve: { steps: Float64Array.from([step]), losses: new Float32Array(K).fill(0.01) }, metrics: null, frames: null });
    const status = (runId: number, step: number, done: boolean) =>
      w.reply({ type: 'status', runId, step, totalSteps: 3000, playing: !done, done, stepsPerSecond: 1000, msPerStep: 1, engine: 'fused', backend: 'wasm', backendFailures: [] });
    const first = w.sent<Msg & { runId: number; config: { seed: number } }>('configure').at(-1)!;
    expect(first.config.seed).toBe(5);
    status(first.runId, 0, false);
    const pauses = w.sent('pause').length;
    for (const step of [250, 500, 750]) snapshot(first.runId, step);
    expect(useViews.getState().sessions.correlated.runs[0].passes[0].status).toBe('training');
    snapshot(first.runId, 1000); // the third stable check, past 30 % of 3000 steps
    const p0 = useViews.getState().sessions.correlated.runs[0].passes[0];
    expect(p0).toMatchObject({ status: 'done', step: 1000, stoppedEarly: 1000, cached: false, engine: 'fused' });
    expect(w.sent('pause').length).toBe(pauses + 1);
    // the second run (anticorrelated) trains to its end
    const second = w.sent<Msg & { runId: number }>('configure').at(-1)!.runId;
    expect(second).not.toBe(first.runId);
    status(second, 0, false);
    snapshot(second, 3000);
    status(second, 3000, true);
    expect(useViews.getState().current).toBeNull();
    const configures = w.sent('configure').length;

    // the same seed again: every pass from the cache, finished at once, no worker run
    expect(views.restart('correlated', { seed: 5 })).toEqual([]);
    const again = useViews.getState().sessions.correlated;
    expect(w.sent('configure').length).toBe(configures);
    expect(again.runs.map((r) => r.passes.map((p) => [p.status, p.cached, p.step]))).toEqual([[['done', true, 1000]], [['done', true, 3000]]]);
    expect(again.finishedAt).not.toBeNull();
    expect(Array.from(again.runs[0].passes[0].snapshot!.W)).toEqual(Array.from(W));
    expect(again.runs[0].history.length).toBeGreaterThan(0);
    // another seed trains
    views.restart('correlated', { seed: 6 });
    expect(w.sent('configure').length).toBe(configures + 1);
  });
});

describe('views controller: a pause as a pass ends', () => {
  beforeAll(() => vi.stubGlobal('Worker', FakeWorker));
  afterAll(() => vi.unstubAllGlobals());

  it('holds for the next pass: it starts paused instead of training on', async () => {
    const { getViewsController } = await import('../../src/state/viewsController');
    const { useViews } = await import('../../src/state/viewStore');
    const views = getViewsController();
    views.restart('correlated', { seed: 7 });
    const w = FakeWorker.last;
    const first = w.sent<Msg & { runId: number; play: boolean }>('configure').at(-1)!;
    expect(first.play).toBe(true);
    const status = (runId: number, step: number, playing: boolean, done: boolean) =>
      w.reply({ type: 'status', runId, step, totalSteps: 3000, playing, done, stepsPerSecond: 1000, msPerStep: 1, engine: 'fused', backend: 'wasm', backendFailures: [] });
    status(first.runId, 100, true, false);
    views.pause(); // the worker finishes the pass before the pause reaches it
    status(first.runId, 3000, true, true);
    const second = w.sent<Msg & { runId: number; play: boolean }>('configure').at(-1)!;
    expect(second.runId).not.toBe(first.runId);
    expect(second.play).toBe(false);
    status(second.runId, 0, false, false);
    expect(useViews.getState().sessions.correlated.runs[1].passes[0].status).toBe('paused');
    views.play();
    status(second.runId, 0, true, false);
    expect(useViews.getState().sessions.correlated.runs[1].passes[0].status).toBe('training');
  });
});
