// The session scheduler under fake timers: chunked training that yields between chunks, at most
// ~30 snapshots per second (fewer when the page does not draw them), slow motion, steps per second.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChunkLoop, CHUNK_BUDGET_MS, RateMeter, SnapshotPacer, StepTimer, type SchedulerHost } from '../../src/worker/scheduler';
import { TrainingSession } from '../../src/worker/trainingSession';
import type { FromWorker } from '../../src/worker/protocol';
import type { Trainer } from '../../src/engine/toy/trainer';
import { config } from './helpers';

const host: SchedulerHost = {
  now: () => performance.now(),
  yieldThen: (fn) => void setTimeout(fn, 0),
  later: (fn, ms) => void setTimeout(fn, ms),
};

/** A trainer whose steps cost msPerStep on the clock. */
function fakeTrainer(c: ReturnType<typeof config>, msPerStep: number, clock: { t: number }): Trainer {
  let done = 0;
  const { instances: K, n, m } = c;
  return {
    config: c,
    engine: 'fused',
    get stepsDone() {
      return done;
    },
    step(k: number) {
      clock.t += k * msPerStep;
      done += k;
      return new Float32Array(K).fill(0.1);
    },
    snapshot: () => ({ step: done, model: c.model, K, n, m, W: new Float32Array(K * m * n), b: new Float32Array(K * n), W2: null, losses: new Float32Array(K) }),
    dispose() {},
  } as unknown as Trainer;
}

describe('the session scheduler', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] }));
  afterEach(() => void vi.useRealTimers());

  it('runs chunks while there is work, yielding in between, and stops when there is none', () => {
    let left = 3;
    const ran: number[] = [];
    const loop = new ChunkLoop(host, () => ran.push(left--), () => left > 0);
    loop.kick();
    loop.kick(); // one chunk at a time
    expect(ran).toEqual([]); // nothing runs before the event loop turns
    vi.advanceTimersByTime(0);
    expect(ran).toEqual([3]);
    vi.runAllTimers();
    expect(ran).toEqual([3, 2, 1]);
  });

  it('waits in slow motion', () => {
    const ran: number[] = [];
    let waited = false;
    const loop = new ChunkLoop(host, () => {
      ran.push(performance.now());
      if (!waited) {
        waited = true;
        loop.waitFor(100);
      }
    }, () => ran.length < 2);
    loop.kick();
    vi.advanceTimersByTime(50);
    expect(ran).toHaveLength(1);
    vi.advanceTimersByTime(60);
    expect(ran).toHaveLength(2);
    expect(ran[1] - ran[0]).toBeGreaterThanOrEqual(100);
  });

  it('sizes chunks to the budget from the measured step time', () => {
    const t = new StepTimer();
    expect(t.chunkSteps()).toBe(1); // the first chunk measures one step
    t.record(2, 1);
    expect(t.chunkSteps()).toBe(CHUNK_BUDGET_MS / 2);
    t.record(0, 1000);
    expect(t.chunkSteps()).toBe(Math.floor(CHUNK_BUDGET_MS / (0.7 * 2)));
    t.restart();
    expect(t.chunkSteps()).toBe(1);
  });

  it('paces snapshots: ~30 per second when drawn at once, one per second when never drawn', () => {
    const count = (drawn: boolean) => {
      const pacer = new SnapshotPacer();
      let sent = 0;
      for (let t = 0; t < 1000; t += 5) {
        if (!pacer.due(t)) continue;
        pacer.sent(t, t);
        sent++;
        if (drawn) pacer.drawn();
      }
      return sent;
    };
    expect(count(true)).toBeGreaterThanOrEqual(25);
    expect(count(true)).toBeLessThanOrEqual(31);
    expect(count(false)).toBe(1);
  });

  it('sends fewer snapshots when they are costly to make', () => {
    const pacer = new SnapshotPacer();
    pacer.sent(0, 20); // 20 ms to make: at most 20 % of the time
    pacer.drawn();
    expect(pacer.due(90)).toBe(false);
    expect(pacer.due(121)).toBe(true);
  });

  it('measures steps per second over windows, 0 when not training', () => {
    const r = new RateMeter(250);
    r.restart(0, 0);
    expect(r.read(100, 50)).toBe(0);
    expect(r.read(250, 500)).toBe(2000);
    expect(r.read(300, 600, false)).toBe(0);
  });

  it('a training session posts at most ~30 snapshots per second of training, and every loss point', () => {
    const posted: FromWorker[] = [];
    const c = config({ steps: 20_000 });
    const clock = { t: 0 };
    // a page that draws every snapshot as soon as it can
    const post = (m: FromWorker) => {
      posted.push(m);
      if (m.type === 'snapshot') setTimeout(() => session.drawn(), 0);
    };
    const session: TrainingSession = new TrainingSession({
      ...host, now: () => clock.t, createTrainer: (cfg) => fakeTrainer(cfg, 0.1, clock), post, backend: () => 'cpu', backendFailures: () => [],
    });
    session.configure(1, c, true);
    const snapshots = () => posted.filter((m) => m.type === 'snapshot');
    while (clock.t < 1000) vi.advanceTimersToNextTimer();
    const inOneSecond = snapshots().length;
    expect(inOneSecond).toBeGreaterThanOrEqual(20);
    expect(inOneSecond).toBeLessThanOrEqual(31);
    vi.runAllTimers();
    const last = posted.filter((m) => m.type === 'status').at(-1);
    expect(last).toMatchObject({ step: 20_000, done: true, playing: false });
    const points = snapshots().reduce((s, m) => s + (m.type === 'snapshot' ? m.lossCurve.steps.length : 0), 0);
    expect(points).toBe(1000);
  });
});
