// Issue 16 item 8: "WebAssembly.Instance(): Out of memory" after a tab storm. Every fused trainer
// (toy, SAE, transformer) made a new WebAssembly instance, each with its own memory (V8 reserves
// ~10 GB of address space per memory), and dispose() left it to the garbage collector. Chromium
// holds only ~124 live wasm memories per renderer (measured: a worker failed at the 124th), shared
// by the page's workers, and one worker's collection does not free another's garbage: five workers
// that had each dropped 30 instances left a sixth able to make 3. Now dispose() gives the instance
// back and the next trainer reuses it: thousands of trainers, one instance per kernel.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FusedTrainer } from '../../src/engine/toy/fused/fusedTrainer';
import { DEFAULT_CONFIG, type LabConfig } from '../../src/engine/toy/config';
import { SaeFusedTrainer } from '../../src/engine/sae/fused';
import { sharkeySource } from '../../src/engine/sae/activations';
import { validateSaeConfig, type SaeConfig } from '../../src/engine/sae/config';
import { FusedTransformer } from '../../src/engine/transformer/fusedTransformer';
import { namedParams, type TransformerShape } from '../../src/engine/transformer/model';
import { createRng } from '../../src/engine/shared/rng';
import { fusedKernelAvailable } from '../../src/engine/kernels/fusedKernel';

// count every WebAssembly.Instance made, whoever makes it
let made = 0;
const Original = WebAssembly.Instance;
beforeAll(() => {
  const Counting = function (this: unknown, module: WebAssembly.Module, imports?: WebAssembly.Imports) {
    made++;
    return new Original(module, imports);
  } as unknown as typeof WebAssembly.Instance;
  Counting.prototype = Original.prototype;
  (WebAssembly as { Instance: typeof WebAssembly.Instance }).Instance = Counting;
});
afterAll(() => {
  (WebAssembly as { Instance: typeof WebAssembly.Instance }).Instance = Original;
});

const toy = (over: Partial<LabConfig> = {}): LabConfig => ({ ...DEFAULT_CONFIG, instances: 2, n: 5, m: 2, batch: 256, ...over });
const sae = (over: Record<string, unknown> = {}): SaeConfig => {
  const r = validateSaeConfig({ data: 'sharkey', sharkeyDim: 12, sharkeyFeatures: 16, sharkeyActive: 3, dictSize: 24, saeInstances: 2, saeBatch: 64, resample: 'off', ...over });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};
const shape: TransformerShape = { layers: 2, heads: 2, dModel: 16, vocab: 11, ctx: 12, mlp: true, dMlp: 32, layerNorm: true };
const tokens = (seed: number) => {
  const rng = createRng(seed);
  return Int32Array.from({ length: 4 * shape.ctx }, () => Math.floor(rng.next() * shape.vocab));
};

describe.runIf(fusedKernelAvailable())('fused trainers reuse their WebAssembly instances', () => {
  it('3 000 toy trainers made and disposed in turn make one instance', () => {
    const before = made;
    for (let i = 0; i < 3000; i++) {
      const t = new FusedTrainer(toy({ seed: i }));
      t.step(1);
      t.dispose();
    }
    // before the fix: 3 000 (one per trainer)
    expect(made - before).toBeLessThanOrEqual(1);
  });

  it('1 000 SAE trainers and 1 000 transformers likewise', () => {
    const before = made;
    for (let i = 0; i < 1000; i++) {
      const t = new SaeFusedTrainer(sae({ saeSeed: i }), sharkeySource(12, 16, 3, createRng(i)));
      t.step(1);
      t.dispose();
      const m = new FusedTransformer(shape, { lr: 1e-2, seed: i });
      m.trainStep(tokens(i), 4);
      m.dispose();
    }
    expect(made - before).toBeLessThanOrEqual(2);
  });

  it('trainers alive at once each get their own instance', () => {
    const before = made;
    const live = Array.from({ length: 5 }, (_, i) => new FusedTrainer(toy({ seed: i })));
    for (const t of live) t.step(1);
    // the pool keeps at most 2 idle toy instances; the others are new
    expect(made - before).toBeGreaterThanOrEqual(3);
    for (const t of live) t.dispose();
    const again = made;
    for (let i = 0; i < 100; i++) new FusedTrainer(toy()).dispose();
    expect(made - again).toBe(0);
  });

  it('a reused instance trains exactly like a new one, even after a larger model dirtied its memory', () => {
    const run = () => {
      const t = new FusedTrainer(toy({ seed: 7, instances: 3, sparsity: 0.9 }));
      const losses = Array.from(t.step(50));
      const W = Array.from(t.snapshot().W);
      t.dispose();
      return { losses, W };
    };
    const first = run();
    const big = new FusedTrainer(toy({ n: 40, m: 10, batch: 1024, instances: 4 }));
    big.step(5);
    big.dispose();
    expect(run()).toEqual(first);

    const saeRun = () => {
      const t = new SaeFusedTrainer(sae({ saeSeed: 3 }), sharkeySource(12, 16, 3, createRng(3)));
      const stats = t.step(20).map((s) => s.loss);
      t.dispose();
      return stats;
    };
    const s1 = saeRun();
    const bigSae = new SaeFusedTrainer(sae({ dictSize: 64, saeBatch: 256 }), sharkeySource(12, 16, 3, createRng(1)));
    bigSae.step(2);
    bigSae.dispose();
    expect(saeRun()).toEqual(s1);

    const tRun = () => {
      const m = new FusedTransformer(shape, { lr: 1e-2, seed: 5 });
      for (let s = 0; s < 5; s++) m.trainStep(tokens(100 + s), 4);
      const p = namedParams(m.params()).map((q) => Array.from(q.data));
      m.dispose();
      return p;
    };
    const t1 = tRun();
    const bigT = new FusedTransformer({ ...shape, dModel: 32, ctx: 32 }, { lr: 1e-2, seed: 1 });
    bigT.dispose();
    expect(tRun()).toEqual(t1);
  });

  it('a disposed transformer cannot read a memory another trainer now uses', () => {
    const m = new FusedTransformer(shape, { lr: 1e-2, seed: 5 });
    m.dispose();
    const other = new FusedTransformer(shape, { lr: 1e-2, seed: 6 });
    expect(() => m.params()).toThrow(/released|disposed/);
    other.dispose();
  });
});
