// The SAE worker session on a user's activations file (no Worker, Node): the base message carries the file's shape
// and, for d > 3, the data's top principal components; snapshots carry the top-activating rows at the end; MMCS is
// scored against the truth file, and is NaN without one. The TF.js engine leaks no tensors on file data.

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { parseActivations } from '../../src/engine/sae/activationsFile';
import { validateSaeConfig, type SaeConfig } from '../../src/engine/sae/config';
import { createSaeTrainer } from '../../src/engine/sae/engine';
import { encodeNpy } from '../../src/engine/sae/npyWrite';
import { createRng } from '../../src/engine/shared/rng';
import { createTrainer } from '../../src/engine/index';
import type { BaseMessage, FileBaseSpec, FromSaeWorker, SaeSnapshotMessage } from '../../src/worker/saeProtocol';
import { fileEvalSize, SaeSession, TOP_ROWS_T } from '../../src/worker/saeSession';

const D = 6, G = 4, N = 600;

function fileSpec(withTruth: boolean, fileId: number): FileBaseSpec {
  const rng = createRng(2);
  // G orthogonal directions (axes 0..3), each on with probability 0.2: rows are sparse sums
  const h = new Float32Array(N * D);
  for (let r = 0; r < N; r++) for (let g = 0; g < G; g++) if (rng.next() < 0.2) h[r * D + g] += 0.5 + rng.next();
  const parsed = parseActivations(encodeNpy(h, N, D)); // through the validator, as the page does
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const truth = Float32Array.from({ length: G * D }, (_, i) => (i % D === Math.floor(i / D) ? 1 : 0));
  return { kind: 'file', fileId, name: 'acts.npy', rows: N, cols: D, values: parsed.value.values, truth: withTruth ? { name: 'dirs.npy', rows: G, values: truth } : null };
}

function harness(sae: SaeConfig, spec: FileBaseSpec, engine: 'fused' | 'tfjs' = 'fused') {
  const messages: FromSaeWorker[] = [];
  const queue: (() => void)[] = [];
  const session = new SaeSession({
    createToyTrainer: (c) => createTrainer(c, 'fused'),
    createSae: (c, s, e) => createSaeTrainer(c, s, e),
    post: (m) => messages.push(m),
    now: () => performance.now(),
    yieldThen: (fn) => queue.push(fn),
  });
  session.configure(1, spec, sae, true, engine);
  const done = () => messages.some((m) => m.type === 'status' && m.done);
  for (let i = 0; i < 100_000 && queue.length && !done(); i++) queue.shift()!();
  return { session, messages, snaps: messages.filter((m): m is SaeSnapshotMessage => m.type === 'snapshot') };
}

const sae = (over: Record<string, unknown>): SaeConfig => {
  const r = validateSaeConfig(over);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};

describe('SAE session on file data', () => {
  it('posts the file base with its PCA, trains, and ends with the top-activating rows and MMCS against the truth', () => {
    const { messages, snaps, session } = harness(sae({ dictSize: 8, l1: 0.05, saeSteps: 1500, saeInstances: 2, saeBatch: 128 }), fileSpec(true, 1));
    const base = messages.find((m): m is BaseMessage => m.type === 'base')!;
    expect(base).toMatchObject({ m: D, G, file: { name: 'acts.npy', rows: N, truthName: 'dirs.npy' } });
    const pca = base.file!.pca!;
    expect(pca.k).toBe(3);
    // the variance lies in the first 4 axes: the components have (almost) nothing on axes 4 and 5
    for (let c = 0; c < 3; c++) expect(Math.hypot(pca.components[c * D + 4], pca.components[c * D + 5])).toBeLessThan(1e-6);
    const last = snaps.at(-1)!;
    expect(last.step).toBe(1500);
    expect(last.topRows).toBeDefined();
    expect(last.topRows!.T).toBe(TOP_ROWS_T);
    expect(last.topRows!.rows).toHaveLength(2 * 8 * TOP_ROWS_T);
    expect(Math.min(...last.mmcs)).toBeGreaterThan(0.9);
    expect(last.evalSize).toBe(2048); // small K·L·d: the full evaluation set
    session.dispose();
  });

  it('wide files get fewer histogram rows, so a snapshot stays ~4·10⁶ multiply-adds', () => {
    expect(fileEvalSize(2, 8, 6)).toBe(2048);
    expect(fileEvalSize(8, 48, 16)).toBe(651);
    expect(fileEvalSize(8, 512, 768)).toBe(256);
  });

  it('without a truth file MMCS is NaN and the cosines are empty; the TF.js engine leaks no tensors', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const { snaps, session } = harness(sae({ dictSize: 8, saeSteps: 200, saeInstances: 1, saeBatch: 64 }), fileSpec(false, 2), 'tfjs');
    const last = snaps.at(-1)!;
    expect(last.G).toBe(0);
    expect(last.cosines).toHaveLength(0);
    expect(Number.isNaN(last.mmcs[0])).toBe(true);
    expect(last.topRows!.rows.some((r) => r >= 0)).toBe(true);
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
