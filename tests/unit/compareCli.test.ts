// `npm run lab -- compare`: the record, its verdict and every kind of bad input, run the way a user runs it.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCompareArgs } from '../../src/cli/compareCommand';

const root = join(import.meta.dirname, '..', '..');
const lab = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'compare', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

describe('compare CLI', () => {
  it('writes both run records, the deltas and the verdict (S = 0.9 against dense data, seed 1)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compare-'));
    const out = join(dir, 'ab.json');
    const r = lab(['--sparsity', '0.9', '--steps', '10000', '--b', 'sparsity=0', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rec = JSON.parse(readFileSync(out, 'utf8'));
    expect(Object.keys(rec)).toEqual(['version', 'kind', 'instance', 'changed', 'a', 'b', 'comparison', 'verdict']);
    expect(rec).toMatchObject({ version: 1, kind: 'compare', instance: 0, changed: ['sparsity 0.9 → 0'] });
    expect(rec.a.config).toMatchObject({ sparsity: 0.9, seed: 1 });
    expect(rec.b.config).toMatchObject({ sparsity: 0, seed: 1 });
    expect(rec.comparison.features).toHaveLength(5);
    expect(rec.comparison.gramDiff).toHaveLength(5);
    expect(rec.comparison.geometryB).toBe('2 dedicated dimensions');
    expect(rec.verdict).toBe('features 1–2 went from antipodal pairs to dedicated dimensions; features 3–4 left their antipodal pairs and got dropped; loss 7.0× higher');
    expect(readdirSync(dir)).toEqual(['ab.json']);
  }, 60_000);

  it('bad input exits 2 with one specific line each, before any training', () => {
    const r = lab(['--n', '0', '--b', 'foo=2', '--b', 'sparsity']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: --b: unknown toy setting "foo" (the settings are the toy flags: model, n, m, instances, sparsity, sparsity-range, importance-decay, extra-importance-range, grid-columns, steps, batch, lr, weight-decay, seed, correlated-sets, anticorrelated-sets, set-size, anticorrelated-convention)',
      'error: --b "sparsity" must be KEY=VALUE, e.g. sparsity=0.9',
      'error: --n must be an integer from 1 to 512; got "0"',
    ]);
  });

  it('B\'s settings get the toy validator\'s messages', () => {
    const errors = (args: string[]) => {
      const p = checkCompareArgs(args);
      return p.kind === 'errors' ? p.errors : [];
    };
    expect(errors(['--b', 'sparsity=1.5'])).toEqual(['B: --sparsity must be a number at least 0 and below 1; got "1.5"']);
    expect(errors(['--b', 'n=3,correlated-sets=2'])).toEqual(['B: correlated and anticorrelated sets need 4 features (2 sets of --set-size 2) but --n is 3']);
    expect(errors([])).toEqual(['give at least one setting for B, e.g. --b sparsity=0 (B is A with these changes)']);
    expect(errors(['--b', 'sparsity=0', '--instance', '2'])).toEqual(['--instance must be below the number of instances of A and B (1); got 2']);
    expect(errors(['--b', 'sparsity=0', '--view', 'sweep'])[0]).toBe('--view is not a compare flag: compare trains one config as A and one as B');
    expect(errors(['sae', '--b', 'sparsity=0'])).toEqual(['unexpected argument "sae"; flags look like --n 5 (see --help)']);
    expect(errors(['--b', 'sparsity=0', '--b', 'sparsity=0.5'])).toEqual(['--b sparsity is given more than once']);
  });

  it('B is A with the changes: the seed and every other setting carry over', () => {
    const p = checkCompareArgs(['--n', '6', '--seed', '4', '--b', 'importance-decay=0.7']);
    expect(p.kind).toBe('compare');
    if (p.kind !== 'compare') return;
    expect(p.pair.b).toEqual({ ...p.pair.a, importanceDecay: 0.7 });
    expect(p.pair.a).toMatchObject({ n: 6, seed: 4 });
  });

  it('--help describes --b', () => {
    const r = lab(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--b KEY=VALUE');
  });
});
