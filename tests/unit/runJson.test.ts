// Run export in the CLI's JSON contract, and import of such files: valid files restore the
// config and view; broken ones are refused with every problem named.

import { describe, expect, it } from 'vitest';
import { createTrainer } from '../../src/engine/index';
import { buildRunRecord } from '../../src/engine/toy/runRecord';
import { trainToEnd } from '../../src/engine/toy/runner';
import { buildRunFile, parseRunFile, runFileName, tailLosses } from '../../src/state/export/runJson';
import { LossHistory } from '../../src/state/lossHistory';
import type { SnapshotMessage } from '../../src/worker/protocol';
import { config } from './helpers';

const VIEWS = ['lab', 'phase'];

/** A short real run, as the page would hold it: the latest snapshot and the loss history. */
function pageRun(over: Parameters<typeof config>[0] = {}) {
  const c = config({ n: 5, m: 2, instances: 3, sparsityRange: [0, 0.9], steps: 400, seed: 3, ...over });
  const trainer = createTrainer(c, 'fused');
  const history = new LossHistory(c.instances);
  while (trainer.stepsDone < c.steps) history.append(trainer.stepsDone + 1, trainer.step(1));
  const s = trainer.snapshot();
  trainer.dispose();
  const snapshot = { ...s, type: 'snapshot', runId: 1, lossCurve: { steps: new Float64Array(), losses: new Float32Array() }, metrics: {} } as unknown as SnapshotMessage;
  return { c, snapshot, history };
}

describe('run JSON export', () => {
  it('writes the CLI contract (version 1) with the final loss averaged over the last 1% of steps', () => {
    const { c, snapshot, history } = pageRun();
    const file = buildRunFile({ config: c, snapshot, history, engine: 'fused', backend: null, seconds: 1.5, view: 'lab', selectedInstance: 2 });
    expect(Object.keys(file).sort()).toEqual(['backend', 'config', 'engine', 'instances', 'lossCurve', 'seconds', 'selectedInstance', 'steps', 'version', 'view']);
    expect(file.version).toBe(1);
    expect(file.steps).toBe(400);
    expect(file.config).toEqual(c);
    expect(file.instances).toHaveLength(3);
    const tail = (k: number) => history.losses[k].slice(-4).reduce((a, b) => a + b, 0) / 4;
    for (const [k, inst] of file.instances.entries()) {
      expect(inst.W).toHaveLength(2);
      expect(inst.W[0]).toHaveLength(5);
      expect(inst.b).toHaveLength(5);
      expect(inst.loss).toBeCloseTo(tail(k), 12);
      expect(inst.metrics.featureNorms).toHaveLength(5);
      expect(typeof inst.metrics.geometry).toBe('string');
    }
    expect(file.lossCurve[0]).toEqual([1, ...history.losses.map((l) => l[0])]);
    expect(runFileName(c)).toBe('superposition-run_relu-output_n5_m2_seed3.json');
  });

  it('refuses to export before the first step or across a config change', () => {
    const { c, snapshot, history } = pageRun();
    expect(() => buildRunFile({ config: c, snapshot: { ...snapshot, step: 0 }, history, engine: 'fused', backend: null, seconds: 0, view: 'lab', selectedInstance: 0 })).toThrow(/train at least one step/);
    expect(() => buildRunFile({ config: { ...c, n: 6 }, snapshot, history, engine: 'fused', backend: null, seconds: 0, view: 'lab', selectedInstance: 0 })).toThrow(/another config/);
  });

  it('falls back to the latest losses when the history has no point in the last 1%', () => {
    const h = { instances: 1, steps: [10], losses: [[0.5]] };
    expect(tailLosses(h, { step: 1000, losses: new Float32Array([0.25]) }, 1000)).toEqual([0.25]);
  });
});

describe('run JSON import', () => {
  const exported = () => {
    const { c, snapshot, history } = pageRun();
    return JSON.stringify(buildRunFile({ config: c, snapshot, history, engine: 'fused', backend: null, seconds: 1, view: 'phase', selectedInstance: 1 }));
  };

  it('reads its own export back: config, view and selected instance', () => {
    const r = parseRunFile(exported(), VIEWS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({ n: 5, m: 2, instances: 3, sparsityRange: [0, 0.9], seed: 3, steps: 400 });
    expect(r.view).toBe('phase');
    expect(r.selectedInstance).toBe(1);
  });

  it("reads the CLI's output (no view)", () => {
    const c = config({ n: 4, m: 2, steps: 200, seed: 5 });
    const trainer = createTrainer(c, 'fused');
    const out = trainToEnd(trainer);
    const record = buildRunRecord({ config: c, snapshot: trainer.snapshot(), finalLosses: out.finalLosses, lossCurve: out.lossCurve, seconds: out.seconds, engine: 'fused', backend: null });
    trainer.dispose();
    const r = parseRunFile(JSON.stringify(record), VIEWS);
    expect(r.ok && r.config).toEqual(c);
    expect(r.ok && r.view).toBeNull();
  });

  const mutate = (f: (o: Record<string, any>) => void) => {
    const o = JSON.parse(exported());
    f(o);
    return JSON.stringify(o);
  };
  const BAD: [string, () => string, RegExp][] = [
    ['not JSON', () => '{"version": 1,', /not JSON/],
    ['an array', () => '[1, 2]', /must hold a JSON object/],
    ['null', () => 'null', /must hold a JSON object/],
    ['another version', () => mutate((o) => (o.version = 2)), /version must be 1; got 2/],
    ['an invalid config value', () => mutate((o) => (o.config.n = 0)), /config: n must be an integer from 1 to 512; got 0/],
    ['markup in the config', () => mutate((o) => (o.config.model = '<script>alert(1)</script>')), /config: model must be one of/],
    ['an unknown config key', () => mutate((o) => (o.config.evil = 1)), /config: unknown setting "evil"/],
    ['no config', () => mutate((o) => delete o.config), /config: settings must be an object/],
    ['too few instances', () => mutate((o) => o.instances.pop()), /instances must be a list of 3 runs/],
    ['a W of the wrong shape', () => mutate((o) => o.instances[1].W[0].pop()), /instances\[1\]\.W must be 2 rows of 5 finite numbers/],
    ['a non-finite loss', () => mutate((o) => (o.instances[0].loss = null)), /instances\[0\]\.loss must be a finite number/],
    ['a bad loss curve', () => mutate((o) => (o.lossCurve = [[1, 2]])), /lossCurve must be a list of \[step, loss_1, …, loss_3\] rows/],
    ['an unknown view', () => mutate((o) => (o.view = 'nope')), /view must be one of lab, phase; got "nope"/],
  ];
  it.each(BAD)('refuses %s with a clear message', (_name, make, message) => {
    const r = parseRunFile(make(), VIEWS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toMatch(message);
  });

  it('refuses a file that is too large before parsing it', () => {
    const r = parseRunFile(' '.repeat(50 * 1024 * 1024 + 1), VIEWS);
    expect(!r.ok && r.errors[0]).toMatch(/too large/);
  });
});
