// The privileged basis (science.md §1.3, §5.5, A6) with the TIED ReLU-hidden storage model,
// h = ReLU(W x), x' = ReLU(Wᵀ h + b), non-negative sparse inputs, target x. Trained with the
// view's own presets (default seed 1, the fused trainer, which covers the tied model since issue 15: tests/unit/fused.test.ts checks it against TF.js).

import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { trainViewRun } from '../../src/engine/views/runner';
import { findRunSpec, MONOSEMANTIC_SHARE, type NeuronInstance, type NeuronResult } from '../../src/engine/views/views';

beforeAll(async () => {
  await initBackend(['wasm']);
});

/** Each neuron's dominant feature and the share of the row's Σ w² it carries. */
const dominant = (inst: NeuronInstance) => inst.neurons.map((nf) => ({ feature: nf.reads[0]?.feature ?? -1, share: nf.topShare }));

function train(id: string, overrides = {}) {
  const out = trainViewRun(findRunSpec(id)!.run, { overrides });
  expect(out.passes[0].engine).toBe('fused');
  return { result: out.analysis!.result as NeuronResult, W: out.passes[0].snapshot.W, loss: Array.from(out.passes[0].finalLosses) };
}

describe('privileged basis: the tied ReLU-hidden model', () => {
  it('A6: n = 5, m = 5, dense → every neuron monosemantic, on five distinct features (W is permutation-like)', () => {
    const { result, loss } = train('monosemantic');
    const inst = result.instances[0];
    const top = dominant(inst);
    console.log(`A6 n=5 m=5 dense: loss ${loss[0].toExponential(3)}; neuron → feature (share of Σw²): ${top.map((t, j) => `${j}→${t.feature} (${t.share.toFixed(3)})`).join(', ')}`);
    expect(inst.dead).toBe(0);
    for (const t of top) expect(t.share).toBeGreaterThan(MONOSEMANTIC_SHARE);
    expect(new Set(top.map((t) => t.feature)).size).toBe(5);
    expect(inst.monosemanticFraction).toBe(1);
  }, 120_000);

  it('n = 10, m = 5: dense → five monosemantic neurons on the top five features; sparse → polysemantic neurons', () => {
    // the view's sweep at its two ends (S = 0.25 and 0.99), 4000 steps at batch 128, lr 3e-3
    const { result } = train('privileged-basis', { instances: 2 });
    const [dense, sparse] = result.instances;
    const dTop = dominant(dense);
    console.log(`n=10 m=5 S=${dense.sparsity.toFixed(2)}: ${Math.round(dense.monosemanticFraction * 100)}% monosemantic, features ${dTop.map((t) => t.feature).join(',')} (shares ${dTop.map((t) => t.share.toFixed(2)).join(',')})`);
    console.log(`n=10 m=5 S=${sparse.sparsity.toFixed(2)}: ${Math.round(sparse.monosemanticFraction * 100)}% monosemantic, ${sparse.featuresPerNeuron.toFixed(1)} features per neuron, ${sparse.featuresComputed} features read; shares ${dominant(sparse).map((t) => t.share.toFixed(2)).join(',')}`);
    expect(dense.monosemanticFraction).toBe(1);
    expect(dTop.map((t) => t.feature).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
    expect(sparse.polysemantic).toBeGreaterThanOrEqual(1);
    expect(sparse.featuresPerNeuron).toBeGreaterThan(dense.featuresPerNeuron + 1);
    expect(sparse.featuresComputed).toBeGreaterThan(5);
  }, 180_000);
});
