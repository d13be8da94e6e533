// The SAE controller's file source (no browser: a fake Worker): a link's `file` choice waits for a file and sends
// nothing; a bad file is refused with its message and the worker hears nothing; a good one starts a file run; a truth
// file of another dimension is refused; and a crashed worker is restarted with the same file.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeNpy } from '../../src/engine/sae/npyWrite';
import { FakeWorker } from './fakeWorker';

type Sent = { type: string; runId: number; base: { kind: string; rows?: number; cols?: number; values?: Float32Array; truth?: { rows: number } | null }; [k: string]: unknown };

describe('the SAE controller with activations files', () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
    vi.stubGlobal('Worker', FakeWorker);
    FakeWorker.reset();
  });
  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('waits for a file from a link, refuses bad files, trains on a good one, and restarts a crashed worker with it', async () => {
    const { getSaeController } = await import('../../src/state/saeController');
    const { useSae } = await import('../../src/state/saeStore');
    const c = getSaeController();
    const worker = FakeWorker.last;
    const configures = () => FakeWorker.last.sent<Sent>('configure');
    const before = configures().length;

    // a link said base=file: the settings apply, the page asks for the file, the worker is not asked to train
    c.restore('file', { ...useSae.getState().sae, dictSize: 12 });
    expect(useSae.getState()).toMatchObject({ base: 'file', fileWanted: true, baseModel: null, snapshot: null });
    expect(useSae.getState().sae.dictSize).toBe(12);
    expect(configures()).toHaveLength(before);

    // a bad file: its message, nothing sent, still waiting
    expect(c.loadFile('acts.npy', new TextEncoder().encode('[[1, 2], [3]]'))).toEqual(['acts.npy: ragged rows: row 1 has 1 values, row 0 has 2']);
    expect(useSae.getState().editErrors.file).toEqual(['acts.npy: ragged rows: row 1 has 1 values, row 0 has 2']);
    expect(configures()).toHaveLength(before);
    expect(c.loadTruth('dirs.npy', encodeNpy(new Float32Array([1, 0]), 1, 2))).toEqual(['load the activations file first: the truth directions must have its dimension d']);

    // a good one: errors cleared, a file run with the link's dictionary size
    const values = Float32Array.from({ length: 40 * 4 }, (_, i) => (i % 7) / 7);
    expect(c.loadFile('acts.npy', encodeNpy(values, 40, 4))).toEqual([]);
    expect(useSae.getState()).toMatchObject({ fileWanted: false, file: { name: 'acts.npy', rows: 40, cols: 4, format: 'npy', truth: null } });
    expect(useSae.getState().editErrors.file).toBeUndefined();
    const run = configures().at(-1)!;
    expect(run.base).toMatchObject({ kind: 'file', rows: 40, cols: 4, truth: null });
    expect(Array.from(run.base.values!)).toEqual(Array.from(values));
    expect((run.sae as { dictSize: number }).dictSize).toBe(12);

    // truth of another d is refused; the right d starts a run scored against it
    expect(c.loadTruth('dirs.npy', encodeNpy(new Float32Array([1, 0, 0]), 1, 3))).toEqual(['dirs.npy: the truth directions have 3 columns; the activations have d = 4: they must match']);
    expect(c.loadTruth('dirs.npy', encodeNpy(new Float32Array([1, 0, 0, 0, 0, 2, 0, 0]), 2, 4))).toEqual([]);
    const scored = configures().at(-1)!;
    expect(scored.base.truth?.rows).toBe(2);
    expect(useSae.getState().file?.truth).toEqual({ name: 'dirs.npy', rows: 2 });

    // the worker crashes: the new one gets the same file run
    worker.throw('boom');
    const again = FakeWorker.last.sent<Sent>('configure')[0];
    expect(FakeWorker.last).not.toBe(worker);
    expect(again.base).toMatchObject({ kind: 'file', rows: 40, cols: 4, truth: { rows: 2 } });
    expect(Array.from(again.base.values!)).toEqual(Array.from(values));
    c.dispose();
  });
});
