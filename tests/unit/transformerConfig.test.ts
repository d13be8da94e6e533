import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INDUCTION_CONFIG,
  evalRepeatLength,
  inductionShape,
  validateInductionConfig,
} from '../../src/engine/transformer/config';

const flagErrors = (input: Record<string, unknown>) => validateInductionConfig(input, undefined, { naming: 'flag' }).errors;

describe('induction config', () => {
  it('defaults: 2 layers, 2 heads, d 32, 64 tokens + BOS, T 32, batch 16, lr 1e-2, 2000 steps, seed 1, random repeats', () => {
    const r = validateInductionConfig({});
    expect(r.ok).toBe(true);
    expect(r.config).toEqual({
      ...DEFAULT_INDUCTION_CONFIG,
      dMlp: 128,
    });
    expect(r.config).toMatchObject({ layers: 2, heads: 2, dModel: 32, vocab: 64, ctx: 32, batch: 16, lr: 0.01, steps: 2000, seed: 1, repeat: 'random', mlp: false, layerNorm: false, weightDecay: 0, evalEvery: 50, engine: 'auto' });
    expect(inductionShape(r.config!)).toEqual({ layers: 2, heads: 2, dModel: 32, vocab: 65, ctx: 32, mlp: false, dMlp: 128, layerNorm: false });
  });

  it('parses strings as the CLI gives them', () => {
    const r = validateInductionConfig({ layers: '1', heads: '4', dModel: '64', vocab: '48', ctx: '64', repeat: 'fixed', batch: '32', lr: '3e-3', steps: '500', seed: '7', mlp: 'on', layerNorm: 'true', dMlp: '100', weightDecay: '0.1', evalEvery: '25', engine: 'tfjs' });
    expect(r.errors).toEqual([]);
    expect(r.config).toEqual({ layers: 1, heads: 4, dModel: 64, vocab: 48, ctx: 64, repeat: 'fixed', batch: 32, lr: 0.003, steps: 500, seed: 7, mlp: true, layerNorm: true, dMlp: 100, weightDecay: 0.1, evalEvery: 25, engine: 'tfjs' });
  });

  it('dMlp defaults to 4·dModel of the config', () => {
    expect(validateInductionConfig({ dModel: 48 }).config!.dMlp).toBe(192);
    expect(validateInductionConfig({ dModel: 48, dMlp: null }).config!.dMlp).toBe(192);
  });

  const bad: [Record<string, unknown>, string][] = [
    [{ layers: '0' }, '--layers must be an integer from 1 to 3; got "0"'],
    [{ layers: '4' }, '--layers must be an integer from 1 to 3; got "4"'],
    [{ heads: '5' }, '--heads must be an integer from 1 to 4; got "5"'],
    [{ dModel: '7' }, '--d-model must be an integer from 8 to 128; got "7"'],
    [{ dModel: '256' }, '--d-model must be an integer from 8 to 128; got "256"'],
    [{ vocab: '3' }, '--vocab must be an integer from 4 to 512; got "3"'],
    [{ vocab: '513' }, '--vocab must be an integer from 4 to 512; got "513"'],
    [{ ctx: '7' }, '--ctx must be an integer from 8 to 128; got "7"'],
    [{ ctx: '129' }, '--ctx must be an integer from 8 to 128; got "129"'],
    [{ repeat: 'sometimes' }, '--repeat must be one of random, fixed; got "sometimes"'],
    [{ batch: '0' }, '--batch must be an integer from 1 to 256; got "0"'],
    [{ batch: '257' }, '--batch must be an integer from 1 to 256; got "257"'],
    [{ lr: '0' }, '--lr must be a number above 0 and at most 1; got "0"'],
    [{ lr: 'fast' }, '--lr must be a number above 0 and at most 1; got "fast"'],
    [{ steps: '0' }, '--steps must be an integer from 1 to 1000000; got "0"'],
    [{ steps: '1e7' }, '--steps must be an integer from 1 to 1000000; got "1e7"'],
    [{ seed: '-1' }, '--seed must be an integer from 0 to 4294967295; got "-1"'],
    [{ seed: '1.5' }, '--seed must be an integer from 0 to 4294967295; got "1.5"'],
    [{ mlp: 'maybe' }, '--mlp must be true or false (on/off); got "maybe"'],
    [{ layerNorm: 'yes' }, '--layer-norm must be true or false (on/off); got "yes"'],
    [{ dMlp: '0' }, '--d-mlp must be an integer from 1 to 1024; got "0"'],
    [{ weightDecay: '2' }, '--weight-decay must be a number from 0 to 1; got "2"'],
    [{ evalEvery: '0' }, '--eval-every must be an integer from 1 to 1000000; got "0"'],
    [{ engine: 'gpu' }, '--engine must be one of auto, tfjs, fused; got "gpu"'],
    [{ heads: '3' }, '--heads (3) must divide --d-model (32)'],
    [{ heads: '4', dModel: '36' }, ''],
    [{ heads: '3', dModel: '40' }, '--heads (3) must divide --d-model (40)'],
  ];
  it.each(bad)('rejects %j', (input, message) => {
    const errors = flagErrors(input);
    if (message === '') expect(errors).toEqual([]);
    else expect(errors).toEqual([message]);
  });

  it('names config keys when not asked for flags, and reports every problem at once', () => {
    expect(validateInductionConfig({ heads: 3 }).errors).toEqual(['heads (3) must divide dModel (32)']);
    expect(flagErrors({ layers: '9', vocab: '1', bogus: 1 })).toHaveLength(3);
  });

  it('eval repeat length: 15 from T = 31 up, the longest that fits below', () => {
    expect(evalRepeatLength(32)).toBe(15);
    expect(evalRepeatLength(31)).toBe(15);
    expect(evalRepeatLength(128)).toBe(15);
    expect(evalRepeatLength(30)).toBe(14);
    expect(evalRepeatLength(8)).toBe(3);
  });
});
