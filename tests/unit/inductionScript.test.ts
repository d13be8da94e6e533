// The exported PyTorch script of an induction config, run for real with Debian's python3 + torch for
// a few dozen steps: it prints the lab's record shape, its eval losses start at ln V as the engine's
// do (I-1), and the generator refuses invalid configs.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateInductionConfig, type InductionConfig } from '../../src/engine/transformer/config';
import { inductionRecordFileName, inductionScript, inductionScriptFileName } from '../../src/state/export/inductionExport';

const PYTHON = '/usr/bin/python3';
const hasTorch = (() => {
  try {
    return existsSync(PYTHON) && execFileSync(PYTHON, ['-c', 'import torch; print(1)'], { encoding: 'utf8', timeout: 120_000 }).trim() === '1';
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'lab-induction-py-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cfg = (over: Partial<InductionConfig>): InductionConfig => {
  const r = validateInductionConfig(over);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};

describe('the exported induction PyTorch script', () => {
  it('embeds the config and the recipe, and refuses an invalid config', () => {
    const c = cfg({ layers: 1, heads: 4, repeat: 'fixed', seed: 7, lr: 3e-3 });
    const py = inductionScript(c);
    expect(py.startsWith('#!/usr/bin/env python3\n')).toBe(true);
    expect(py).toContain('"repeat": "fixed"');
    expect(py).toContain('"mlp": False');
    expect(py).toContain('torch.optim.Adam(lr=0.003)');
    expect(inductionScriptFileName(c)).toBe('induction_L1H4_d32_fixed_seed7.py');
    expect(inductionRecordFileName(c)).toBe('induction_L1H4_d32_fixed_seed7.json');
    expect(() => inductionScript({ ...c, heads: 3 })).toThrow(/invalid config/);
  });

  it.skipIf(!hasTorch)('runs in PyTorch for a few dozen steps and prints the record shape, losses starting near ln V (within 0.3 nats with LayerNorm and MLP)', () => {
    const c = cfg({ steps: 40, evalEvery: 20, mlp: true, layerNorm: true });
    const file = join(dir, inductionScriptFileName(c));
    writeFileSync(file, inductionScript(c));
    const stdout = execFileSync(PYTHON, [file, '--threads', '1'], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(out).toMatchObject({ version: 1, kind: 'induction', engine: 'pytorch', config: { layers: 2, heads: 2, steps: 40, mlp: true, layerNorm: true } });
    expect(out.curve.map((p: number[]) => p[0])).toEqual([0, 20, 40]);
    const lnV = Math.log(64);
    expect(Math.abs(out.curve[0][1] - lnV)).toBeLessThan(0.3);
    expect(Math.abs(out.curve[0][2] - lnV)).toBeLessThan(0.3);
    expect(out.final.heads).toHaveLength(4);
    expect(out.final.ablation).toHaveLength(4);
    expect(out.final.kComposition).toHaveLength(2);
    expect(out.final.kComposition[0]).toHaveLength(2);
    expect(out.stepsPerSecond).toBeGreaterThan(0);
  }, 300_000);
});
