// `npm run lab -- induction`: flags, errors and the version-1 record, run the way a user runs it.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateInductionConfig } from '../../src/engine/transformer/config';

const root = join(import.meta.dirname, '..', '..');
const lab = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'induction', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

describe('induction CLI', () => {
  it('trains and writes the version-1 record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'induction-'));
    const out = join(dir, 'run.json');
    const r = lab(['--steps', '30', '--eval-every', '10', '--d-model', '16', '--vocab', '32', '--seed', '3', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const run = JSON.parse(readFileSync(out, 'utf8'));
    expect(Object.keys(run)).toEqual(['version', 'kind', 'config', 'engine', 'seconds', 'stepsPerSecond', 'lnV', 'formedAtStep', 'final', 'curve', 'phaseChange', 'backend']);
    expect(run).toMatchObject({ version: 1, kind: 'induction', engine: 'fused', backend: null, formedAtStep: null });
    expect(validateInductionConfig(run.config).config).toEqual(run.config);
    expect(run.config).toMatchObject({ layers: 2, heads: 2, dModel: 16, vocab: 32, ctx: 32, steps: 30, seed: 3, evalEvery: 10, dMlp: 64, engine: 'auto' });
    expect(run.lnV).toBeCloseTo(Math.log(32), 4);
    expect(run.curve.map((p: number[]) => p[0])).toEqual([0, 10, 20, 30]);
    for (const p of run.curve) expect(p).toHaveLength(5);
    const f = run.final;
    expect(Object.keys(f).slice(0, 6)).toEqual(['firstCopyLoss', 'secondCopyLoss', 'heads', 'ablation', 'ablateInduction', 'kComposition']);
    expect(f.heads).toHaveLength(4);
    expect(Object.keys(f.heads[0])).toEqual(['layer', 'head', 'induction', 'prevToken', 'currentToken', 'bos']);
    expect(f.ablation.map((a: { layer: number; head: number }) => [a.layer, a.head])).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(f.ablateInduction).toEqual({ heads: [], secondCopyLoss: null });
    expect(f.kComposition).toHaveLength(2);
    expect(f.kComposition[0]).toHaveLength(2);
    expect(f.lossByPosition).toHaveLength(30);
    expect(readdirSync(dir)).toEqual(['run.json']);
  });

  it('--help lists every flag', () => {
    const r = lab(['--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--layers', '--heads', '--d-model', '--vocab', '--ctx', '--repeat', '--batch', '--lr', '--steps', '--seed', '--mlp', '--layer-norm', '--d-mlp', '--weight-decay', '--eval-every', '--engine', '--out', '--quiet', '--backend']) {
      expect(r.stdout).toContain(flag + ' ');
    }
  });

  it('bad values: exit 2, one line per problem, nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'induction-bad-'));
    const out = join(dir, 'run.json');
    const r = lab(['--layers', '4', '--ctx', '300', '--repeat', 'sometimes', '--curve-points', '5', '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: unknown flag --curve-points (see --help)', // its value goes with it: one problem, one line (issue 16)
      'error: --layers must be an integer from 1 to 3; got "4"',
      'error: --ctx must be an integer from 8 to 128; got "300"',
      'error: --repeat must be one of random, fixed; got "sometimes"',
    ]);
    expect(readdirSync(dir)).toEqual([]);
    const cross = lab(['--heads', '3', '--out', join(dir, 'missing', 'run.json')]);
    expect(cross.status).toBe(2);
    expect(cross.stderr.trim().split('\n')).toEqual(['error: --heads (3) must divide --d-model (32)', `error: --out: directory ${join(dir, 'missing')} does not exist`]);
  });

  it('--engine tfjs trains on TF.js (wasm backend) and says so in the record', () => {
    const r = lab(['--engine', 'tfjs', '--steps', '2', '--eval-every', '1', '--d-model', '16', '--quiet']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ engine: 'tfjs', backend: 'wasm', config: { engine: 'tfjs', steps: 2 } });
  });
});
