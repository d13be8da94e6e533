// `npm run lab -- sae …` and `sae-sweep …`: good runs write JSON with the metrics and the decoder
// matrix; bad SAE flags exit with code 2, one clear line per problem, and write nothing.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSaeConfig } from '../../src/engine/sae/config';

const root = join(import.meta.dirname, '..', '..');
const lab = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

describe('CLI: sae', () => {
  it('trains the toy model and the SAEs, and writes the metrics and the decoder matrix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-sae-'));
    const out = join(dir, 'sae.json');
    const r = lab(['sae', '--sparsity', '0.975', '--importance-decay', '1', '--seed', '1', '--steps', '3000', '--sae-steps', '800', '--sae-instances', '3', '--l1-range', '0.05:0.5', '--sae-batch', '512', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rec = JSON.parse(readFileSync(out, 'utf8'));
    expect(rec).toMatchObject({ version: 1, kind: 'sae', saeEngine: 'fused' });
    expect(validateSaeConfig(rec.sae).ok).toBe(true);
    expect(rec.sae).toMatchObject({ dictSize: 5, saeInstances: 3, saeSteps: 800, l1Range: [0.05, 0.5] });
    expect(rec.config).toMatchObject({ n: 5, m: 2, sparsity: 0.975, seed: 1, steps: 3000 });
    expect(rec.base.W).toHaveLength(2);
    expect(rec.base.W[0]).toHaveLength(5);
    expect(rec.trueDirections.length).toBeGreaterThan(0);
    for (const row of rec.trueDirections) expect(Math.hypot(...row)).toBeCloseTo(1, 5);
    expect(rec.instances).toHaveLength(3);
    expect(rec.instances.map((i: { l1: number }) => i.l1)).toEqual([expect.closeTo(0.05, 6), expect.closeTo(Math.sqrt(0.025), 6), expect.closeTo(0.5, 6)]);
    for (const inst of rec.instances) {
      expect(inst.Wdec).toHaveLength(2); // dIn rows of L
      expect(inst.Wdec[0]).toHaveLength(5);
      for (let l = 0; l < 5; l++) expect(Math.hypot(inst.Wdec[0][l], inst.Wdec[1][l])).toBeCloseTo(1, 4);
      expect(inst.Wenc).toHaveLength(5);
      expect(inst.benc).toHaveLength(5);
      expect(inst.bdec).toHaveLength(2);
      for (const key of ['mmcs', 'l0', 'deadFraction', 'loss', 'reconstruction', 'resampled']) expect(Number.isFinite(inst.metrics[key]), key).toBe(true);
      expect(inst.metrics.mmcs).toBeGreaterThan(0.5);
      expect(inst.metrics.bestMatch).toHaveLength(5);
      expect(inst.metrics.dead).toHaveLength(5);
    }
    expect(rec.curve.at(-1)[0]).toBe(800);
    expect(rec.curve.at(-1)).toHaveLength(1 + 3 * 3);
    expect(readdirSync(dir)).toEqual(['sae.json']);
  });

  it('runs the Sharkey sweep and writes the grid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-sweep-'));
    const out = join(dir, 'sweep.json');
    const r = lab(['sae-sweep', '--ratios', '0.5,1', '--sharkey-dim', '8', '--sharkey-features', '8', '--sharkey-active', '2', '--sae-steps', '200', '--sae-instances', '3', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rec = JSON.parse(readFileSync(out, 'utf8'));
    expect(rec).toMatchObject({ version: 1, kind: 'sae-sweep', ratios: [0.5, 1], dictSizes: [4, 8], engine: 'fused' });
    expect(rec.sae).toMatchObject({ data: 'sharkey', sharkeyDim: 8, sharkeyFeatures: 8, l1Range: [0.001, 0.1], saeInstances: 3, saeBatch: 256 });
    expect(rec.l1).toHaveLength(3);
    for (const key of ['mmcs', 'l0', 'deadFraction', 'reconstruction']) {
      expect(rec.grid[key]).toHaveLength(2);
      for (const row of rec.grid[key]) expect(row.every(Number.isFinite)).toBe(true);
    }
  });

  it('documents the SAE flags in --help', () => {
    const r = lab(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--l1', '--l1-range', '--dict-size', '--resample', '--sae-steps', '--sae-engine', '--ratios', 'sae-sweep']) expect(r.stdout).toContain(flag);
  });

  const bad: [string[], RegExp][] = [
    [['sae', '--dict-size', '0'], /^error: --dict-size must be an integer from 1 to 16384; got "0"$/m],
    [['sae', '--l1', '-1'], /^error: --l1 must be a number from 0 to 1000; got "-1"$/m],
    [['sae', '--l1-range', '0:1'], /^error: --l1-range must be two positive numbers \(they are log-spaced\); got 0:1$/m],
    [['sae', '--l1-range', 'abc'], /^error: --l1-range must be two λ values a:b, each from 0 to 1000; got "abc"$/m],
    [['sae', '--l1', '0.1', '--l1-range', '0.1:1'], /either --l1 or --l1-range, not both/],
    [['sae', '--resample', 'maybe'], /^error: --resample must be true or false \(on\/off\); got "maybe"$/m],
    [['sae', '--dead-window', '5000'], /^error: --dead-window \(5000\) must not exceed --resample-every \(2500\)$/m],
    [['sae', '--sae-lr', '0'], /^error: --sae-lr must be a number above 0 and at most 1; got "0"$/m],
    [['sae', '--data', 'mnist'], /^error: --data must be one of toy, sharkey, file; got "mnist"$/m],
    [['sae', '--data', 'sharkey', '--sharkey-features', '4', '--sharkey-active', '5'], /^error: --sharkey-active \(5\) cannot exceed --sharkey-features \(4\)$/m],
    [['sae', '--sae-engine', 'gpu'], /^error: --sae-engine must be one of auto, tfjs, fused; got "gpu"$/m],
    [['sae', '--ratios', '1,2'], /^error: unknown flag --ratios/m],
    [['sae-sweep', '--ratios', '0.5,x'], /^error: --ratios must be positive numbers separated by commas, e\.g\. 0\.5,1,2,4; got "0\.5,x"$/m],
    [['sae-sweep', '--ratios', '0,1'], /^error: --ratios: each must be a number above 0 and at most 64; got 0$/m],
    [['sae-sweep', '--data', 'toy'], /--data must be sharkey for sae-sweep/],
    [['sae-sweep', '--n', '5'], /^error: unknown flag --n/m],
  ];
  it.each(bad)('rejects %j with exit 2 and a clear message, writing nothing', (args, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-sae-'));
    const out = join(dir, 'out.json');
    const r = lab([...args, '--out', out]);
    expect(r.stderr).toMatch(message);
    expect(r.status).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
