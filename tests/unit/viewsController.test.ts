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
