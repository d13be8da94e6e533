// Monitor & ablate (issue 14), the science on the default base with fixed seeds: the privileged-basis toy model
// (n = 10, m = 5, S = 0.95, I = 0.75^i, seed 1) with an SAE of 20 latents, and the induction model (seed 1).
// The goals are asserted where they hold; where one fails the test asserts what was measured and says so.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { DEFAULT_MONITOR_CONFIG, validateMonitorConfig } from '../../src/engine/monitor/config';
import { monitorRecord, runMonitor, type MonitorResult } from '../../src/engine/monitor/run';
import { MONOSEMANTIC_SHARE, topSquaredShare } from '../../src/engine/monitor/toy';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

let toy: MonitorResult;

beforeAll(async () => {
  await initBackend(['wasm']);
  toy = runMonitor(DEFAULT_MONITOR_CONFIG);
  const t = toy.toy!;
  console.log(`base loss ${t.loss.toExponential(3)}; max|w|/Σ|w| per neuron ${t.monosemanticity.map((x) => x.toFixed(2)).join(' ')}; SAE ${JSON.stringify(t.saeSummary)}`);
  for (const f of toy.features) {
    const d = f.detectors, a = f.ablations;
    console.log(
      `feature ${f.target}${f.represented ? '' : ' (not represented)'}: AUROC ${d.neuron.auroc.toFixed(3)}/${d.sae.auroc.toFixed(3)}/${d.probe.auroc.toFixed(3)}; false alarms ${pct(d.neuron.falseAlarms)}/${pct(d.sae.falseAlarms)}/${pct(d.probe.falseAlarms)} (SAE recall ${pct(d.sae.recall)}); ` +
        `removed ${pct(a.neuron.removed)}/${pct(a.sae.removed)}/${pct(a.direction.removed)}; collateral ${a.neuron.collateral.toFixed(3)}/${a.sae.collateral.toFixed(3)}/${a.direction.collateral.toFixed(3)}`,
    );
  }
}, 240_000);

const represented = () => toy.features.filter((f) => f.represented);

describe('monitor & ablate: the privileged-basis toy base (seed 1)', () => {
  it('the base: no neuron monosemantic, eight of ten features represented', () => {
    const t = toy.toy!;
    // the lab's neuron view calls a neuron monosemantic when its top weight carries ≥ 90% of Σw²
    for (const share of topSquaredShare(t.base.W, 5, 10)) expect(share).toBeLessThan(MONOSEMANTIC_SHARE);
    // max|w|/Σ|w| (the measure): every neuron reads several features (measured 0.26–0.45)
    for (const x of t.monosemanticity) expect(x).toBeLessThan(0.5);
    expect(represented().map((f) => f.target)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // dead = never fires on an evaluation set, with no resampling in the last window (measured: 2 of 20)
    expect(t.saeSummary.dead).toBeLessThanOrEqual(3);
  });

  it('AUROC alone barely separates the detectors (ties at zero dominate): all within 0.86–0.97', () => {
    for (const f of represented()) {
      for (const d of ['neuron', 'sae', 'probe'] as const) {
        expect(f.detectors[d].auroc).toBeGreaterThan(0.86);
        expect(f.detectors[d].auroc).toBeLessThan(0.97);
      }
    }
  });

  it('false alarms: the best neuron fires on 27–35% of other-feature inputs; the probe on fewer for every feature', () => {
    for (const f of represented()) {
      expect(f.detectors.neuron.falseAlarms).toBeGreaterThan(0.25);
      expect(f.detectors.neuron.falseAlarms).toBeLessThan(0.4);
      expect(f.detectors.neuron.recall).toBeCloseTo(0.9, 2);
      expect(f.detectors.probe.falseAlarms).toBeLessThan(f.detectors.neuron.falseAlarms); // goal met: 8 of 8
    }
  });

  it('false alarms of the SAE latent: below a third of the neuron\'s for most features (goal met: 7 of 8)', () => {
    const rep = represented();
    const third = rep.filter((f) => f.detectors.sae.falseAlarms < f.detectors.neuron.falseAlarms / 3).map((f) => f.target);
    console.log(`SAE false alarms < neuron/3 for features ${third.join(', ')} of ${rep.length}`);
    // measured: 0.2–5.5% against 27–35% for every feature but 5, whose latent it shares with others (30%)
    expect(third.length).toBeGreaterThan(rep.length / 2);
    expect(third.length).toBeLessThan(rep.length);
    const mean = (k: 'neuron' | 'sae') => rep.reduce((s, f) => s + f.detectors[k].falseAlarms, 0) / rep.length;
    expect(mean('sae')).toBeLessThan(mean('neuron') / 2);
  });

  it('ablation: the neuron removes 12–70% of a feature at a collateral of 0.6–11×; the direction removes all of it', () => {
    for (const f of represented()) {
      expect(f.ablations.neuron.removed).toBeGreaterThan(0.12);
      expect(f.ablations.neuron.removed).toBeLessThan(0.7);
      expect(f.ablations.neuron.collateral).toBeGreaterThan(0.6);
      expect(f.ablations.neuron.collateral).toBeLessThan(11);
      expect(f.ablations.direction.removed).toBeGreaterThan(0.99);
      // mean-ablating the neuron removes a little less than zeroing it
      expect(f.ablations.neuronMean.removed).toBeLessThanOrEqual(f.ablations.neuron.removed + 1e-9);
    }
  });

  it('ablation: subtracting the SAE latent removes ≥ 40% for 7 of 8 features; collateral below a tenth of the neuron\'s for 7 of 8 (goal: all — not met)', () => {
    const rep = represented();
    const removes = rep.filter((f) => f.ablations.sae.removed >= 0.4).map((f) => f.target);
    const cheap = rep.filter((f) => f.ablations.sae.collateral < f.ablations.neuron.collateral / 10).map((f) => f.target);
    console.log(`SAE removes ≥ 40% for ${removes.join(', ')}; collateral < neuron/10 for ${cheap.join(', ')}`);
    // feature 5's best-aligned latent (cos 0.90) barely fires on it: removing that latent removes nothing of 5;
    // the collateral goal fails for feature 0 (0.09 against the neuron's 0.68)
    expect(removes.length).toBe(rep.length - 1);
    expect(cheap.length).toBeGreaterThanOrEqual(4);
    expect(cheap.length).toBeLessThan(rep.length);
    for (const f of rep) expect(f.ablations.sae.collateral).toBeLessThan(f.ablations.neuron.collateral);
  });

  it('steering: adding the target\'s direction switches the feature on for ≥ 90% of inputs where it is absent', () => {
    for (const f of represented()) {
      expect(f.steering[0].onRate).toBeLessThan(0.02);
      expect(f.steering[f.steering.length - 1].onRate).toBeGreaterThan(0.9);
      expect(f.steering[f.steering.length - 1].target).toBeGreaterThan(f.steering[0].target + 0.5);
    }
  });

  it('the CLI record has exactly the issue\'s shape', () => {
    const r = monitorRecord(toy);
    expect(Object.keys(r)).toEqual(['version', 'kind', 'config', 'seconds', 'base', 'features']);
    expect(Object.keys(r.base)).toEqual(['model', 'n', 'm', 'monosemanticity']);
    expect(r.features).toHaveLength(10);
    expect(Object.keys(r.features[0])).toEqual(['target', 'represented', 'detectors', 'ablations']);
    expect(Object.keys(r.features[0].detectors.neuron)).toEqual(['index', 'auroc', 'falseAlarms']);
    expect(Object.keys(r.features[0].detectors.sae)).toEqual(['index', 'auroc', 'falseAlarms']);
    expect(Object.keys(r.features[0].detectors.probe)).toEqual(['auroc', 'falseAlarms']);
    expect(Object.keys(r.features[0].ablations)).toEqual(['neuron', 'sae', 'direction']);
    expect(Object.keys(r.features[0].ablations.sae)).toEqual(['removed', 'collateral']);
    expect(validateMonitorConfig(r.config).config).toEqual(r.config);
  });
});

describe('monitor & ablate: the induction base (seed 1)', () => {
  it('the induction head detects repeats with AUROC ≥ 0.95; the previous-token head alone does not (≈ 0.5); zeroing the induction heads removes copying', () => {
    const r = runMonitor({ ...DEFAULT_MONITOR_CONFIG, base: 'induction' });
    const ind = r.induction!;
    const d = ind.detectors;
    console.log(`induction L${d.induction.layer}H${d.induction.head} AUROC ${d.induction.auroc.toFixed(3)} (false alarms ${pct(d.induction.falseAlarms)}), previous-token L${d.prevToken.layer}H${d.prevToken.head} ${d.prevToken.auroc.toFixed(3)}; ablation removed ${pct(ind.ablation.removed)} collateral ${ind.ablation.collateral.toFixed(3)}`);
    expect(d.induction.layer).toBe(1);
    expect(d.prevToken.layer).toBe(0);
    expect(d.induction.auroc).toBeGreaterThanOrEqual(0.95);
    expect(d.prevToken.auroc).toBeGreaterThan(0.4);
    expect(d.prevToken.auroc).toBeLessThan(0.65);
    expect(d.induction.falseAlarms).toBeLessThan(0.1);
    expect(ind.ablation.removed).toBeGreaterThan(0.9);
    expect(ind.ablation.collateral).toBeLessThan(0.05);
    expect(r.features).toEqual([]);
  }, 120_000);
});

describe('monitor & ablate: resources', () => {
  it('leaves no TF.js tensors behind and is deterministic', () => {
    const c = { ...DEFAULT_MONITOR_CONFIG, n: 6, m: 3, steps: 300, saeSteps: 300, saeLatents: 8, target: 1 };
    const before = tf.memory().numTensors;
    const a = runMonitor(c);
    expect(tf.memory().numTensors).toBe(before);
    const b = runMonitor(c);
    expect(monitorRecord({ ...b, seconds: 0 })).toEqual(monitorRecord({ ...a, seconds: 0 }));
  }, 60_000);
});
