import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/engine/toy/config';

const root = join(import.meta.dirname, '..', '..');
const lab = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

describe('CLI', () => {
  it('trains and writes JSON that follows the contract', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-'));
    const out = join(dir, 'run.json');
    const r = lab(['--n', '5', '--m', '2', '--instances', '3', '--sparsity-range', '0:0.95', '--steps', '400', '--batch', '256', '--seed', '3', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const run = JSON.parse(readFileSync(out, 'utf8'));
    expect(run.version).toBe(1);
    expect(validateConfig(run.config).ok).toBe(true);
    expect(run.config).toMatchObject({ n: 5, m: 2, instances: 3, sparsityRange: [0, 0.95], steps: 400, batch: 256, seed: 3, model: 'relu-output', importanceDecay: 0.9, lr: 0.001 });
    expect(run.instances).toHaveLength(3);
    for (const inst of run.instances) {
      expect(inst.W).toHaveLength(2);
      expect(inst.W[0]).toHaveLength(5);
      expect(inst.b).toHaveLength(5);
      expect(inst.importance).toHaveLength(5);
      expect(Number.isFinite(inst.loss)).toBe(true);
      for (const key of ['featureNorms', 'superposition', 'featureDimensionality']) expect(inst.metrics[key]).toHaveLength(5);
      expect(typeof inst.metrics.dimsPerFeature).toBe('number');
    }
    expect(run.instances.map((i: { sparsity: number }) => i.sparsity)).toEqual([0, expect.closeTo(1 - Math.sqrt(0.05), 6), expect.closeTo(0.95, 6)]);
    expect(run.lossCurve.length).toBeGreaterThan(10);
    expect(run.lossCurve.at(-1)).toHaveLength(4);
    expect(run.lossCurve.at(-1)[0]).toBe(400);
    expect(run.seconds).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual(['run.json']); // no temporary file left behind
  });

  it('prints the JSON to stdout without --out', () => {
    const r = lab(['--steps', '20', '--batch', '64', '--quiet']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).instances[0].W).toHaveLength(2);
  });

  it('explains every flag in --help', () => {
    const r = lab(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--model', '--n', '--m', '--instances', '--sparsity', '--sparsity-range', '--importance-decay', '--steps', '--batch', '--lr', '--seed', '--out', '--quiet']) {
      expect(r.stdout).toContain(flag + ' ');
    }
  });

  const bad: [string[], RegExp][] = [
    [['--bogus', '1'], /^error: unknown flag --bogus/m],
    [['--n', '0'], /^error: --n must be an integer from 1 to 512; got "0"$/m],
    [['--n', 'abc'], /^error: --n must be an integer from 1 to 512; got "abc"$/m],
    [['--sparsity', '1.5'], /^error: --sparsity must be a number at least 0 and below 1; got "1.5"$/m],
    [['--steps', '-1'], /^error: --steps must be an integer from 1 to 10000000; got "-1"$/m],
    [['--importance-decay', '-2'], /^error: --importance-decay must be a number above 0 and at most 1; got "-2"$/m],
    [['--out', '/no/such/dir/run.json'], /^error: --out: directory \/no\/such\/dir does not exist$/m],
    [['--n'], /^error: --n needs a value$/m],
    [['--model', 'mlp'], /^error: --model must be one of relu-output, linear, relu-hidden/m],
    [['--sparsity', '0.9', '--sparsity-range', '0:0.9'], /either --sparsity or --sparsity-range/],
    [['--engine', 'gpu'], /--engine must be one of auto, tfjs, fused/],
  ];
  it.each(bad)('rejects %j with exit 2 and a clear message, writing nothing', (args, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-'));
    const out = join(dir, 'run.json');
    const r = lab([...args, ...(args.includes('--out') ? [] : ['--out', out])]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('lists every problem at once, one line each', () => {
    const r = lab(['--n', '0', '--m', 'x', '--lr', '-1']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(3);
  });
});
