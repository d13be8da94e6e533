// The two bugs behind the one-client refactor, with a fake Worker in place of the browser's:
//  (a) a paper view went on for good after its worker restarted (the run came back under a new id
//      that the views dropped);
//  (b) the SAE tab never noticed a worker that died silently (self.close(), an endless loop).

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWorker } from './fakeWorker';

type Sent = { type: string; runId: number; [k: string]: unknown };

const status = (runId: number, step: number) => ({
  type: 'status', runId, step, totalSteps: 5000, playing: true, done: false, stepsPerSecond: 1000, msPerStep: 0.5, backend: 'cpu', engine: 'fused', backendFailures: [],
});

describe('recovery of the views and the SAE', () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
    vi.stubGlobal('Worker', FakeWorker);
  });
  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  beforeEach(() => FakeWorker.reset());

  it('(a) a paper view keeps training after its worker crashes', async () => {
    const { getViewsController } = await import('../../src/state/viewsController');
    const { useViews } = await import('../../src/state/viewStore');
    const views = getViewsController();
    const pass = () => useViews.getState().sessions.dynamics.runs[0].passes[0];
    views.open('dynamics');
    const first = FakeWorker.last;
    const { runId } = first.sent<Sent>('configure')[0];
    first.reply(status(runId, 1200));
    expect(pass()).toMatchObject({ status: 'training', step: 1200 });

    first.throw('boom'); // also the way self.close() and a hang end, once the heartbeat notices
    expect(useViews.getState().health.state).toBe('restarting');
    const second = FakeWorker.last;
    expect(second).not.toBe(first);
    const again = second.sent<Sent>('configure')[0];
    expect(again.config).toEqual(first.sent<Sent>('configure')[0].config);
    second.reply(status(again.runId, 300));
    expect(pass()).toMatchObject({ status: 'training', step: 300 });
    expect(useViews.getState().health.state).toBe('running');
    views.dispose();
  });

  it('(b) the SAE notices a silent worker by its heartbeat and restarts it with the last settings', async () => {
    const { getSaeController } = await import('../../src/state/saeController');
    const { useSae } = await import('../../src/state/saeStore');
    const sae = getSaeController();
    const first = FakeWorker.last;
    const asked = first.sent<Sent>('configure')[0];
    first.reply({ ...status(asked.runId, 40), phase: 'base', baseEngine: 'fused' });
    expect(useSae.getState().status?.step).toBe(40);

    vi.advanceTimersByTime(3000);
    expect(FakeWorker.spawned).toHaveLength(1);
    first.alive = false; // self.close() or an endless loop: no error event, only silence
    vi.advanceTimersByTime(6000);
    expect(first.terminated).toBe(true);
    const second = FakeWorker.last;
    expect(second).not.toBe(first);
    const again = second.sent<Sent>('configure')[0];
    expect({ base: again.base, sae: again.sae, engine: again.engine, play: again.play }).toEqual({ base: asked.base, sae: asked.sae, engine: asked.engine, play: asked.play });
    expect(useSae.getState().notice).toContain('stopped answering');
    second.reply({ ...status(again.runId, 7), phase: 'base', baseEngine: 'fused' });
    expect(useSae.getState().status?.step).toBe(7);
    sae.dispose();
  });

  // issue 16 item 9: after the client gives up, the page must not say it is playing, and "Restart
  // the worker" must clear the notice that says it was not restarted
  it('(c) the lab, given up after repeated crashes, is not playing; Restart the worker clears the notice', async () => {
    const { createLabController } = await import('../../src/state/labController');
    const { useLab } = await import('../../src/state/labStore');
    const lab = createLabController();
    lab.edit('seed', 2);
    vi.advanceTimersByTime(100);
    let w = FakeWorker.last;
    const runId = () => w.sent<Sent>('configure').at(-1)!.runId;
    w.reply(status(runId(), 10));
    expect(useLab.getState().run?.playing).toBe(true);
    for (let i = 0; i < 4; i++) {
      w = FakeWorker.last;
      w.throw('boom');
    }
    expect(useLab.getState().health.state).toBe('failed');
    expect(useLab.getState().notice).toMatch(/so it was not restarted/);
    expect(useLab.getState().run?.playing).toBe(false);
    const spawned = FakeWorker.spawned.length;
    lab.restartWorker();
    expect(FakeWorker.spawned.length).toBe(spawned + 1);
    expect(useLab.getState().notice).toBeNull();
    expect(useLab.getState().health.state).not.toBe('failed');
    w = FakeWorker.last;
    w.reply(status(runId(), 3));
    expect(useLab.getState().run?.playing).toBe(true);
    expect(useLab.getState().health.state).toBe('running');
    lab.dispose();
  });
});
