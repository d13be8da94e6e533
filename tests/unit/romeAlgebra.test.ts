// ROME without training: the facts dataset (§2.1), the rank-one algebra, the model file, the TF.js gradient
// forward against the engine and finite differences, and the rome CLI's input validation.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { createRng } from '../../src/engine/shared/rng';
import {
  BOS, buildPrompt, CTX, FILLER_BASE, FIRST_BASE, LAST_BASE, makeFacts, neighbourhood, objectToken, otherRelations, PAD, tokenSharing, trainingBatch, VOCAB,
} from '../../src/engine/rome/facts';
import { DEFAULT_FACTS_CONFIG, factsShape, validateFactsConfig } from '../../src/engine/rome/factsModel';
import { applyRows, applyUpdate, cholesky, choleskySolve, dot, norm, rankOneUpdate, secondMoment, singularValues } from '../../src/engine/rome/linalg';
import { decodeModel, encodeModel } from '../../src/engine/rome/modelFile';
import { tfLogits, tfLogProbsAt, tfModel } from '../../src/engine/rome/tfForward';
import { FusedTransformer } from '../../src/engine/transformer/fusedTransformer';
import { TfjsTransformer } from '../../src/engine/transformer/tfjsTransformer';
import { initParams } from '../../src/engine/transformer/model';

beforeAll(async () => {
  await initBackend(['wasm', 'cpu']);
});

describe('facts dataset (§2.1)', () => {
  const set = makeFacts(1);
  it('has 96 two-token subjects, every first and last name in exactly 6, all distinct', () => {
    expect(set.subjects).toHaveLength(96);
    const a = new Array(16).fill(0), b = new Array(16).fill(0);
    for (const s of set.subjects) a[s.a]++, b[s.b]++;
    expect(a).toEqual(new Array(16).fill(6));
    expect(b).toEqual(new Array(16).fill(6));
    expect(new Set(set.subjects.map((s) => `${s.a},${s.b}`)).size).toBe(96);
  });
  it('has 384 facts with objects from the relation’s own 8, spread over all 8', () => {
    expect(set.facts).toHaveLength(384);
    for (let r = 0; r < 4; r++) {
      const objs = set.facts.filter((f) => f.relation === r).map((f) => f.object);
      expect(new Set(objs).size).toBe(8);
    }
    expect(makeFacts(1)).toEqual(set);
    expect(makeFacts(2).facts.map((f) => f.object)).not.toEqual(set.facts.map((f) => f.object));
  });
  it('builds prompts [BOS, prefix, a, b, t1, t2] of length ≤ 8 and batches with the loss on the object only', () => {
    const p = buildPrompt(set, 5, 2, 1, [3, 7]);
    expect(p.tokens).toHaveLength(7);
    expect(p.tokens[0]).toBe(BOS);
    expect(p.tokens.slice(1, 3)).toEqual([FILLER_BASE + 3, FILLER_BASE + 7]);
    expect([p.subjectFirst, p.subjectLast]).toEqual([3, 4]);
    expect(BOS).toBe(VOCAB - 1);
    const { tokens, weights } = trainingBatch(set, 32, createRng(1));
    for (let i = 0; i < 32; i++) {
      const w = [...weights.subarray(i * CTX, (i + 1) * CTX)];
      const at = w.indexOf(1);
      expect(w.reduce((s, x) => s + x, 0)).toBe(1);
      const obj = tokens[i * CTX + at + 1];
      expect(obj).toBeGreaterThanOrEqual(48);
      expect(obj).toBeLessThan(80);
      for (let t = at + 2; t < CTX; t++) expect(tokens[i * CTX + t]).toBe(PAD);
    }
  });
  it('mixes in subject biographies [BOS, prefix, a, b, four objects] with the loss on every object', () => {
    const { tokens, weights } = trainingBatch(set, 400, createRng(3), 0.5);
    let bios = 0;
    for (let i = 0; i < 400; i++) {
      const row = [...tokens.subarray(i * CTX, (i + 1) * CTX)];
      const w = [...weights.subarray(i * CTX, (i + 1) * CTX)];
      const n = w.reduce((s, x) => s + x, 0);
      if (n === 1) continue; // a question prompt (checked above)
      bios++;
      expect(n).toBe(4);
      const from = w.indexOf(1);
      const [a, b] = [row[from - 1], row[from]];
      const subject = set.subjects.findIndex((s) => s.a === a - FIRST_BASE && s.b === b - LAST_BASE);
      expect(subject).toBeGreaterThanOrEqual(0);
      // the four objects follow in some order, each the subject's true object of its relation
      const objects = row.slice(from + 1, from + 5).sort((x, y) => x - y);
      expect(objects).toEqual([0, 1, 2, 3].map((r) => objectToken(r, set.facts[subject * 4 + r].object)));
      expect(w.slice(from, from + 4)).toEqual([1, 1, 1, 1]);
    }
    expect(bios).toBeGreaterThan(150);
    expect(bios).toBeLessThan(250);
  });
  it('neighbours: same relation and object, other subject; token sharing; other relations', () => {
    const f = set.facts[40];
    for (const n of neighbourhood(set, f)) expect([n.relation, n.object, n.subject !== f.subject]).toEqual([f.relation, f.object, true]);
    const s = set.subjects[f.subject];
    const ts = tokenSharing(set, f);
    expect(ts.length).toBe(10); // 5 others share a, 5 share b (no pair is repeated)
    for (const n of ts) expect(set.subjects[n.subject].a === s.a || set.subjects[n.subject].b === s.b).toBe(true);
    expect(otherRelations(set, f).map((o) => o.relation).sort()).toEqual([0, 1, 2, 3].filter((r) => r !== f.relation));
    expect(objectToken(3, 7)).toBe(79);
  });
  it('validates its config with one message per problem', () => {
    const r = validateFactsConfig({ dModel: 30, heads: 4, lr: 0 }, undefined, { naming: 'flag' });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual(['--lr must be a number above 0 and at most 1; got 0']);
    expect(validateFactsConfig({ dModel: 30, heads: 4 }, undefined, { naming: 'flag' }).errors).toEqual(['--d-model (30) must be a multiple of --heads (4)']);
  });
});

describe('rank-one algebra (R-6)', () => {
  const n = 24, d = 6;
  const g = createRng(7);
  // keys with very different variances per direction (like dead and live MLP units)
  const keys = new Float64Array(500 * n).map((_, i) => g.normal() * (1 + (i % n)) * 0.1);
  const W = new Float32Array(n * d).map(() => g.normal() * 0.3);
  const bias = new Float32Array(d).map(() => g.normal() * 0.1);
  const kStar = Float64Array.from({ length: n }, () => Math.abs(g.normal()));
  const vStar = Float64Array.from({ length: d }, () => g.normal());
  const { C } = secondMoment(keys, n, 1e-4);
  const L = cholesky(C, n);

  it('hits Ŵk* + b = v* to 1e-4, is rank one, and leaves keys with kᵀC⁻¹k* = 0 unchanged', () => {
    const up = rankOneUpdate(W, bias, kStar, vStar, n, d, L);
    const W2 = applyUpdate(W, up, n, d);
    const out = applyRows(W2, kStar, n, d, bias);
    expect(norm(out.map((x, j) => x - vStar[j])) / norm(vStar)).toBeLessThan(1e-4);
    const dW = W2.map((x, i) => x - W[i]);
    const sv = singularValues(dW, n, d);
    expect(sv[1] / sv[0]).toBeLessThan(1e-3);
    // a key orthogonal to u = C⁻¹k*: its output does not move
    const u = choleskySolve(L, n, kStar);
    const k = Float64Array.from({ length: n }, () => g.normal());
    const c = dot(k, u) / dot(u, u);
    for (let i = 0; i < n; i++) k[i] -= c * u[i];
    const before = applyRows(W, k, n, d, bias), after = applyRows(W2, k, n, d, bias);
    expect(norm(after.map((x, j) => x - before[j])) / norm(before)).toBeLessThan(1e-5);
  });
  it('C⁻¹ solves and the naive update (no C⁻¹) also hits the target but moves other keys more', () => {
    const x = choleskySolve(L, n, kStar);
    const back = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) back[i] += C[i * n + j] * x[j];
    expect(norm(back.map((v, i) => v - kStar[i])) / norm(kStar)).toBeLessThan(1e-9);
    const rome = applyUpdate(W, rankOneUpdate(W, bias, kStar, vStar, n, d, L), n, d);
    const naive = applyUpdate(W, rankOneUpdate(W, bias, kStar, vStar, n, d, null), n, d);
    expect(norm(applyRows(naive, kStar, n, d, bias).map((v, j) => v - vStar[j])) / norm(vStar)).toBeLessThan(1e-4);
    // mean squared change of the stored values V = K W over the keys C was built from: ROME minimises it
    const change = (W2: Float32Array) => {
      let s = 0;
      for (let r = 0; r < 500; r++) {
        const k = keys.subarray(r * n, (r + 1) * n);
        const a = applyRows(W2, k, n, d), b = applyRows(W, k, n, d);
        s += a.reduce((t, v, j) => t + (v - b[j]) ** 2, 0);
      }
      return s;
    };
    expect(change(rome)).toBeLessThan(change(naive));
  });
});

describe('model file and the TF.js gradient forward', () => {
  const config = { ...DEFAULT_FACTS_CONFIG, layers: 2, dModel: 16, heads: 2 };
  const params = initParams(factsShape(config), 5);
  it('round-trips the parameters exactly', () => {
    const file = JSON.parse(JSON.stringify(encodeModel(config, params, { engine: 'fused', steps: 0, trainSeconds: 0, accuracy: { all: 0, rewrite: 0, paraphrase: 0 } })));
    const back = decodeModel(file);
    expect(back.config).toEqual(config);
    expect(back.params).toEqual(params);
    expect(() => decodeModel({ ...file, params: file.params.slice(0, 100) })).toThrow(/parameters/);
  });
  it('gives the engine’s logits, and ∂loss/∂δ at an MLP output matches finite differences', () => {
    const engine = new FusedTransformer(factsShape(config), { lr: 1e-3, seed: 5 });
    const set = makeFacts(1);
    const prompts = [buildPrompt(set, 3, 1, 0, [2]), buildPrompt(set, 9, 2, 1, [])];
    const T = 6;
    const tokens = new Int32Array(2 * T).fill(PAD);
    prompts.forEach((p, i) => tokens.set(p.tokens, i * T));
    const ref = engine.forward(tokens, 2, T).logits;
    const m = tfModel(params);
    const mine = tf.tidy(() => tfLogits(m, tokens, 2, T).dataSync());
    let maxErr = 0;
    for (let i = 0; i < ref.length; i++) maxErr = Math.max(maxErr, Math.abs(ref[i] - mine[i]));
    expect(maxErr).toBeLessThan(1e-4);
    const positions = prompts.map((p) => p.subjectLast);
    const last = prompts.map((p) => p.tokens.length - 1);
    const loss = (delta: tf.Tensor1D) => {
      const lp = tfLogProbsAt(tfLogits(m, tokens, 2, T, { addMlpOut: { layer: 0, positions, delta } }), T, last);
      return tf.neg(tf.sum(tf.mul(lp, tf.oneHot([60, 70], VOCAB).toFloat()))) as tf.Scalar;
    };
    const d0 = Float32Array.from({ length: 16 }, (_, i) => Math.sin(i) * 0.3);
    const grad = tf.tidy(() => tf.grad((x: tf.Tensor) => loss(x as tf.Tensor1D))(tf.tensor1d(d0)).dataSync());
    const h = 1e-2;
    for (const j of [0, 5, 11]) {
      const at = (s: number) => tf.tidy(() => loss(tf.tensor1d(d0.map((x, i) => (i === j ? x + s * h : x)))).dataSync()[0]);
      const fd = (at(1) - at(-1)) / (2 * h);
      expect(Math.abs(grad[j] - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    }
    m.dispose();
    engine.dispose();
  });
});

describe('per-position loss weights (the contract extension)', () => {
  it('both engines give the same weighted loss and gradients; all-ones weights give the plain mean', () => {
    const config = { ...DEFAULT_FACTS_CONFIG, layers: 2, dModel: 16, heads: 2 };
    const fused = new FusedTransformer(factsShape(config), { lr: 1e-3, seed: 4 });
    const tfjs = new TfjsTransformer(factsShape(config), { lr: 1e-3, seed: 4, weightDecay: 0 });
    const { tokens, weights } = trainingBatch(makeFacts(1), 8, createRng(2));
    const a = fused.gradientsOn(tokens, 8, weights);
    const b = tfjs.gradientsOn(tokens, 8, weights);
    expect(a.loss).toBeCloseTo(b.loss, 5);
    const ga = a.grads.get('L1.Wout')!, gb = b.grads.get('L1.Wout')!;
    let err = 0, scale = 0;
    for (let i = 0; i < ga.length; i++) (err = Math.max(err, Math.abs(ga[i] - gb[i]))), (scale = Math.max(scale, Math.abs(gb[i])));
    expect(err).toBeLessThan(1e-4 * scale + 1e-7);
    const ones = new Float32Array(8 * CTX).fill(1);
    expect(fused.gradientsOn(tokens, 8, ones).loss).toBeCloseTo(fused.gradientsOn(tokens, 8).loss, 6);
    expect(() => fused.trainStep(tokens, 8, new Float32Array(8 * CTX))).toThrow(/sum/);
    fused.dispose();
    tfjs.dispose();
  });
});

describe('rome CLI validation', () => {
  const root = join(import.meta.dirname, '..', '..');
  it('exits 2 with one line per bad flag and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rome-'));
    const out = join(dir, 'r.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'rome', '--seed', 'x', '--edits', '0', '--noise-samples', '1.5', '--trace-facts', '-3', '--bogus=1', '--out', out], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l).toMatch(/^error: /);
    expect(r.stderr).toContain('--edits must be an integer from 1 to 384; got "0"');
    expect(existsSync(out)).toBe(false);
    const r2 = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'rome', '--edit-layer', '4', '--layers', '4'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r2.status).toBe(2);
    expect(r2.stderr.trim()).toBe('error: --edit-layer must be auto or a layer from 0 to 3; got 4');
  });
});
