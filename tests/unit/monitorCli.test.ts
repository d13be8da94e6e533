// `npm run lab -- monitor`: flags, errors and the version-1 record, run the way a user runs it.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateMonitorConfig } from '../../src/engine/monitor/config';

const root = join(import.meta.dirname, '..', '..');
const lab = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'monitor', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

describe('monitor CLI', () => {
  it('writes the version-1 record with exactly the issue\'s keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'monitor-'));
    const out = join(dir, 'run.json');
    const r = lab(['--n', '6', '--m', '3', '--sparsity', '0.9', '--target', '2', '--sae-latents', '8', '--l1', '0.05', '--steps', '300', '--sae-steps', '300', '--seed', '3', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const run = JSON.parse(readFileSync(out, 'utf8'));
    expect(Object.keys(run)).toEqual(['version', 'kind', 'config', 'seconds', 'base', 'features']);
    expect(run).toMatchObject({ version: 1, kind: 'monitor', base: { model: 'privileged-basis', n: 6, m: 3 } });
    expect(validateMonitorConfig(run.config).config).toEqual(run.config);
    expect(run.config).toMatchObject({ base: 'toy', n: 6, m: 3, sparsity: 0.9, target: 2, saeLatents: 8, l1: 0.05, seed: 3, steps: 300, saeSteps: 300 });
    expect(run.base.monosemanticity).toHaveLength(3);
    expect(run.features).toHaveLength(1);
    const f = run.features[0];
    expect(f.target).toBe(2);
    expect(Object.keys(f)).toEqual(['target', 'represented', 'detectors', 'ablations']);
    expect(Object.keys(f.detectors)).toEqual(['neuron', 'sae', 'probe']);
    expect(Object.keys(f.detectors.neuron)).toEqual(['index', 'auroc', 'falseAlarms']);
    expect(Object.keys(f.detectors.probe)).toEqual(['auroc', 'falseAlarms']);
    expect(Object.keys(f.ablations)).toEqual(['neuron', 'sae', 'direction']);
    expect(Object.keys(f.ablations.direction)).toEqual(['removed', 'collateral']);
    expect(readdirSync(dir)).toEqual(['run.json']);
  });

  it('--help lists every flag', () => {
    const r = lab(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--base', '--n', '--m', '--sparsity', '--importance-decay', '--target', '--sae-latents', '--l1', '--seed', '--steps', '--sae-steps', '--out', '--quiet']) expect(r.stdout).toContain(flag + ' ');
  });

  it('bad values: exit 2, one line per problem, nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'monitor-bad-'));
    const out = join(dir, 'run.json');
    const r = lab(['--base', 'mlp', '--n', '0', '--sparsity', '1.5', '--l1', 'lots', '--engine', 'fused', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: unknown flag --engine (see --help)',
      'error: --base must be one of toy, induction, lab; got "mlp"',
      'error: --n must be an integer from 2 to 64; got "0"',
      'error: --sparsity must be a number at least 0 and below 1; got "1.5"',
      'error: --l1 must be a number from 0 to 100; got "lots"',
    ]);
    expect(readdirSync(dir)).toEqual([]);
    const cross = lab(['--target', '10', '--out', join(dir, 'missing', 'x.json')]);
    expect(cross.status).toBe(2);
    expect(cross.stderr.trim().split('\n')).toEqual([
      'error: --target must be a feature index below --n (10); got 10',
      `error: --out: directory ${join(dir, 'missing')} does not exist`,
    ]);
    expect(readdirSync(dir)).toEqual([]);
    const fromLab = lab(['--base', 'lab']);
    expect(fromLab.status).toBe(2);
    expect(fromLab.stderr.trim()).toBe("error: --base lab (the live lab's current model) exists only in the tab; use --base toy or --base induction");
  });
});
