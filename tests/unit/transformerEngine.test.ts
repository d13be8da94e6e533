// The TF.js transformer against model.ts: forward and gradients against a float64 reference, the hooks'
// identities, tensor hygiene, and I-1 (an untrained model sits at ln V on both copies).

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { createRng } from '../../src/engine/shared/rng';
import { inductionShape, validateInductionConfig } from '../../src/engine/transformer/config';
import { evalSet, sampleBatch } from '../../src/engine/transformer/data';
import { evaluate } from '../../src/engine/transformer/evaluate';
import { createTransformerTrainer } from '../../src/engine/transformer/index';
import { cloneParams, dHead, initParams, namedParams, type ActivationSite, type TransformerParams, type TransformerShape } from '../../src/engine/transformer/model';
import { TfjsTransformer } from '../../src/engine/transformer/tfjsTransformer';
import { finiteDifferences, referenceLogits, referenceLoss } from './transformerReference';

beforeAll(async () => {
  await initBackend(['wasm']);
});

const opts = { seed: 1, lr: 1e-2, weightDecay: 0 };
const tiny: TransformerShape = { layers: 2, heads: 2, dModel: 8, vocab: 7, ctx: 8, mlp: false, dMlp: 12, layerNorm: false };
const tinyFull: TransformerShape = { ...tiny, mlp: true, layerNorm: true };

/** Random tokens [B][T] with BOS first. */
function tokensFor(shape: TransformerShape, B: number, T: number, seed: number): Int32Array {
  const g = createRng(seed);
  const x = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    x[b * T] = shape.vocab - 1;
    for (let t = 1; t < T; t++) x[b * T + t] = Math.floor(g.next() * (shape.vocab - 1));
  }
  return x;
}

/**
 * Parameters far from init (larger weights, random LayerNorm gains and biases), so attention is peaked
 * and every gradient term matters.
 */
function sharpParams(shape: TransformerShape, seed: number): TransformerParams {
  const p = initParams(shape, seed);
  const g = createRng(seed + 100);
  for (const np of namedParams(p)) {
    for (let i = 0; i < np.data.length; i++) {
      if (np.name.endsWith('g') || np.name === 'lnfG') np.data[i] = 1 + 0.5 * g.normal();
      else if (/\.(ln\d?b|bin|bout)$|lnfB/.test(np.name)) np.data[i] = 0.3 * g.normal();
      else np.data[i] *= 3;
    }
  }
  return p;
}

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

describe('TF.js transformer: forward and gradients against a float64 reference', () => {
  for (const shape of [tiny, tinyFull]) {
    const label = shape.mlp ? 'with MLP and LayerNorm' : 'attention-only';
    it(`logits and loss match (${label})`, () => {
      const p = sharpParams(shape, 3);
      const t = new TfjsTransformer(shape, opts, p);
      const B = 3;
      const T = 8;
      const tokens = tokensFor(shape, B, T, 4);
      const ref = referenceLogits(p, tokens, B, T);
      const got = t.forward(tokens, B, T).logits;
      expect(maxAbsDiff(got, ref)).toBeLessThan(2e-5 * Math.max(1, maxAbs(ref)));
      expect(t.gradientsOn(tokens, B).loss).toBeCloseTo(referenceLoss(p, tokens, B, T), 5);
      // shorter sequences use the first T positions
      const short = tokens.slice(0, B * 5).map((_, i) => tokens[Math.floor(i / 5) * T + (i % 5)]);
      expect(maxAbsDiff(t.forward(short, B, 5).logits, referenceLogits(p, short, B, 5))).toBeLessThan(2e-5 * Math.max(1, maxAbs(ref)));
      t.dispose();
    });

    it(`every parameter's gradient matches central finite differences (${label})`, () => {
      const p = sharpParams(shape, 5);
      const t = new TfjsTransformer(shape, opts, p);
      const B = 2;
      const T = 8;
      const tokens = tokensFor(shape, B, T, 6);
      const { grads } = t.gradientsOn(tokens, B);
      const g = createRng(9);
      for (const np of namedParams(p)) {
        const grad = grads.get(np.name)!;
        expect(grad).toHaveLength(np.data.length);
        // the largest-gradient entry plus a few random ones
        let top = 0;
        for (let i = 1; i < grad.length; i++) if (Math.abs(grad[i]) > Math.abs(grad[top])) top = i;
        const idx = [top, ...Array.from({ length: 5 }, () => Math.floor(g.next() * grad.length))];
        const fd = finiteDifferences(p, np.name, idx, tokens, B, T);
        const scale = Math.max(...idx.map((i) => Math.abs(grad[i])), 1e-3);
        idx.forEach((i, k) => expect(Math.abs(grad[i] - fd[k]), `${np.name}[${i}]: tfjs ${grad[i]} vs fd ${fd[k]}`).toBeLessThan(2e-3 * scale + 2e-5));
        expect(Math.abs(grad[top]), `${np.name} has a non-trivial gradient`).toBeGreaterThan(1e-4);
      }
      t.dispose();
    });
  }
});

describe('training', () => {
  it('the first Adam step moves every weight by ≈ lr (bias-corrected Adam) and lowers the loss on that batch', () => {
    const t = new TfjsTransformer(tiny, opts);
    const before = t.params();
    const tokens = tokensFor(tiny, 4, 8, 1);
    const loss0 = t.trainStep(tokens, 4);
    const after = t.params();
    expect(t.stepsDone).toBe(1);
    const a = namedParams(after);
    namedParams(before).forEach((np, k) => {
      const grad = np.data.map((x, i) => a[k].data[i] - x);
      // |Δ| = lr·|g|/(|g| + eps) ≈ lr wherever the gradient is non-zero
      expect(maxAbs(grad)).toBeLessThanOrEqual(opts.lr * 1.0001);
      expect(maxAbs(grad)).toBeGreaterThan(opts.lr * 0.99);
    });
    const loss1 = t.gradientsOn(tokens, 4).loss;
    expect(loss1).toBeLessThan(loss0);
    t.dispose();
  });

  it('same seed, same batches: the same losses; params()/setParams() round-trip and keep training', () => {
    const a = new TfjsTransformer(tiny, opts);
    const b = new TfjsTransformer(tiny, opts);
    const g = createRng(2);
    for (let s = 0; s < 5; s++) {
      const x = sampleBatch({ vocab: 6, ctx: 8, repeat: 'random' }, g, 4);
      expect(b.trainStep(x, 4)).toBe(a.trainStep(x, 4));
    }
    const p = a.params();
    expect(p.shape).toEqual(tiny);
    const c = new TfjsTransformer(tiny, { ...opts, seed: 99 });
    c.setParams(p);
    expect(namedParams(c.params()).map((n) => Array.from(n.data))).toEqual(namedParams(p).map((n) => Array.from(n.data)));
    const x = tokensFor(tiny, 2, 8, 3);
    expect(c.forward(x, 2, 8).logits).toEqual(a.forward(x, 2, 8).logits);
    expect(() => c.setParams(initParams({ ...tiny, dModel: 16 }, 1))).toThrow(/different shape/);
    for (const t of [a, b, c]) t.dispose();
  });

  it('rejects bad token batches', () => {
    const t = new TfjsTransformer(tiny, opts);
    expect(() => t.trainStep(new Int32Array(7), 2)).toThrow(/do not split/);
    expect(() => t.trainStep(new Int32Array(2 * 9), 2)).toThrow(/context length 8/);
    expect(() => t.trainStep(new Int32Array(16).fill(7), 2)).toThrow(/outside 0 … 6/);
    expect(() => t.forward(new Int32Array(16), 2, 7)).toThrow(/B × T/);
    t.dispose();
    expect(() => t.forward(new Int32Array(16), 2, 8)).toThrow(/disposed/);
  });

  it('the factory: auto and tfjs give the TF.js engine; fused says it is not available yet', () => {
    const t = createTransformerTrainer(tiny, opts, 'auto');
    expect(t.engine).toBe('tfjs');
    t.dispose();
    expect(() => createTransformerTrainer(tiny, opts, 'fused')).toThrow('fused transformer engine not available');
  });
});

describe('forward hooks', () => {
  const B = 2;
  const T = 8;

  for (const shape of [tiny, tinyFull]) {
    const label = shape.mlp ? 'with MLP and LayerNorm' : 'attention-only';

    it(`zero-ablating a head = removing its rows of Wo (${label})`, () => {
      const p = sharpParams(shape, 11);
      const t = new TfjsTransformer(shape, opts, p);
      const tokens = tokensFor(shape, B, T, 12);
      const dh = dHead(shape);
      for (const [layer, head] of [[0, 1], [1, 0]]) {
        const without = cloneParams(p);
        without.layers[layer].Wo.fill(0, head * dh * shape.dModel, (head + 1) * dh * shape.dModel);
        const u = new TfjsTransformer(shape, opts, without);
        const ablated = t.forward(tokens, B, T, { ablate: [{ layer, head, mode: 'zero' }] }).logits;
        expect(maxAbsDiff(ablated, u.forward(tokens, B, T).logits)).toBeLessThan(1e-5);
        expect(maxAbsDiff(ablated, t.forward(tokens, B, T).logits)).toBeGreaterThan(1e-3);
        u.dispose();
      }
      t.dispose();
    });

    it(`patterns are causal distributions; recorded activations add up to the residual stream (${label})`, () => {
      const t = new TfjsTransformer(shape, opts, sharpParams(shape, 13));
      const tokens = tokensFor(shape, B, T, 14);
      const r = t.forward(tokens, B, T, { record: true });
      const { heads: H, dModel: d, layers } = shape;
      expect(r.patterns).toHaveLength(layers);
      for (const A of r.patterns) {
        expect(A).toHaveLength(B * H * T * T);
        for (let row = 0; row < B * H * T; row++) {
          const i = row % T;
          let sum = 0;
          for (let j = 0; j < T; j++) {
            const a = A[row * T + j];
            if (j > i) expect(a).toBe(0);
            sum += a;
          }
          expect(sum).toBeCloseTo(1, 5);
        }
      }
      const act = r.activations!;
      expect(act.embed).toHaveLength(1);
      expect(act.resid).toHaveLength(layers);
      expect(r.headOutputs).toHaveLength(layers);
      expect(r.headOutputs![0]).toHaveLength(B * T * d);
      if (shape.mlp) expect(act.mlpHidden![0]).toHaveLength(B * T * shape.dMlp);
      for (let l = 0; l < layers; l++) {
        const before = l === 0 ? act.embed![0] : act.resid![l - 1];
        const sum = before.map((x, i) => x + act.attnOut![l][i] + (shape.mlp ? act.mlpOut![l][i] : 0));
        expect(maxAbsDiff(sum, act.resid![l])).toBeLessThan(1e-5);
      }
      t.dispose();
    });

    it(`an identity patch changes nothing; restoring the last residual restores the logits (${label})`, () => {
      const t = new TfjsTransformer(shape, opts, sharpParams(shape, 15));
      const tokens = tokensFor(shape, B, T, 16);
      const clean = t.forward(tokens, B, T, { record: true });
      const calls: string[] = [];
      const same = t.forward(tokens, B, T, { patch: (site, layer) => void calls.push(`${site}${layer}`) });
      expect(same.logits).toEqual(clean.logits);
      const sites: ActivationSite[] = shape.mlp ? ['attnOut', 'mlpHidden', 'mlpOut', 'resid'] : ['attnOut', 'resid'];
      expect(calls).toEqual(['embed0', ...[0, 1].flatMap((l) => sites.map((s) => `${s}${l}`))]);
      // corrupt the embedding (as causal tracing does), then write the clean last residual back
      const last = shape.layers - 1;
      const noisy = (site: ActivationSite, _l: number, data: Float32Array) => {
        if (site === 'embed') for (let i = 0; i < data.length; i++) data[i] += Math.sin(i);
      };
      const corrupted = t.forward(tokens, B, T, { patch: noisy });
      expect(maxAbsDiff(corrupted.logits, clean.logits)).toBeGreaterThan(1e-2);
      const restored = t.forward(tokens, B, T, {
        patch: (site, layer, data) => {
          noisy(site, layer, data);
          if (site === 'resid' && layer === last) data.set(clean.activations!.resid![last]);
        },
      });
      expect(maxAbsDiff(restored.logits, clean.logits)).toBeLessThan(1e-5);
      t.dispose();
    });
  }

  it('recorded values are the ones used: after a patch, after an ablation', () => {
    const t = new TfjsTransformer(tiny, opts, sharpParams(tiny, 19));
    const tokens = tokensFor(tiny, B, T, 20);
    const clean = t.forward(tokens, B, T, { record: true });
    const r = t.forward(tokens, B, T, {
      record: true,
      ablate: [{ layer: 1, head: 0, mode: 'zero' }],
      patch: (site, layer, data) => {
        if (site === 'attnOut' && layer === 0) for (let i = 0; i < data.length; i++) data[i] += 1;
      },
    });
    expect(maxAbsDiff(r.activations!.attnOut![0], clean.activations!.attnOut![0].map((x) => x + 1))).toBeLessThan(1e-6);
    const dh = dHead(tiny);
    const z = r.headOutputs![1];
    for (let row = 0; row < B * T; row++) for (let c = 0; c < dh; c++) expect(z[row * tiny.heads * dh + c]).toBe(0);
    expect(maxAbs(z)).toBeGreaterThan(0);
    t.dispose();
  });

  it('mean-ablating a head with its own output changes nothing; with another mean it does', () => {
    const t = new TfjsTransformer(tiny, opts, sharpParams(tiny, 17));
    const tokens = tokensFor(tiny, 1, T, 18);
    const clean = t.forward(tokens, 1, T, { record: true });
    const { heads: H } = tiny;
    const dh = dHead(tiny);
    const own = new Float32Array(T * dh);
    for (let i = 0; i < T; i++) own.set(clean.headOutputs![1].subarray((i * H + 1) * dh, (i * H + 2) * dh), i * dh);
    const same = t.forward(tokens, 1, T, { ablate: [{ layer: 1, head: 1, mode: 'mean', mean: own }] });
    expect(maxAbsDiff(same.logits, clean.logits)).toBeLessThan(1e-6);
    const shifted = t.forward(tokens, 1, T, { ablate: [{ layer: 1, head: 1, mode: 'mean', mean: own.map((x) => x + 1) }] });
    expect(maxAbsDiff(shifted.logits, clean.logits)).toBeGreaterThan(1e-3);
    expect(() => t.forward(tokens, 1, T, { ablate: [{ layer: 1, head: 1, mode: 'mean', mean: new Float32Array(3) }] })).toThrow(/T × dHead/);
    expect(() => t.forward(tokens, 1, T, { ablate: [{ layer: 0, head: 2, mode: 'zero' }] })).toThrow(/no head 2/);
    t.dispose();
  });
});

describe('tensor hygiene', () => {
  it('no tensors leak over 200 steps and forward calls; dispose frees everything', () => {
    const baseline = tf.memory().numTensors;
    const t = new TfjsTransformer(tinyFull, opts);
    const x = tokensFor(tinyFull, 4, 8, 1);
    t.trainStep(x, 4);
    const afterFirst = tf.memory().numTensors;
    for (let s = 0; s < 200; s++) t.trainStep(x, 4);
    expect(tf.memory().numTensors).toBe(afterFirst);
    t.forward(x, 4, 8);
    const afterForward = tf.memory().numTensors; // a causal mask per new T is cached
    t.forward(x, 4, 8, { record: true, patch: () => {}, ablate: [{ layer: 0, head: 0, mode: 'zero' }] });
    t.gradientsOn(x, 4);
    t.params();
    t.setParams(t.params());
    expect(tf.memory().numTensors).toBe(afterForward);
    t.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('I-1: an untrained model is at ln V on the eval form', () => {
  it('per-token loss within ±0.1 of ln V on both copies (default config)', () => {
    const config = validateInductionConfig({}).config!;
    const t = createTransformerTrainer(inductionShape(config), { seed: config.seed, lr: config.lr, weightDecay: 0 }, 'tfjs');
    const set = evalSet(config.vocab, config.ctx);
    const e = evaluate(t, set);
    const lnV = Math.log(config.vocab);
    const L = set.L;
    // positions 1 … L−1 predict r_2..r_L of the first copy, L+1 … 2L−1 those of the second
    for (let i = 1; i <= 2 * L - 1; i++) if (i !== L) expect(Math.abs(e.lossByPosition[i] - lnV), `position ${i}`).toBeLessThan(0.1);
    expect(Math.abs(e.firstCopyLoss - lnV)).toBeLessThan(0.1);
    expect(Math.abs(e.secondCopyLoss - lnV)).toBeLessThan(0.1);
    t.dispose();
  });
});
