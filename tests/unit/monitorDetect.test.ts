// Monitor & ablate (issue 14), the pure parts on hand-built inputs: AUROC with ties, the alarm threshold and
// false alarms, the probe, the copy-stripe score, monosemanticity, and the ablation bookkeeping on a toy base
// whose answers are known in closed form.

import { describe, expect, it } from 'vitest';
import { alarmStats, auroc, fitProbe, probeScores, rocCurve } from '../../src/engine/monitor/detect';
import { copyStripe, sequenceScores } from '../../src/engine/monitor/induction';
import { analyseFeature, evaluationSet, featureDirection, monosemanticity, topSquaredShare, trainProbe, type ToyBase, type ToySae } from '../../src/engine/monitor/toy';
import { validateMonitorConfig, DEFAULT_MONITOR_CONFIG } from '../../src/engine/monitor/config';
import { createRng } from '../../src/engine/shared/rng';

describe('AUROC and ROC', () => {
  it('is 1 for a perfect detector, 0 for a reversed one, ½ for a constant one', () => {
    const pos = [0, 0, 1, 1];
    expect(auroc([0.1, 0.2, 0.8, 0.9], pos)).toBe(1);
    expect(auroc([0.9, 0.8, 0.2, 0.1], pos)).toBe(0);
    expect(auroc([0, 0, 0, 0], pos)).toBe(0.5);
    expect(auroc([1, 2], [1, 1])).toBeNaN();
  });

  it('counts ties half: scores (0, 0, 0, 1) for labels (0, 0, 1, 1) give 0.75 + ¼·… = 0.875', () => {
    // pairs (pos, neg): (0 vs 0) tie ×2 → 1, (1 vs 0) win ×2 → 2; (1 + 2·… ) → (0.5·2 + 2) / 4 = 0.75
    expect(auroc([0, 0, 0, 1], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(auroc([0, 0, 0.5, 1], [0, 1, 0, 1])).toBeCloseTo((0.5 + 1 + 0 + 1) / 4, 12);
  });

  it('runs from (0, 0) to (1, 1) and is monotone', () => {
    const rng = createRng(3);
    const s = Array.from({ length: 500 }, () => rng.next());
    const y = s.map((v) => (rng.next() < v ? 1 : 0));
    const roc = rocCurve(s, y, 40);
    expect(roc[0]).toEqual([0, 0]);
    expect(roc[roc.length - 1]).toEqual([1, 1]);
    expect(roc.length).toBeLessThanOrEqual(40);
    for (let i = 1; i < roc.length; i++) {
      expect(roc[i][0]).toBeGreaterThanOrEqual(roc[i - 1][0]);
      expect(roc[i][1]).toBeGreaterThanOrEqual(roc[i - 1][1]);
    }
  });
});

describe('alarm threshold and false alarms', () => {
  it('catches 90% of the strong activations and counts alarms on the other-feature inputs', () => {
    // strong scores 1…10: the 10% quantile is 2 (index 1), so 9 of 10 alarm
    const scores = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 0.5, 2, 3];
    const strong = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0];
    const other = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
    const a = alarmStats(scores, strong, other, true);
    expect(a.threshold).toBe(2);
    expect(a.recall).toBe(0.9);
    expect(a.falseAlarms).toBe(0.5);
  });

  it('a ReLU detector that is 0 on more than a tenth of the strong activations never alarms at 0: recall drops below 0.9', () => {
    const scores = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 2];
    const strong = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0];
    const other = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
    const a = alarmStats(scores, strong, other, true);
    expect(a.threshold).toBe(0);
    expect(a.recall).toBe(0.8);
    expect(a.falseAlarms).toBe(0.25);
    // a probe's logits have no such floor
    expect(alarmStats(scores, strong, other, false).falseAlarms).toBe(1);
  });
});

describe('probe', () => {
  it('separates a linearly separable label (AUROC 1) and is deterministic', () => {
    const rng = createRng(7);
    const N = 2000, d = 3;
    const X = Float32Array.from({ length: N * d }, () => rng.normal());
    const y = Array.from({ length: N }, (_, r) => (X[r * d] - 2 * X[r * d + 2] + 0.3 > 0 ? 1 : 0));
    const p = fitProbe(X, N, d, y);
    expect(auroc(probeScores(p, X, N, d), y)).toBeGreaterThan(0.999);
    expect(p.w[1] / p.w[0]).toBeCloseTo(0, 1);
    expect(p.w[2] / p.w[0]).toBeCloseTo(-2, 1);
    expect(Array.from(fitProbe(X, N, d, y).w)).toEqual(Array.from(p.w));
  });
});

describe('copy stripe', () => {
  it('scores a head that attends along the diagonal stripe of a copy, and not a previous-token head', () => {
    const T = 12, B = 1, H = 1;
    const induction = new Float32Array(T * T), prev = new Float32Array(T * T);
    // positions 7…11 copy 2…6: query i attends to i − 5 + 1
    for (let i = 0; i < T; i++) {
      prev[i * T + Math.max(0, i - 1)] = 1;
      if (i >= 7) induction[i * T + (i - 4)] = 1;
      else induction[i * T] = 1; // BOS
    }
    const s = copyStripe(induction, B, H, T, 0);
    expect(Array.from(s.subarray(8))).toEqual([1, 1, 1, 1]);
    expect(s[7]).toBe(0); // query 6 attended to BOS
    expect(sequenceScores(s, B, T)[0]).toBe(1);
    expect(sequenceScores(copyStripe(prev, B, H, T, 0), B, T)[0]).toBe(0);
  });
});

describe('monosemanticity and the toy base', () => {
  it('max|w|/Σ|w| and the top w² share per neuron', () => {
    const W = [1, 0, 0, 0.5, 0.5, 0]; // 2 neurons × 3 features
    expect(monosemanticity(W, 2, 3)).toEqual([1, 0.5]);
    expect(topSquaredShare(W, 2, 3)).toEqual([1, 0.5]);
  });

  it('the hidden direction of a feature is ReLU(W_i), normalised', () => {
    const base = { W: Float32Array.from([3, -1, 0, 4, 0, 0]), m: 2, n: 3 };
    expect(Array.from(featureDirection(base, 0))).toEqual([0.6, 0.8]);
    expect(Array.from(featureDirection(base, 1))).toEqual([0, 0]);
  });

  it('a monosemantic neuron: ablating it removes its feature entirely and costs nothing else; steering switches the feature on', () => {
    // n = 3 features, m = 2 neurons; neuron 0 reads feature 0 alone, neuron 1 features 1 and 2
    const base: ToyBase = { n: 3, m: 2, W: Float32Array.from([1, 0, 0, 0, 1, 1]), b: Float32Array.from([0, -0.3, -0.3]), importance: Float32Array.from([1, 1, 1]), sparsity: 0.8 };
    // an SAE with one latent per feature direction: latent 0 = e0, latent 1 = e1 (a poor copy of feature 1 + 2)
    const sae: ToySae = { L: 2, dIn: 2, Wenc: Float32Array.from([1, 0, 0, 1]), benc: Float32Array.from([0, 0]), Wdec: Float32Array.from([1, 0, 0, 1]), bdec: Float32Array.from([0, 0]), dead: new Uint8Array(2) };
    const rng = createRng(1);
    const ev = evaluationSet(base, sae, 20_000, rng.fork(1));
    const f = analyseFeature(base, sae, ev, 0, trainProbe(base, 0, 5000, rng.fork(2)));
    expect(f.represented).toBe(true);
    expect(f.detectors.neuron.index).toBe(0);
    expect(f.detectors.neuron.auroc).toBe(1);
    expect(f.detectors.neuron.falseAlarms).toBe(0);
    expect(f.detectors.sae.index).toBe(0);
    expect(f.saeCosine).toBeCloseTo(1, 6);
    for (const kind of ['neuron', 'sae', 'direction'] as const) {
      expect(f.ablations[kind].removed).toBeCloseTo(1, 6);
      expect(f.ablations[kind].collateral).toBeCloseTo(0, 9);
    }
    expect(f.steering[0].onRate).toBe(0);
    expect(f.steering[f.steering.length - 1].onRate).toBeGreaterThan(0.85);
    expect(f.steering[f.steering.length - 1].others).toBeCloseTo(0, 9);
  });
});

describe('config', () => {
  it('validates through the one validator, with one message per problem', () => {
    expect(validateMonitorConfig({}).config).toEqual(DEFAULT_MONITOR_CONFIG);
    const bad = validateMonitorConfig({ base: 'mlp', n: 1, sparsity: 1, l1: -1 }, undefined, { naming: 'flag' });
    expect(bad.errors).toEqual([
      '--base must be one of toy, induction, lab; got "mlp"',
      '--n must be an integer from 2 to 64; got 1',
      '--sparsity must be a number at least 0 and below 1; got 1',
      '--l1 must be a number from 0 to 100; got -1',
    ]);
    expect(validateMonitorConfig({ target: 10 }).errors).toEqual(['target must be a feature index below n (10); got 10']);
    expect(validateMonitorConfig({ n: 5, m: 5 }).errors[0]).toMatch(/m \(5\) must be below n \(5\)/);
  });
});
