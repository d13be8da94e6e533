// SAEs on your own activations, end to end through the file path (issue 18, item 3): a synthetic .npy of known
// sparse features in superposition (h = W x: G = 12 unit directions in d = 8, each on with probability 0.08 and a
// U[0, 1] coefficient) and its truth file go through the CLI's checks (`sae --data file:… --truth file:…`) and the
// engine's run; the SAE recovers the directions (MMCS measured with fixed seeds), while the same dictionary scored
// against random directions does not. Bad files exit 2, one line per problem, before any work.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommandLine } from '../../src/cli/check';
import { encodeNpy } from '../../src/engine/sae/npyWrite';
import { latentFeatureCosines, mmcs } from '../../src/engine/sae/metrics';
import { runSae } from '../../src/engine/sae/run';
import { createRng } from '../../src/engine/shared/rng';

const root = join(import.meta.dirname, '..', '..');
const D = 8, G = 12, N = 4000;

function unitRows(rows: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(rows * D);
  for (let g = 0; g < rows; g++) {
    const v = Array.from({ length: D }, () => rng.normal());
    const n = Math.hypot(...v);
    v.forEach((x, j) => (out[g * D + j] = x / n));
  }
  return out;
}

/** h = W x for N sparse x: the activations file, and W's columns (the truth). */
function synthetic(dir: string): { acts: string; dirs: string; truth: Float32Array } {
  const truth = unitRows(G, 5);
  const rng = createRng(6);
  const h = new Float32Array(N * D);
  for (let r = 0; r < N; r++) {
    for (let g = 0; g < G; g++) {
      if (rng.next() >= 0.08) continue;
      const c = rng.next();
      for (let j = 0; j < D; j++) h[r * D + j] += c * truth[g * D + j];
    }
  }
  const acts = join(dir, 'acts.npy'), dirs = join(dir, 'dirs.npy');
  writeFileSync(acts, encodeNpy(h, N, D));
  writeFileSync(dirs, encodeNpy(truth, G, D));
  return { acts, dirs, truth };
}

describe('SAE on activations from a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sae-file-'));
  const { acts, dirs } = synthetic(dir);

  it('recovers the known directions through --data file: and --truth file:', () => {
    const plan = checkCommandLine(['sae', '--data', `file:${acts}`, '--truth', `file:${dirs}`, '--dict-size', '24', '--l1', '0.03', '--sae-steps', '3000', '--sae-instances', '2', '--sae-batch', '256', '--quiet']);
    expect(plan.kind).toBe('sae');
    if (plan.kind !== 'sae') return;
    expect(plan.file?.data).toMatchObject({ rows: N, cols: D });
    expect(plan.file?.truth?.rows).toBe(G);
    const rec = runSae(plan.config, plan.sae, { saeEngine: 'fused', file: plan.file });
    const scores = rec.instances.map((i) => i.metrics.mmcs);
    console.log(`file SAE MMCS (seed 0, 3000 steps, 24 latents): ${scores.map((x) => x.toFixed(3)).join(', ')}`);
    for (const s of scores) expect(s).toBeGreaterThan(0.9);
    expect(rec.config).toBeNull();
    expect(rec.trueDirections).toHaveLength(G);
    // the same dictionary against 12 random directions: what MMCS gives without recovery
    const random = unitRows(G, 99);
    const Wdec = Float32Array.from(rec.instances[0].Wdec.flat());
    const chance = mmcs(latentFeatureCosines(Wdec, D, 24, random, G), 24, G, rec.instances[0].metrics.dead.map((x) => !x));
    console.log(`the same dictionary against random directions: MMCS ${chance.toFixed(3)}`);
    expect(chance).toBeLessThan(scores[0] - 0.15);
    // the top-activating rows: 5 per latent, best first, each a real row whose activation is positive
    expect(rec.file).toMatchObject({ rows: N, d: D, truth: G });
    const alive = rec.instances[0].metrics.dead.findIndex((x) => !x);
    const top = rec.file!.topRows[0][alive];
    expect(top).toHaveLength(5);
    for (let t = 0; t < top.length; t++) {
      expect(top[t][0]).toBeGreaterThanOrEqual(0);
      expect(top[t][0]).toBeLessThan(N);
      expect(top[t][1]).toBeGreaterThan(0);
      if (t) expect(top[t][1]).toBeLessThanOrEqual(top[t - 1][1]);
    }
  }, 60_000);

  it('the CLI exits 2 on a bad file, one line per problem, and runs on a good one', () => {
    const bad = join(dir, 'bad.npy');
    writeFileSync(bad, encodeNpy(new Float32Array(6), 3, 2).subarray(0, 128 + 16));
    const lab = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    const r = lab(['sae', '--data', `file:${bad}`, '--truth', 'dirs.npy']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: --truth must be file:PATH (a .npy or JSON file of directions [k][d]); got "dirs.npy"',
      `error: --data file:${bad}: the .npy data is truncated: shape (3, 2) of '<f4' needs 24 bytes, the file has 16`,
    ]);
    const ok = lab(['sae', '--data', `file:${acts}`, '--dict-size', '12', '--sae-steps', '200', '--sae-instances', '1', '--quiet']);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const rec = JSON.parse(ok.stdout);
    expect(rec.trueDirections).toEqual([]);
    expect(rec.instances[0].metrics.mmcs).toBeNull(); // no truth file: no MMCS (NaN in JSON)
    expect(rec.file.topRows[0]).toHaveLength(12);
  }, 60_000);
});
