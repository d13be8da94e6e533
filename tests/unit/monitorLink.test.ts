// The "Monitor & ablate" tab's settings in the link (under mon.), through the location codec, and its worker
// session driven with a fake clock on a tiny run: status while training, the result and a stream when done,
// a new stream when the target changes; and the live lab's model handed in as the base.

import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_CONFIG, givenBaseError, type MonitorConfig } from '../../src/engine/monitor/config';
import { monitorRecord, MonitorRun } from '../../src/engine/monitor/run';
import { initBackend } from '../../src/engine/shared/backend';
import { DEFAULT_CONFIG } from '../../src/engine/toy/config';
import { decodeHash, encodeHash, TAB_SETTINGS, type LinkState, type LinkVocabulary } from '../../src/state/location';
import type { FromMonitorWorker } from '../../src/worker/monitorProtocol';
import { MonitorSession } from '../../src/worker/monitorSession';

const vocab: LinkVocabulary = { views: ['lab', 'monitor'], defaultView: 'lab', panels: [] };

describe('the "Monitor & ablate" tab in the link', () => {
  const mon = TAB_SETTINGS.find((t) => t.id === 'monitor')!;

  it('writes only what differs from its defaults, under mon., and reads it back', () => {
    const settings: MonitorConfig = { ...(mon.defaults as MonitorConfig), base: 'toy', target: 3, sparsity: 0.9, l1: 0.05 };
    const state: LinkState = { config: { ...DEFAULT_CONFIG }, view: 'monitor', instance: 0, panel: null, settings: { monitor: settings } };
    const hash = encodeHash(state);
    expect(hash).toMatch(/&view=monitor&mon\.sparsity=0\.9&mon\.target=3&mon\.l1=0\.05$/);
    expect(decodeHash(hash, vocab)).toEqual({ state, errors: [], present: true });
  });

  it('names a bad value and a clash, and keeps the defaults for them', () => {
    const d = decodeHash('#view=monitor&mon.base=mlp&mon.target=12', vocab);
    const text = d.errors.join('\n');
    expect(text).toMatch(/mon\.base must be one of toy, induction, lab; got "mlp"; used the default mon\.base = toy/);
    expect(text).toMatch(/target must be a feature index below n \(10\); got 12/);
    expect(d.state.settings?.monitor).toEqual(DEFAULT_MONITOR_CONFIG);
  });
});

describe('the monitor session', () => {
  beforeAll(async () => {
    await initBackend(['wasm']);
  });

  it('trains in chunks, reports its phase, then posts the result and the stream of the target it follows', () => {
    const posted: FromMonitorWorker[] = [];
    const queue: (() => void)[] = [];
    let t = 0;
    const session = new MonitorSession({ now: () => (t += 1), yieldThen: (fn) => void queue.push(fn), post: (m) => void posted.push(m) });
    session.configure(7, { ...DEFAULT_MONITOR_CONFIG, n: 6, m: 3, steps: 200, saeSteps: 200, saeLatents: 8 }, true, 2);
    for (let i = 0; i < 10_000 && queue.length; i++) queue.shift()!();
    const phases = new Set(posted.filter((m) => m.type === 'status').map((m) => (m.type === 'status' ? m.phase : '')));
    expect([...phases]).toEqual(['base', 'sae', 'analyse', 'done']);
    const result = posted.find((m) => m.type === 'result');
    expect(result?.type === 'result' && result.features.map((f) => f.target)).toEqual([0, 1, 2, 3, 4, 5]);
    const stream = posted.filter((m) => m.type === 'stream');
    expect(stream).toHaveLength(1);
    expect(stream[0].type === 'stream' && [stream[0].runId, stream[0].target, stream[0].count, stream[0].detectors.map((d) => d.id)]).toEqual([7, 2, 240, ['neuron', 'sae', 'probe']]);
    session.setTarget(4);
    const next = posted.at(-1)!;
    expect(next.type === 'stream' && next.target).toBe(4);
    session.dispose();
  }, 60_000);
});

describe('the live lab\'s model as the base', () => {
  it('reads a given relu-output model (h = Wx): no base training, the SAE first, every feature analysed', () => {
    // the pentagon: five unit directions 72° apart in m = 2, biases −0.2 (science.md A2)
    const n = 5, m = 2;
    const W = new Float32Array(m * n);
    for (let i = 0; i < n; i++) {
      W[i] = Math.cos((2 * Math.PI * i) / n);
      W[n + i] = Math.sin((2 * Math.PI * i) / n);
    }
    const lab = { ...DEFAULT_CONFIG, n, m, sparsity: 0.95, importanceDecay: 1 };
    const given = { lab, instance: 0, W, b: new Float32Array(n).fill(-0.2) };
    expect(givenBaseError(given)).toBeNull();
    expect(givenBaseError(null)).toMatch(/no model yet/);
    expect(givenBaseError({ ...given, lab: { ...lab, model: 'relu-hidden' } })).toMatch(/untied weights/);
    const run = new MonitorRun({ ...DEFAULT_MONITOR_CONFIG, base: 'lab', saeLatents: 5, saeSteps: 1500, l1: 0.1 }, given);
    expect(run.phase).toBe('sae');
    while (run.phase !== 'done') run.advance(500);
    const r = run.result()!;
    run.dispose();
    expect(r.toy!.base.hiddenRelu).toBe(false);
    expect(r.features.map((f) => f.target)).toEqual([0, 1, 2, 3, 4]);
    for (const f of r.features) {
      expect(f.represented).toBe(true);
      expect(f.ablations.direction.removed).toBeGreaterThan(0.99);
    }
    expect(monitorRecord(r).base).toMatchObject({ model: 'lab', n: 5, m: 2 });
  }, 60_000);
});
