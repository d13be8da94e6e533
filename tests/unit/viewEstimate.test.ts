// The views' estimate before they start and the time left while they train (issue 15, 2b): the last measured time
// of the same view and settings first, else the cost model at this machine's rate, else at the default rate; the
// time left from the share of work done and the training time so far.

import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/toy/config';
import { findViewSpec, passesOf, runConfig } from '../../src/engine/views/views';
import { aboutSeconds, DEFAULT_RATE, estimateKey, estimateSession, passWork, recordPass, recordSession, secondsLeft, sessionWork } from '../../src/state/viewEstimate';
import { LossHistory } from '../../src/state/lossHistory';
import type { PassState, ViewSession } from '../../src/state/viewStore';

function session(viewId: string, overrides = {}): ViewSession {
  const view = findViewSpec(viewId)!;
  return {
    viewId,
    overrides,
    startedAt: null,
    finishedAt: null,
    runs: view.runs.map((spec) => {
      const passes: PassState[] = Array.from({ length: passesOf(spec) }, (_, pass) => {
        const made = runConfig(spec, overrides, pass);
        if (!made.ok) throw new Error(made.errors.join());
        return { config: made.config, status: 'waiting', step: 0, totalSteps: made.config.steps, stepsPerSecond: 0, seconds: 0, resumedAt: null, engine: '', snapshot: null, phase: null, cached: false, stoppedEarly: null };
      });
      return { spec, passes, history: new LossHistory(1), historyVersion: 0, frames: [], settling: null };
    }),
  };
}

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
};

describe('view estimate', () => {
  it('work grows with steps, instances, batch and n·m', () => {
    const c = { ...DEFAULT_CONFIG, steps: 1000, instances: 2, batch: 10_000, n: 5, m: 2 };
    expect(passWork({ ...c, steps: 2000 })).toBe(2 * passWork(c));
    expect(passWork({ ...c, instances: 4 })).toBeGreaterThan(1.8 * passWork(c));
    expect(passWork({ ...c, m: 4 })).toBeGreaterThan(passWork(c));
    // every view has work, and the heavy ones more than the light ones
    const total = (id: string) => sessionWork(session(id)).total;
    expect(total('sweep')).toBeGreaterThan(10 * total('dynamics'));
  });

  it('before: last time for this view and settings, else this machine’s rate, else the default rate', () => {
    const store = memory();
    const s = session('correlated');
    const work = sessionWork(s).total;
    expect(estimateSession(s, null)).toEqual({ seconds: work / DEFAULT_RATE, source: 'guess' });
    // a pass of some view finished here: the machine's rate
    const pass = s.runs[0].passes[0];
    recordPass(pass.config, 4, store);
    expect(estimateSession(s, store).source).toBe('rate');
    expect(estimateSession(s, store).seconds).toBeCloseTo(work / (passWork(pass.config) / 4), 6);
    // the whole session finished after 9.5 s of training: that, next time (other settings keep the model's figure)
    s.runs.forEach((r) => r.passes.forEach((p) => Object.assign(p, { status: 'done', step: p.totalSteps, seconds: 9.5 / 2 })));
    recordSession(s, store);
    expect(store.m.get(estimateKey(s))).toBe('9.50');
    expect(estimateSession(session('correlated'), store)).toEqual({ seconds: 9.5, source: 'last' });
    expect(estimateSession(session('correlated', { seed: 3 }), store).source).toBe('rate');
    // a broken or refusing store leaves a guess
    expect(estimateSession(s, { getItem: () => { throw new Error('denied'); }, setItem: () => {} }).source).toBe('guess');
  });

  it('while training: time left from the share of work done and the training time so far', () => {
    const s = session('correlated');
    const estimate = { seconds: 20, source: 'guess' as const };
    // nothing done yet: the estimate less the time spent
    expect(secondsLeft(s, 0.5, estimate)).toBeCloseTo(19.5, 6);
    // the first of two equal runs done in 6 s: 6 s left
    s.runs[0].passes[0].status = 'done';
    expect(secondsLeft(s, 6, estimate)).toBeCloseTo(6, 6);
    // three quarters done in 9 s: 3 s left
    s.runs[1].passes[0].step = s.runs[1].passes[0].totalSteps / 2;
    expect(secondsLeft(s, 9, estimate)).toBeCloseTo(3, 6);
    s.runs[1].passes[0].status = 'done';
    expect(secondsLeft(s, 12, estimate)).toBeNull();
  });

  it('rounds as an estimate should', () => {
    expect(aboutSeconds(0.2)).toBe('about 1 s');
    expect(aboutSeconds(7.4)).toBe('about 7 s');
    expect(aboutSeconds(43)).toBe('about 45 s');
    expect(aboutSeconds(205)).toBe('about 3 min');
  });
});

describe('view estimate before a session exists (the tab)', () => {
  it('is the session’s estimate, and nothing for an unknown view', async () => {
    const { estimateView } = await import('../../src/state/viewEstimate');
    const store = memory();
    expect(estimateView('sweep', {}, store)).toEqual(estimateSession(session('sweep'), store));
    recordPass(session('dynamics').runs[0].passes[0].config, 2, store);
    expect(estimateView('phase', { seed: 4 }, store)).toEqual(estimateSession(session('phase', { seed: 4 }), store));
    expect(estimateView('no-such-view', {}, store)).toBeNull();
    expect(estimateView('lab', {}, store)).toBeNull();
  });
});
