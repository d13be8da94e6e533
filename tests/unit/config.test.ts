import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, featureImportance, instanceImportance, instanceSparsities, validateConfig } from '../../src/engine/toy/config';

describe('validateConfig', () => {
  const good: [string, Record<string, unknown>][] = [
    ['empty input keeps the defaults', {}],
    ['strings as the CLI and URL give them', { n: '20', m: '5', sparsity: '0.9', lr: '1e-3' }],
    ['research-sized model', { n: 512, m: 64, instances: 64, batch: 256 }],
    ['a sparsity sweep across instances', { instances: 10, sparsityRange: '0:0.95' }],
    ['a sweep given as an array', { instances: 10, sparsityRange: [0, 0.95] }],
    ['linear model', { model: 'linear' }],
    ['abs computation model', { model: 'relu-hidden', n: 20, m: 10 }],
    ['tied ReLU-hidden model (privileged basis)', { model: 'relu-hidden-tied', n: 10, m: 5, instances: 7, sparsityRange: [0.25, 0.99], importanceDecay: 0.75 }],
    ['two correlated pairs', { n: 4, correlatedSets: 2, sparsity: 0.97 }],
    ['anticorrelated pairs, marginal convention', { n: 4, anticorrelatedSets: 2, anticorrelatedConvention: 'marginal', sparsity: 0.9 }],
    ['dense data', { sparsity: 0 }],
    ['largest seed', { seed: 4294967295 }],
  ];
  it.each(good)('accepts %s', (_, input) => {
    const r = validateConfig(input);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('parses strings into numbers and keeps other defaults', () => {
    const r = validateConfig({ n: '20', lr: '1e-3', sparsityRange: '0:0.95' });
    expect(r.config).toEqual({ ...DEFAULT_CONFIG, n: 20, lr: 0.001, sparsityRange: [0, 0.95] });
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['n = 0', { n: 0 }, /^n must be an integer from 1 to 512; got 0$/],
    ['n not a number', { n: 'abc' }, /^n must be an integer from 1 to 512; got "abc"$/],
    ['n fractional', { n: 2.5 }, /n must be an integer/],
    ['n too big', { n: 513 }, /n must be an integer from 1 to 512; got 513/],
    ['m too big', { m: 65 }, /m must be an integer from 1 to 64; got 65/],
    ['sparsity 1.5', { sparsity: 1.5 }, /sparsity must be a number at least 0 and below 1; got 1.5/],
    ['sparsity exactly 1 (no data at all)', { sparsity: 1 }, /sparsity must be a number at least 0 and below 1/],
    ['sparsity NaN', { sparsity: NaN }, /got NaN/],
    ['sparsity Infinity', { sparsity: 'Infinity' }, /got "Infinity"/],
    ['steps -1', { steps: -1 }, /steps must be an integer from 1 to 10000000; got -1/],
    ['importance decay -2', { importanceDecay: -2 }, /importanceDecay must be a number above 0 and at most 1; got -2/],
    ['lr 0', { lr: 0 }, /lr must be a number above 0/],
    ['unknown model', { model: 'mlp' }, /model must be one of relu-output, linear, relu-hidden, relu-hidden-tied; got "mlp"/],
    ['bad range', { sparsityRange: '0.5' }, /sparsityRange must be two sparsities a:b/],
    ['range past 1', { sparsityRange: '0:1' }, /sparsityRange must be two sparsities/],
    ['unknown setting', { nn: 3 }, /unknown setting "nn"/],
    ['hex number', { n: '0x10' }, /got "0x10"/],
    ['empty string', { n: '' }, /got ""/],
    ['script payload', { model: '<script>alert(1)</script>' }, /model must be one of/],
    ['too many features in sets', { n: 4, correlatedSets: 2, anticorrelatedSets: 1 }, /need 6 features .* but n is 4/],
    ['batch too big for K and n', { n: 512, instances: 64, batch: 65536 }, /instances × batch × n is/],
    ['marginal convention at high density', { n: 4, anticorrelatedSets: 1, anticorrelatedConvention: 'marginal', sparsity: 0.2 }, /marginal anticorrelated convention needs/],
  ];
  it.each(bad)('rejects %s', (_, input, message) => {
    const r = validateConfig(input);
    expect(r.ok).toBe(false);
    expect(r.config).toBeNull();
    expect(r.errors.some((e) => message.test(e))).toBe(true);
  });

  it('reports every problem at once', () => {
    const r = validateConfig({ n: 0, m: 0, sparsity: 2, steps: 'x' });
    expect(r.errors).toHaveLength(4);
  });

  it('names fields as CLI flags when asked', () => {
    const r = validateConfig({ importanceDecay: -2 }, DEFAULT_CONFIG, { naming: 'flag' });
    expect(r.errors[0]).toMatch(/^--importance-decay must be/);
  });

  it('rejects input that is not an object', () => {
    for (const input of [null, 3, 'n=5', [1, 2]]) expect(validateConfig(input).ok).toBe(false);
  });
});

describe('derived settings', () => {
  it('spreads densities like the colab: p_k = 20^−linspace(0,1,K)', () => {
    const s = instanceSparsities({ instances: 10, sparsity: 0, sparsityRange: [0, 0.95] });
    const p = s.map((x) => 1 - x);
    const expected = [1, 0.717, 0.514, 0.368, 0.264, 0.189, 0.136, 0.097, 0.07, 0.05];
    p.forEach((x, k) => expect(x).toBeCloseTo(expected[k], 2));
  });
  it('uses one sparsity for all instances without a range', () => {
    expect(instanceSparsities({ instances: 3, sparsity: 0.9, sparsityRange: null })).toEqual([0.9, 0.9, 0.9]);
  });
  it('gives importance r^i', () => {
    expect(featureImportance({ n: 3, importanceDecay: 0.5 })).toEqual([1, 0.5, 0.25]);
  });
});

describe('instance grids (phase diagrams)', () => {
  it('varies sparsity by row and the last feature\'s importance by column', () => {
    const r = validateConfig({ n: 2, m: 1, instances: 6, gridColumns: 3, sparsityRange: '0:0.99', extraImportanceRange: '0.1:10', importanceDecay: 1 });
    expect(r.ok).toBe(true);
    const c = r.config!;
    const S = instanceSparsities(c);
    expect(S.map((s) => +s.toFixed(4))).toEqual([0, 0, 0, 0.99, 0.99, 0.99]);
    const imp = instanceImportance(c);
    expect(imp.map((row) => row.map((x) => +x.toFixed(4)))).toEqual([[1, 0.1], [1, 1], [1, 10], [1, 0.1], [1, 1], [1, 10]]);
  });
  it('spreads the extra importance across instances without a grid', () => {
    const c = validateConfig({ n: 3, instances: 3, extraImportanceRange: '1:4', importanceDecay: 1 }).config!;
    expect(instanceImportance(c).map((r) => r[2])).toEqual([1, 2, 4]);
  });
  it('rejects a grid that instances do not fill, and non-positive importances', () => {
    expect(validateConfig({ instances: 10, gridColumns: 3 }).errors[0]).toMatch(/multiple of gridColumns/);
    expect(validateConfig({ extraImportanceRange: '0:1' }).errors[0]).toMatch(/two positive importances/);
  });
});
