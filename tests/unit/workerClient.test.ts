// The worker client's recovery logic with a fake Worker and fake timers: heartbeat and silence,
// crash restart with the last good run (under the same run id), back-pressure, giving up.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkerClient, type WorkerHealth } from '../../src/worker/client';
import { TrainingClient } from '../../src/worker/trainingClient';
import { asWorker, FakeWorker } from './fakeWorker';

type In = { type: 'start'; runId: number; spec: string; play: boolean } | { type: 'play' };
type Out = { type: 'snapshot' | 'status'; runId: number; msPerStep?: number } | { type: 'pong'; t: number } | { type: 'error'; runId: number | null; message: string };

function setup(extra: { silenceMs?: number } = {}) {
  const messages: Out[] = [];
  const started: [number, string][] = [];
  const health: WorkerHealth[] = [];
  const client = new WorkerClient<In, Out, string>({
    label: 'test',
    spawn: () => asWorker(new FakeWorker()),
    start: (runId, spec, play) => ({ type: 'start', runId, spec, play }),
    onMessage: (m) => messages.push(m),
    onRunStarted: (id, spec) => started.push([id, spec]),
    onHealth: (h) => health.push(h),
    ...extra,
  });
  return { client, messages, started, health };
}

const starts = (w: FakeWorker) => w.sent<{ type: 'start'; runId: number; spec: string; play: boolean }>('start');

describe('the worker client', () => {
  beforeEach(() => {
    FakeWorker.reset();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('spawns on first use, delivers the current run only, and confirms each run once', () => {
    const { client, messages, started, health } = setup();
    expect(FakeWorker.spawned).toHaveLength(0);
    const a = client.configure('a', true);
    expect(FakeWorker.spawned).toHaveLength(1);
    const w = FakeWorker.last;
    expect(starts(w)).toEqual([{ type: 'start', runId: a, spec: 'a', play: true }]);
    w.reply({ type: 'snapshot', runId: a });
    w.reply({ type: 'status', runId: a });
    const b = client.configure('b', false);
    w.reply({ type: 'status', runId: a }); // still in flight from run a: dropped
    w.reply({ type: 'snapshot', runId: b });
    expect(messages.map((m) => ('runId' in m ? m.runId : null))).toEqual([a, a, b]);
    expect(started).toEqual([[a, 'a'], [b, 'b']]);
    expect(health.map((h) => h.state)).toEqual(['starting', 'running', 'running']);
  });

  it('declares a silent worker dead after silenceMs and restarts the run under the same id, as it was playing', () => {
    const { client, messages, started, health } = setup();
    const id = client.configure('a', true);
    const first = FakeWorker.last;
    first.reply({ type: 'snapshot', runId: id });
    vi.advanceTimersByTime(3000);
    expect(first.sent('ping').length).toBeGreaterThanOrEqual(2); // pings go out, pongs come back
    expect(FakeWorker.spawned).toHaveLength(1);
    first.alive = false; // hung, or closed itself: no error, just silence
    vi.advanceTimersByTime(3900);
    expect(FakeWorker.spawned).toHaveLength(1);
    vi.advanceTimersByTime(1200);
    expect(FakeWorker.spawned).toHaveLength(2);
    expect(first.terminated).toBe(true);
    expect(health.at(-1)).toMatchObject({ state: 'restarting', reason: expect.stringContaining('the test worker stopped answering') });
    const second = FakeWorker.last;
    expect(starts(second)).toEqual([{ type: 'start', runId: id, spec: 'a', play: true }]);
    first.reply({ type: 'snapshot', runId: id }); // the dead worker is not heard
    expect(messages).toHaveLength(1);
    second.reply({ type: 'snapshot', runId: id });
    expect(messages).toHaveLength(2);
    expect(started).toEqual([[id, 'a'], [id, 'a']]); // the run starts over: its history too
    expect(health.at(-1)).toEqual({ state: 'running' });
  });

  it('restarts at once when the worker throws, paused if the page had paused', () => {
    const { client, health } = setup();
    const id = client.configure('a', true);
    FakeWorker.last.reply({ type: 'status', runId: id });
    client.pause();
    FakeWorker.last.throw('boom');
    expect(health.at(-1)).toEqual({ state: 'restarting', reason: 'the test worker threw: boom' });
    expect(starts(FakeWorker.last)).toEqual([{ type: 'start', runId: id, spec: 'a', play: false }]);
  });

  it('tolerates silences of a few slow steps', () => {
    const { client } = setup();
    const id = client.configure('a', true);
    const w = FakeWorker.last;
    w.reply({ type: 'status', runId: id, msPerStep: 3000 });
    w.alive = false;
    vi.advanceTimersByTime(11_000);
    expect(w.terminated).toBe(false);
    vi.advanceTimersByTime(2000);
    expect(w.terminated).toBe(true);
  });

  it('after a refused request the last good run goes on, and is the one restarted', () => {
    const { client, messages } = setup();
    const good = client.configure('good', true);
    FakeWorker.last.reply({ type: 'snapshot', runId: good });
    const bad = client.configure('bad', true);
    FakeWorker.last.reply({ type: 'error', runId: bad, message: 'no' });
    FakeWorker.last.reply({ type: 'snapshot', runId: good });
    expect(messages.map((m) => m.type)).toEqual(['snapshot', 'error', 'snapshot']);
    FakeWorker.last.throw('boom');
    expect(starts(FakeWorker.last)).toEqual([{ type: 'start', runId: good, spec: 'good', play: true }]);
  });

  it('retries a request its worker died on once, then falls back to the last good run', () => {
    const { client } = setup();
    const good = client.configure('good', true);
    FakeWorker.last.reply({ type: 'snapshot', runId: good });
    const next = client.configure('next', true);
    FakeWorker.last.throw('boom');
    expect(starts(FakeWorker.last)).toEqual([{ type: 'start', runId: next, spec: 'next', play: true }]);
    FakeWorker.last.throw('boom again');
    expect(starts(FakeWorker.last)).toEqual([{ type: 'start', runId: good, spec: 'good', play: true }]);
  });

  it('gives up after maxCrashes within the window; restart() tries again', () => {
    const { client, health } = setup();
    client.configure('a', true);
    for (let i = 0; i < 4; i++) FakeWorker.last.throw(`crash ${i}`);
    expect(FakeWorker.spawned).toHaveLength(4);
    expect(health.at(-1)).toMatchObject({ state: 'failed', reason: expect.stringContaining('failed 4 times in a row') });
    client.restart();
    expect(FakeWorker.spawned).toHaveLength(5);
    expect(starts(FakeWorker.last)).toHaveLength(1);
  });

  it('acknowledges a snapshot once it has been drawn (one animation frame later)', () => {
    const frames: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (fn: () => void) => frames.push(fn));
    const { client } = setup();
    const id = client.configure('a', true);
    const w = FakeWorker.last;
    w.reply({ type: 'snapshot', runId: id });
    w.reply({ type: 'snapshot', runId: id });
    w.reply({ type: 'status', runId: id });
    expect(w.sent('drawn')).toHaveLength(0);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(w.sent('drawn')).toHaveLength(1);
  });

  it('a training client sends its speed to the new worker before the run', () => {
    const client = new TrainingClient({ spawn: () => asWorker(new FakeWorker()), onMessage: () => {}, backends: ['cpu'] });
    client.setSpeed(10);
    const id = client.train({ n: 5 } as never, true, { engine: 'fused' });
    FakeWorker.last.throw('boom');
    expect(FakeWorker.last.posted.map((m) => m.type)).toEqual(['set-speed', 'configure']);
    expect(FakeWorker.last.sent('configure')[0]).toMatchObject({ runId: id, engine: 'fused', backends: ['cpu'], play: true, record: null });
  });

  it('fault("terminate") kills the worker silently: the heartbeat notices', () => {
    const { client, health } = setup();
    client.configure('a', true);
    client.fault('terminate');
    expect(health.at(-1)?.state).not.toBe('restarting');
    vi.advanceTimersByTime(5100);
    expect(health.at(-1)?.state).toBe('restarting');
    expect(FakeWorker.spawned).toHaveLength(2);
    client.fault('hang');
    expect(FakeWorker.last.sent('fault')).toEqual([{ type: 'fault', fault: 'hang' }]);
  });
});
