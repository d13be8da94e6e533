// The exported PyTorch script, run for real with Debian's python3 + torch, against the engine on
// the same config. Its random numbers are PyTorch's, so the comparison is statistical: seeded
// configs whose loss does not depend on which local minimum a seed finds.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { FusedTrainer } from '../../src/engine/toy/fused/fusedTrainer';
import { createTrainer } from '../../src/engine/index';
import { trainToEnd } from '../../src/engine/toy/runner';
import { pytorchScript, pytorchScriptFileName } from '../../src/state/export/pytorchScript';
import { config } from './helpers';

/** Debian's interpreter, which has python3-torch (the pyenv python3 on PATH does not). */
const PYTHON = '/usr/bin/python3';
const hasTorch = (() => {
  try {
    return existsSync(PYTHON) && execFileSync(PYTHON, ['-c', 'import torch; print(1)'], { encoding: 'utf8', timeout: 60_000 }).trim() === '1';
  } catch {
    return false;
  }
})();

beforeAll(async () => {
  await initBackend(['wasm']); // relu-hidden-tied trains with TF.js
});

const dir = mkdtempSync(join(tmpdir(), 'lab-pytorch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ScriptOutput {
  loss: number[];
  sparsity: number[];
  steps: number;
  seed: number;
  model: string;
}

function runScript(c: ReturnType<typeof config>, args: string[] = []): { out: ScriptOutput; seconds: number } {
  const file = join(dir, pytorchScriptFileName(c));
  writeFileSync(file, pytorchScript(c));
  const t0 = performance.now();
  const stdout = execFileSync(PYTHON, [file, ...args], { encoding: 'utf8', timeout: 170_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  return { out: JSON.parse(stdout.trim().split('\n').at(-1)!), seconds: (performance.now() - t0) / 1000 };
}

function engineLoss(c: ReturnType<typeof config>): number[] {
  const trainer = createTrainer(c, FusedTrainer.supports(c) ? 'fused' : 'tfjs');
  try {
    return Array.from(trainToEnd(trainer).finalLosses);
  } finally {
    trainer.dispose();
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('the exported PyTorch script (pure generator)', () => {
  it('embeds the config, the lab’s per-instance sparsities and importances, and the colab recipe', () => {
    const c = config({ n: 5, m: 2, instances: 4, sparsityRange: [0, 0.95], importanceDecay: 0.9, seed: 7, steps: 123 });
    const py = pytorchScript(c);
    expect(py.startsWith('#!/usr/bin/env python3\n')).toBe(true);
    expect(py).toContain('"seed": 7');
    expect(py).toContain('SPARSITY = [0,');
    expect(py).toMatch(/SPARSITY = \[0,0\.63[0-9]*,0\.86[0-9]*,0\.95[0-9]*\]/);
    expect(py).toContain('IMPORTANCE = [1,0.9,0.81');
    expect(py).toContain('math.sqrt(2 / (n * m + K * m))');
    expect(py).toContain('torch.optim.AdamW(params, lr=c["lr"], betas=(0.9, 0.999), eps=1e-8, weight_decay=c["weightDecay"])');
    expect(py).toContain('tail_from = steps - max(1, steps // 100)');
    expect(pytorchScriptFileName(c)).toBe('superposition_relu-output_n5_m2_seed7.py');
  });

  it('refuses an invalid config', () => {
    expect(() => pytorchScript({ ...config(), n: 0 })).toThrow(/invalid config/);
  });
});

describe('the exported PyTorch script, run with python3 + torch', () => {
  it('has Debian’s python3 with torch to run it (apt-get install -y python3-torch; .ci/run does)', () => {
    expect(hasTorch, `${PYTHON} cannot import torch`).toBe(true);
  });

  it('dense n=5, m=2, 3000 steps: both reach the PCA optimum, loss ≈ 0.0366–0.04', () => {
    const c = config({ n: 5, m: 2, sparsity: 0, steps: 3000, seed: 1 });
    const { out, seconds } = runScript(c);
    const ours = engineLoss(c);
    console.log(`dense: torch ${out.loss[0].toFixed(5)} (${seconds.toFixed(1)} s), engine ${ours[0].toFixed(5)}`);
    expect(out).toMatchObject({ steps: 3000, seed: 1, model: 'relu-output', sparsity: [0] });
    for (const v of [out.loss[0], ours[0]]) {
      expect(v).toBeGreaterThan(0.0355);
      expect(v).toBeLessThan(0.041);
    }
  });

  it('sparse n=20, m=5, 4 instances at S=0.9: the mean loss agrees within 15%', () => {
    const c = config({ n: 20, m: 5, instances: 4, sparsity: 0.9, importanceDecay: 0.8, steps: 3000, seed: 1 });
    const { out, seconds } = runScript(c);
    const ours = engineLoss(c);
    const ratio = mean(out.loss) / mean(ours);
    console.log(`sparse: torch ${mean(out.loss).toExponential(3)} (${seconds.toFixed(1)} s), engine ${mean(ours).toExponential(3)}, ratio ${ratio.toFixed(3)}`);
    expect(out.loss).toHaveLength(4);
    expect(Math.abs(ratio - 1)).toBeLessThan(0.15);
  });

  it('covers the other models and feature sets: relu-hidden |x|, relu-hidden-tied and anticorrelated pairs agree within 25%, and --out writes the weights', () => {
    for (const c of [
      config({ model: 'relu-hidden', n: 10, m: 5, instances: 2, sparsity: 0.7, importanceDecay: 0.8, steps: 2000, seed: 1 }),
      config({ model: 'relu-hidden-tied', n: 10, m: 5, instances: 4, sparsity: 0, importanceDecay: 0.75, steps: 3000, seed: 1 }),
      config({ n: 6, m: 2, instances: 4, anticorrelatedSets: 2, sparsity: 0.9, importanceDecay: 1, steps: 2000, seed: 1 }),
    ]) {
      const weights = join(dir, 'weights.json');
      const { out, seconds } = runScript(c, ['--out', weights]);
      const ours = engineLoss(c);
      const ratio = mean(out.loss) / mean(ours);
      console.log(`${c.model}${c.anticorrelatedSets ? ' anticorrelated' : ''}: torch ${mean(out.loss).toExponential(3)} (${seconds.toFixed(1)} s), engine ${mean(ours).toExponential(3)}, ratio ${ratio.toFixed(3)}`);
      expect(Math.abs(ratio - 1)).toBeLessThan(0.25);
      const saved = JSON.parse(readFileSync(weights, 'utf8'));
      expect(saved.instances).toHaveLength(c.instances);
      expect(saved.instances[0].W).toHaveLength(c.m);
      expect(saved.instances[0].W[0]).toHaveLength(c.n);
      if (c.model === 'relu-hidden') expect(saved.instances[0].W2).toHaveLength(c.n);
      else expect(saved.instances[0].W2).toBeUndefined();
    }
  });

  it('takes --steps and --seed on the command line', () => {
    const { out } = runScript(config({ n: 3, m: 2, steps: 5000 }), ['--steps', '50', '--seed', '4']);
    expect(out).toMatchObject({ steps: 50, seed: 4 });
    expect(out.loss[0]).toBeGreaterThan(0);
  });
});
