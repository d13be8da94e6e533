// the shipped facts model loads and knows every fact (both templates, every prefix length) on both engines;
// a short training run of the default shape learns with the loss on the object only.

import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { createFactsTrainer } from '../../src/engine/rome/engine';
import { DEFAULT_FACTS_CONFIG, evaluateFacts, FactsTraining, modelKey } from '../../src/engine/rome/factsModel';
import { shippedModel } from './romeShipped';

beforeAll(async () => {
  await initBackend(['wasm', 'cpu']);
});

describe('facts model (R-1)', () => {
  it('the shipped model is the default config and has ≥ 99% top-1 on all 384 facts, both templates, every prefix length', () => {
    const { config, meta, trainer, set } = shippedModel();
    expect(modelKey(config)).toBe(modelKey(DEFAULT_FACTS_CONFIG));
    const acc = evaluateFacts(trainer, set);
    expect(acc.all).toBeGreaterThanOrEqual(0.99);
    expect(acc.rewrite).toBeGreaterThanOrEqual(0.99);
    expect(acc.paraphrase).toBeGreaterThanOrEqual(0.99);
    for (const a of acc.byPrefix) expect(a).toBeGreaterThanOrEqual(0.99);
    expect(acc.all).toBeCloseTo(meta.accuracy.all, 6);
    trainer.dispose();
  });
  it('the TF.js engine gives the same accuracy from the same file', () => {
    const { trainer, set } = shippedModel('tfjs');
    expect(evaluateFacts(trainer, set).all).toBeGreaterThanOrEqual(0.99);
    trainer.dispose();
  });
  it('trains with the loss on the object only: 300 steps take the accuracy far above chance (1/8), with progress', () => {
    const config = { ...DEFAULT_FACTS_CONFIG, steps: 300, evalEvery: 0 };
    const trainer = createFactsTrainer(config);
    const run = new FactsTraining(trainer, config);
    const first = run.trainChunk(20);
    expect(first.step).toBe(20);
    expect(first.loss).toBeGreaterThan(2); // ≈ ln 128 at the start
    let last = first;
    while (!last.done) last = run.trainChunk(100);
    expect(last.step).toBe(300);
    expect(last.loss).toBeLessThan(first.loss * 0.6);
    expect(evaluateFacts(trainer, run.set).all).toBeGreaterThan(0.3);
    trainer.dispose();
  });
});
