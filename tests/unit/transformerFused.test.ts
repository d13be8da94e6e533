// The fused transformer against a float64 reference written here from model.ts's definition (no code
// shared with the engine): forward logits and patterns, every parameter's gradient against central
// finite differences of the reference loss, the forward hooks, and determinism.

import { describe, expect, it } from 'vitest';
import { FusedTransformer } from '../../src/engine/transformer/fusedTransformer';
import { cloneParams, initParams, namedParams, type TransformerParams, type TransformerShape } from '../../src/engine/transformer/model';
import { createRng } from '../../src/engine/shared/rng';

const small = (over: Partial<TransformerShape> = {}): TransformerShape => ({
  layers: 2, heads: 2, dModel: 8, vocab: 7, ctx: 6, mlp: false, dMlp: 16, layerNorm: false, ...over,
});

const VARIANTS: [string, Partial<TransformerShape>][] = [
  ['attention only', {}],
  ['MLP', { mlp: true }],
  ['LayerNorm', { layerNorm: true }],
  ['MLP and LayerNorm', { mlp: true, layerNorm: true }],
];

function randomTokens(shape: TransformerShape, B: number, T: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const out = new Int32Array(B * T);
  for (let i = 0; i < out.length; i++) out[i] = i % T === 0 ? shape.vocab - 1 : Math.floor(rng.next() * (shape.vocab - 1));
  return out;
}

/** Parameters away from their init (LayerNorm gains 1, biases 0 would hide mistakes in those gradients). */
function perturbed(p: TransformerParams, seed: number, size = 0.3): TransformerParams {
  const q = cloneParams(p);
  const rng = createRng(seed);
  for (const { data } of namedParams(q)) for (let i = 0; i < data.length; i++) data[i] += size * (rng.next() - 0.5);
  return q;
}

// ---- the float64 reference ----

type Mat = Float64Array[];
type RefParams = Record<string, Float64Array>;


function matmul(x: Mat, w: Float64Array, n: number): Mat {
  const k = x[0].length;
  return x.map((row) => {
    const y = new Float64Array(n);
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) y[j] += row[i] * w[i * n + j];
    return y;
  });
}

function layerNorm(x: Mat, g: Float64Array, b: Float64Array): Mat {
  return x.map((row) => {
    const d = row.length;
    const mean = row.reduce((s, v) => s + v, 0) / d;
    const v = row.reduce((s, x) => s + (x - mean) ** 2, 0) / d;
    return row.map((x, j) => ((x - mean) / Math.sqrt(v + 1e-5)) * g[j] + b[j]);
  });
}

const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

interface RefOut {
  /** per sequence [T][V] */
  logits: Mat[];
  /** per sequence, layer, head: [T][T] */
  patterns: Mat[][][];
  loss: number;
}

function reference(shape: TransformerShape, p: RefParams, tokens: Int32Array, B: number, T: number, zeroHeads: [number, number][] = []): RefOut {
  const { dModel: d, heads: H, vocab: V, dMlp } = shape;
  const dh = d / H;
  const logits: Mat[] = [];
  const patterns: Mat[][][] = [];
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const tok = Array.from(tokens.subarray(b * T, (b + 1) * T));
    let x: Mat = tok.map((t, i) => p.E.subarray(t * d, (t + 1) * d).map((e, j) => e + p.P[i * d + j]));
    const seqPatterns: Mat[][] = [];
    for (let l = 0; l < shape.layers; l++) {
      const L = (k: string) => p[`L${l}.${k}`];
      const a = shape.layerNorm ? layerNorm(x, L('ln1g'), L('ln1b')) : x;
      const q = matmul(a, L('Wq'), d), k = matmul(a, L('Wk'), d), v = matmul(a, L('Wv'), d);
      const z: Mat = Array.from({ length: T }, () => new Float64Array(d));
      const headPatterns: Mat[] = [];
      for (let h = 0; h < H; h++) {
        const A: Mat = [];
        for (let i = 0; i < T; i++) {
          const s = new Float64Array(T).fill(-Infinity);
          for (let j = 0; j <= i; j++) {
            let dot = 0;
            for (let c = 0; c < dh; c++) dot += q[i][h * dh + c] * k[j][h * dh + c];
            s[j] = dot / Math.sqrt(dh);
          }
          const mx = Math.max(...s);
          const e = s.map((x) => Math.exp(x - mx));
          const sum = e.reduce((u, w) => u + w, 0);
          A.push(e.map((x) => x / sum));
          const ablated = zeroHeads.some(([al, ah]) => al === l && ah === h);
          for (let j = 0; j <= i && !ablated; j++) for (let c = 0; c < dh; c++) z[i][h * dh + c] += A[i][j] * v[j][h * dh + c];
        }
        headPatterns.push(A);
      }
      seqPatterns.push(headPatterns);
      const attnOut = matmul(z, L('Wo'), d);
      x = x.map((row, i) => row.map((r, j) => r + attnOut[i][j]));
      if (shape.mlp) {
        const m = shape.layerNorm ? layerNorm(x, L('ln2g'), L('ln2b')) : x;
        const hid = matmul(m, L('Win'), dMlp).map((row) => row.map((u, j) => gelu(u + L('bin')[j])));
        const out = matmul(hid, L('Wout'), d);
        x = x.map((row, i) => row.map((r, j) => r + out[i][j] + L('bout')[j]));
      }
    }
    const f = shape.layerNorm ? layerNorm(x, p.lnfG, p.lnfB) : x;
    const lg = matmul(f, p.U, V);
    for (let i = 0; i < T - 1; i++) {
      const mx = Math.max(...lg[i]);
      const lse = mx + Math.log(lg[i].reduce((s, u) => s + Math.exp(u - mx), 0));
      loss += lse - lg[i][tok[i + 1]];
    }
    logits.push(lg);
    patterns.push(seqPatterns);
  }
  return { logits, patterns, loss: loss / (B * (T - 1)) };
}

function refParams(p: TransformerParams): RefParams {
  return Object.fromEntries(namedParams(p).map((q) => [q.name, Float64Array.from(q.data)]));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('fused transformer: forward against the float64 reference', () => {
  for (const [name, over] of VARIANTS) {
    it(`${name}: logits and patterns (T < ctx)`, () => {
      const shape = small(over);
      const model = new FusedTransformer(shape, { lr: 1e-2, seed: 3 });
      const p = perturbed(model.params(), 4);
      model.setParams(p);
      const B = 3, T = 5;
      const tokens = randomTokens(shape, B, T, 5);
      const out = model.forward(tokens, B, T);
      const ref = reference(shape, refParams(p), tokens, B, T);
      expect(maxAbsDiff(out.logits, ref.logits.flatMap((m) => m.flatMap((r) => Array.from(r))))).toBeLessThan(2e-5);
      const H = shape.heads;
      for (let l = 0; l < shape.layers; l++) {
        const flat: number[] = [];
        for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (const row of ref.patterns[b][l][h]) flat.push(...row);
        expect(maxAbsDiff(out.patterns[l], flat)).toBeLessThan(2e-6);
      }
    });
  }
});

describe('fused transformer: gradients against central finite differences of the float64 reference', () => {
  for (const [name, over] of VARIANTS) {
    for (const simd of [true, false]) {
      it(`${name} (${simd ? 'SIMD kernel' : 'JavaScript twin'}): every parameter`, () => {
        const shape = small(over);
        const model = new FusedTransformer(shape, { lr: 1e-2, seed: 7, simd });
        const p = perturbed(model.params(), 8);
        model.setParams(p);
        const B = 3, T = shape.ctx;
        const tokens = randomTokens(shape, B, T, 9);
        const { loss, grads } = model.gradientsOn(tokens, B);
        const ref = refParams(p);
        expect(Math.abs(loss - reference(shape, ref, tokens, B, T).loss)).toBeLessThan(1e-6);
        const h = 1e-5;
        const errors: Record<string, number> = {};
        for (const [name, grad] of grads) {
          const w = ref[name];
          let worst = 0, scale = 0;
          for (let i = 0; i < w.length; i++) {
            const keep = w[i];
            w[i] = keep + h;
            const up = reference(shape, ref, tokens, B, T).loss;
            w[i] = keep - h;
            const down = reference(shape, ref, tokens, B, T).loss;
            w[i] = keep;
            const fd = (up - down) / (2 * h);
            worst = Math.max(worst, Math.abs(fd - grad[i]));
            scale = Math.max(scale, Math.abs(fd));
          }
          errors[name] = worst / Math.max(scale, 1e-6);
        }
        const max = Math.max(...Object.values(errors));
        console.log(`gradient check, ${name}, ${simd ? 'simd' : 'js'}: max relative error ${max.toExponential(2)}`);
        for (const [param, err] of Object.entries(errors)) expect(err, param).toBeLessThan(1e-5);
      });
    }
  }
});

describe('fused transformer: forward hooks', () => {
  const shape = small({ mlp: true, layerNorm: true });
  const B = 2, T = 6;
  const setup = () => {
    const model = new FusedTransformer(shape, { lr: 1e-2, seed: 11 });
    model.setParams(perturbed(model.params(), 12));
    return { model, tokens: randomTokens(shape, B, T, 13) };
  };

  it('zero-ablating a head equals the model without it (its rows of Wo zeroed), and matches the reference', () => {
    const { model, tokens } = setup();
    const ablated = model.forward(tokens, B, T, { ablate: [{ layer: 1, head: 0, mode: 'zero' }] });
    const p = model.params();
    const dh = shape.dModel / shape.heads;
    p.layers[1].Wo.fill(0, 0, dh * shape.dModel);
    const without = new FusedTransformer(shape, { lr: 1e-2, seed: 11 });
    without.setParams(p);
    expect(maxAbsDiff(ablated.logits, without.forward(tokens, B, T).logits)).toBeLessThan(1e-6);
    const ref = reference(shape, refParams(model.params()), tokens, B, T, [[1, 0]]);
    expect(maxAbsDiff(ablated.logits, ref.logits.flatMap((m) => m.flatMap((r) => Array.from(r))))).toBeLessThan(2e-5);
    expect(maxAbsDiff(ablated.logits, model.forward(tokens, B, T).logits)).toBeGreaterThan(1e-3);
  });

  it("mean-ablating a head with its own output changes nothing; with zeros it equals zero-ablation", () => {
    const { model, tokens } = setup();
    const one = tokens.subarray(0, T);
    const clean = model.forward(one, 1, T, { record: true });
    const dh = shape.dModel / shape.heads;
    const own = new Float32Array(T * dh);
    for (let t = 0; t < T; t++) own.set(clean.headOutputs![0].subarray(t * shape.dModel + dh, t * shape.dModel + 2 * dh), t * dh);
    const same = model.forward(one, 1, T, { ablate: [{ layer: 0, head: 1, mode: 'mean', mean: own }] });
    expect(same.logits).toEqual(clean.logits);
    const zeroMean = model.forward(tokens, B, T, { ablate: [{ layer: 0, head: 1, mode: 'mean', mean: new Float32Array(T * dh) }] });
    const zero = model.forward(tokens, B, T, { ablate: [{ layer: 0, head: 1, mode: 'zero' }] });
    expect(zeroMean.logits).toEqual(zero.logits);
  });

  it('patch is called once per site and layer in order; an identity patch leaves the logits unchanged', () => {
    const { model, tokens } = setup();
    const clean = model.forward(tokens, B, T);
    const calls: string[] = [];
    const patched = model.forward(tokens, B, T, { patch: (site, layer, data) => calls.push(`${site}${layer}:${data.length}`) });
    const rd = B * T * shape.dModel, rh = B * T * shape.dMlp;
    const layer = (l: number) => [`attnOut${l}:${rd}`, `mlpHidden${l}:${rh}`, `mlpOut${l}:${rd}`, `resid${l}:${rd}`];
    expect(calls).toEqual([`embed0:${rd}`, ...layer(0), ...layer(1)]);
    expect(patched.logits).toEqual(clean.logits);
  });

  it('in-place patches take effect: zeroing every attnOut equals the model with Wo = 0', () => {
    const { model, tokens } = setup();
    const patched = model.forward(tokens, B, T, { patch: (site, _l, data) => site === 'attnOut' && data.fill(0) });
    const p = model.params();
    for (const L of p.layers) L.Wo.fill(0);
    const noAttn = new FusedTransformer(shape, { lr: 1e-2, seed: 11 });
    noAttn.setParams(p);
    expect(maxAbsDiff(patched.logits, noAttn.forward(tokens, B, T).logits)).toBeLessThan(1e-6);
  });

  it('a patched residual stream propagates (restoring a clean run into a corrupted one)', () => {
    const { model, tokens } = setup();
    const clean = model.forward(tokens, B, T, { record: true });
    const corrupted = tokens.slice();
    corrupted[1] = (corrupted[1] + 1) % (shape.vocab - 1);
    const restored = model.forward(corrupted, B, T, { patch: (site, l, data) => site === 'resid' && l === shape.layers - 1 && data.set(clean.activations!.resid![l]) });
    expect(maxAbsDiff(restored.logits, clean.logits)).toBeLessThan(1e-6);
    expect(maxAbsDiff(model.forward(corrupted, B, T).logits, clean.logits)).toBeGreaterThan(1e-3);
  });

  it('record returns every activation, consistent with each other', () => {
    const { model, tokens } = setup();
    const out = model.forward(tokens, B, T, { record: true });
    const acts = out.activations!;
    const rd = B * T * shape.dModel;
    expect(acts.embed!.map((a) => a.length)).toEqual([rd]);
    for (const site of ['resid', 'attnOut', 'mlpOut'] as const) expect(acts[site]!.map((a) => a.length)).toEqual([rd, rd]);
    expect(acts.mlpHidden!.map((a) => a.length)).toEqual([B * T * shape.dMlp, B * T * shape.dMlp]);
    expect(out.headOutputs!.map((a) => a.length)).toEqual([rd, rd]);
    // resid_l = resid_{l−1} + attnOut_l + mlpOut_l
    const prev = [acts.embed![0], acts.resid![0]];
    for (let l = 0; l < 2; l++) {
      const sum = prev[l].map((x, i) => x + acts.attnOut![l][i] + acts.mlpOut![l][i]);
      expect(maxAbsDiff(sum, acts.resid![l])).toBeLessThan(1e-5);
    }
    // patterns: rows sum to 1, zero above the diagonal
    for (const A of out.patterns) {
      expect(A.length).toBe(B * shape.heads * T * T);
      for (let m = 0; m < B * shape.heads; m++) {
        for (let i = 0; i < T; i++) {
          let s = 0;
          for (let j = 0; j < T; j++) {
            const a = A[(m * T + i) * T + j];
            if (j > i) expect(a).toBe(0);
            s += a;
          }
          expect(s).toBeCloseTo(1, 5);
        }
      }
    }
  });
});

describe('fused transformer: determinism and parameters', () => {
  const shape: TransformerShape = { layers: 2, heads: 2, dModel: 16, vocab: 11, ctx: 12, mlp: true, dMlp: 32, layerNorm: true };
  const batches = Array.from({ length: 30 }, (_, s) => randomTokens(shape, 4, shape.ctx, 100 + s));

  it('same seed and batches ⇒ the same weights, bit for bit', () => {
    const run = () => {
      const m = new FusedTransformer(shape, { lr: 1e-2, weightDecay: 0.01, seed: 5 });
      for (const t of batches) m.trainStep(t, 4);
      return m.params();
    };
    const a = namedParams(run()), b = namedParams(run());
    for (let i = 0; i < a.length; i++) expect(a[i].data).toEqual(b[i].data);
  });

  it('starts from initParams(shape, seed); setParams/params round-trip; trainStep moves every parameter', () => {
    const m = new FusedTransformer(shape, { lr: 1e-2, seed: 5 });
    const p0 = m.params();
    const other = new FusedTransformer(shape, { lr: 1e-2, seed: 6 });
    expect(namedParams(other.params())[0].data).not.toEqual(namedParams(p0)[0].data);
    other.setParams(p0);
    for (const [i, q] of namedParams(other.params()).entries()) expect(q.data).toEqual(namedParams(p0)[i].data);
    const loss = m.trainStep(batches[0], 4);
    expect(loss).toBeGreaterThan(0);
    expect(m.stepsDone).toBe(1);
    const p1 = namedParams(m.params());
    for (const [i, q] of namedParams(p0).entries()) expect(maxAbsDiff(q.data, p1[i].data), q.name).toBeGreaterThan(0);
  });

  it("initParams (the contract): adding an MLP keeps the same seed's other weights", () => {
    const plain = namedParams(initParams({ ...shape, mlp: false, layerNorm: false }, 9));
    const withMlp = new Map(namedParams(initParams(shape, 9)).map((q) => [q.name, q.data]));
    for (const q of plain) expect(withMlp.get(q.name), q.name).toEqual(q.data);
  });

  it('rejects malformed batches', () => {
    const m = new FusedTransformer(shape, { lr: 1e-2, seed: 5 });
    expect(() => m.trainStep(new Int32Array(10), 4)).toThrow();
    expect(() => m.trainStep(new Int32Array(4 * 13), 4)).toThrow();
    expect(() => m.forward(Int32Array.of(0, 11), 1, 2)).toThrow();
  });
});
