// The paper's views: their analyses on hand-made weights, and each view's qualitative result
// reproduced by training (smaller configs than the page's, same presets otherwise, default seed).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/shared/backend';
import { phaseLossesN2M1, SUPERPOSITION_DENSITY_N2M1_EQUAL } from '../../src/engine/toy/theory';
import { trainViewRun } from '../../src/engine/views/runner';
import {
  analyzeRun,
  combinePasses,
  dynamicsAnalysis,
  expectedLoss,
  featureNeighbours,
  featureSetAngles,
  findRunSpec,
  neuronFacts,
  runConfig,
  runsOf,
  trackSettling,
  viewTargets,
  VIEW_SPECS,
  type DimensionalityResult,
  type DynamicsResult,
  type FeatureSetResult,
  type NeuronResult,
  type PhaseGridResult,
  type SweepResult,
  type ViewRunSpec,
} from '../../src/engine/views/views';
import type { LabConfig } from '../../src/engine/toy/config';
import { config } from './helpers';

beforeAll(async () => {
  await initBackend(['wasm']);
});

const spec = (id: string): ViewRunSpec => findRunSpec(id)!.run;
function train<T>(id: string, overrides: Partial<LabConfig> = {}): T {
  const out = trainViewRun(spec(id), { overrides });
  return out.analysis!.result as T;
}

describe('view definitions', () => {
  it('every preset is a valid config, and --view targets cover views and their runs', () => {
    for (const view of VIEW_SPECS) {
      for (const run of view.runs) {
        const made = runConfig(run);
        expect(made.ok, `${run.id}: ${'errors' in made ? made.errors.join('; ') : ''}`).toBe(true);
      }
    }
    expect(viewTargets()).toEqual(expect.arrayContaining(['sweep', 'dimensionality', 'phase', 'phase-n2m1', 'phase-n3m2', 'correlated', 'computation', 'dynamics']));
    expect(runsOf('phase').map((r) => r.id)).toEqual(['phase-n2m1', 'phase-n3m2']);
    expect(runsOf('nope')).toEqual([]);
  });

  it('passes train with seeds s, s+1, …; overrides go through the validator', () => {
    const r = spec('phase-n2m1');
    const p = [0, 1, 2].map((pass) => runConfig(r, { seed: 7 }, pass));
    expect(p.map((x) => (x.ok ? x.config.seed : -1))).toEqual([7, 8, 9]);
    const bad = runConfig(r, { steps: 0 });
    expect(bad.ok).toBe(false);
  });
});

describe('phase diagram analysis (A4)', () => {
  it('expected loss matches the closed form of science.md §4.7 (mean over the two features)', () => {
    for (const [r, p] of [[1, 0.1], [0.3, 0.05], [3, 0.4]]) {
      const L = phaseLossesN2M1(r, p);
      // the grid is a midpoint rule: exact up to ~1/(12 g²) of the value
      const rel = (a: number, b: number) => Math.abs(a / b - 1);
      expect(rel(expectedLoss([1, -1], [0, 0], [1, r], 1, 2, p), L.superposition / 2)).toBeLessThan(2e-3);
      expect(rel(expectedLoss([1, 0], [0, p / 2], [1, r], 1, 2, p), L['not represented'] / 2)).toBeLessThan(2e-3);
      expect(rel(expectedLoss([0, 1], [p / 2, 0], [1, r], 1, 2, p), L.dedicated / 2)).toBeLessThan(2e-3);
    }
  });

  it('puts the theoretical boundary at density 4/7 for equal importance', () => {
    const c = config({ n: 2, m: 1, instances: 2, sparsityRange: [1 - (SUPERPOSITION_DENSITY_N2M1_EQUAL + 0.01), 1 - (SUPERPOSITION_DENSITY_N2M1_EQUAL - 0.01)], extraImportanceRange: [1, 1], importanceDecay: 1 });
    const pass = { step: 0, phases: ['superposition', 'superposition'] as const, losses: null, geometry: ['', ''] };
    const result = combinePasses(c, [{ ...pass, phases: [...pass.phases] }]);
    expect(result.cells[0].density).toBeCloseTo(SUPERPOSITION_DENSITY_N2M1_EQUAL + 0.01, 9);
    expect(result.cells[0].theory).not.toBe('superposition');
    expect(result.cells[1].theory).toBe('superposition');
    expect(result.agreement).toBe(0.5);
  });

  it('keeps, per cell, the pass with the lowest expected loss', () => {
    const c = config({ n: 2, m: 1, instances: 4, gridColumns: 2, sparsityRange: [0, 0.99], extraImportanceRange: [0.1, 10], importanceDecay: 1 });
    const a = { step: 1, phases: ['dedicated', 'dedicated', 'dedicated', 'dedicated'] as const, losses: Float64Array.from([1, 1, 1, 1]), geometry: ['a', 'a', 'a', 'a'] };
    const b = { step: 1, phases: ['superposition', 'superposition', 'superposition', 'superposition'] as const, losses: Float64Array.from([2, 0.5, 2, 0.5]), geometry: ['b', 'b', 'b', 'b'] };
    const r = combinePasses(c, [{ ...a, phases: [...a.phases] }, { ...b, phases: [...b.phases] }]);
    expect(r.cells.map((x) => x.pass)).toEqual([0, 1, 0, 1]);
    expect(r.cells.map((x) => x.phase)).toEqual(['dedicated', 'superposition', 'dedicated', 'superposition']);
    expect(r.rows).toBe(2);
    expect(r.densities[0]).toBe(1);
    expect(r.importances).toEqual([0.1, 10]);
  });

  it('tracks how long each cell has held its phase', () => {
    const a = trackSettling(null, ['dedicated', 'superposition'], 100);
    const b = trackSettling(a, ['dedicated', 'dedicated'], 200);
    expect(Array.from(b.since)).toEqual([100, 200]);
  });

  it('trained 5×5 grid: corners in the right phase, most cells as the closed form says', () => {
    const r = train<PhaseGridResult>('phase-n2m1', { instances: 25, gridColumns: 5 });
    const at = (row: number, col: number) => r.cells.find((c) => c.row === row && c.col === col)!;
    expect(at(0, 0).importance).toBeCloseTo(0.1, 9);
    expect(at(0, 0).density).toBe(1);
    expect(at(0, 0).phase).toBe('not represented'); // dense, unimportant extra feature: dropped
    expect(at(0, 4).phase).toBe('dedicated'); // dense, important extra feature: it takes the dimension
    expect(at(4, 0).phase).toBe('superposition'); // sparse: superposition
    expect(at(4, 4).phase).toBe('superposition');
    expect(at(4, 2).importance).toBeCloseTo(1, 9);
    expect(at(4, 2).phase).toBe('superposition');
    expect(r.passes).toBe(3);
    expect(r.agreement).toBeGreaterThanOrEqual(0.84);
  });
});

describe('correlated and anticorrelated features (§5.4)', () => {
  it('angles between set members, from hand-made weights', () => {
    const c = config({ n: 4, m: 2, correlatedSets: 1, anticorrelatedSets: 1, setSize: 2 });
    // 1 ⟂ 2 (correlated), 3 = −4 (anticorrelated)
    const r = featureSetAngles(c, { step: 0, K: 1, n: 4, m: 2, W: Float32Array.from([1, 0, 0.7, -0.7, 0, 1, 0.7, -0.7]), b: new Float32Array(4) });
    expect(r.meanAngle.correlated).toBeCloseTo(90, 5);
    expect(r.meanAngle.anticorrelated).toBeCloseTo(180, 3);
    expect(r.instances[0].pairs.filter((p) => p.kind === 'across sets')).toHaveLength(4);
  });

  it('trained: correlated pairs near 90°, anticorrelated pairs near 180°', () => {
    const corr = train<FeatureSetResult>('correlated', { instances: 3, steps: 3000 });
    const anti = train<FeatureSetResult>('anticorrelated', { instances: 3, steps: 3000 });
    for (const inst of corr.instances) expect(Math.abs(inst.meanAngle.correlated - 90)).toBeLessThan(10);
    for (const inst of anti.instances) expect(Math.abs(inst.meanAngle.anticorrelated - 180)).toBeLessThan(10);
  });
});

describe('dimensionality (A5)', () => {
  it('neighbours of a feature, largest overlap first', () => {
    // 1 and 2 antipodal, 3 orthogonal to them
    const nb = featureNeighbours([1, -1, 0, 0, 0, 1], 2, 3, 0);
    expect(nb).toHaveLength(1);
    expect(nb[0]).toMatchObject({ feature: 1 });
    expect(nb[0].cos).toBeCloseTo(-1, 6);
  });

  it('trained: dims per feature falls from 1 and sticks at 1/2 over a range of sparsities', () => {
    // the view's n=50, m=5 preset, eight models over the plateau's sparsities
    const r = train<DimensionalityResult>('dimensionality', { n: 50, m: 5, instances: 8, sparsityRange: [0.3, 0.8], steps: 2000 });
    expect(r.points[0].dimsPerFeature).toBeGreaterThan(0.9);
    expect(r.points.at(-1)!.dimsPerFeature).toBeLessThan(0.45);
    expect(r.plateau.instances.length).toBeGreaterThanOrEqual(3);
    const [lo, hi] = r.plateau.xRange!;
    expect(hi / lo).toBeGreaterThan(1.3);
    expect(r.stickyCounts.digon).toBeGreaterThan(10);
  });
});

describe('computation in superposition and the privileged basis (§5.5–5.6, A6)', () => {
  it('classifies a neuron by its input weights', () => {
    const W = [0.9, 0.05, 0, 0.6, -0.6, 0.1]; // neuron 1 reads feature 1; neuron 2 reads features 1 (+) and 2 (−)
    expect(neuronFacts(W, null, 2, 3, 0)).toMatchObject({ monosemantic: true, dead: false });
    const poly = neuronFacts(W, null, 2, 3, 1);
    expect(poly.monosemantic).toBe(false);
    expect(poly.reads.map((r) => [r.feature, Math.sign(r.weight)])).toEqual([[0, 1], [1, -1]]); // 0.1² is under a tenth of 0.6²
  });

  // A6 and the §5.5 sweep (the 'monosemantic' and 'privileged-basis' runs, tied model): tests/unit/privileged.test.ts
  it('|x| model: neurons turn polysemantic as sparsity rises', () => {
    const r = train<NeuronResult>('abs-sweep', { instances: 3, steps: 3000 });
    const [dense, , sparse] = r.instances;
    expect(dense.monosemanticFraction).toBeGreaterThanOrEqual(0.8);
    expect(sparse.monosemanticFraction).toBeLessThanOrEqual(0.4);
    expect(sparse.featuresPerNeuron).toBeGreaterThan(dense.featuresPerNeuron + 1);
  });
});

describe('sparsity sweep (§5.2)', () => {
  it('linear keeps m features at every sparsity; ReLU output goes past m when sparse', () => {
    const relu = train<SweepResult>('sweep-relu', { instances: 3, steps: 4000 });
    const linear = train<SweepResult>('sweep-linear', { instances: 3, steps: 4000 });
    expect(linear.instances.map((i) => i.represented)).toEqual([5, 5, 5]);
    expect(linear.instances.every((i) => i.superposed === 0)).toBe(true);
    expect(relu.instances[0].represented).toBe(5);
    expect(relu.instances[2].represented).toBeGreaterThanOrEqual(9);
    expect(relu.instances[2].superposed).toBeGreaterThanOrEqual(9);
  });
});

describe('learning dynamics (§5.7)', () => {
  it('records frames and finds the jump from two antipodal pairs to the pentagon, with a loss drop', () => {
    const out = trainViewRun(spec('dynamics'));
    expect(out.frames[0].step).toBe(0);
    expect(out.frames.at(-1)!.step).toBe(5000);
    expect(out.frames.length).toBe(201);
    const r = out.analysis!.result as DynamicsResult;
    expect(r.jumps.length).toBeGreaterThanOrEqual(1);
    const last = r.jumps.at(-1)!;
    expect(last.to).toBe('pentagon');
    expect(r.jumps.some((j) => j.from === '2 antipodal pairs')).toBe(true);
    expect(last.lossAfter).toBeLessThan(last.lossBefore * 0.8);
    expect(analyzeRun(spec('dynamics'), out.passes[0].config, [], out.frames)?.kind).toBe('dynamics');
  });

  it('a state has to hold to count: a one-frame wobble is not a jump', () => {
    const pair = (s: number) => ({ step: s, W: Float32Array.from([1, -1, 0, 0, 0, 0, 1, -1]), b: new Float32Array(4), loss: 1 });
    const odd = (s: number) => ({ step: s, W: Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0]), b: new Float32Array(4), loss: 1 });
    const frames = [...[0, 1, 2, 3, 4].map(pair), odd(5), ...[6, 7, 8, 9, 10].map(pair)];
    expect(dynamicsAnalysis(frames, 2, 4).jumps).toEqual([]);
  });
});

describe('CLI --view', () => {
  const root = join(import.meta.dirname, '..', '..');
  const lab = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

  it('writes the numbers the view shows, plus a run record per pass', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lab-view-')), 'view.json');
    const r = lab(['--view', 'phase-n2m1', '--instances', '16', '--grid-columns', '4', '--steps', '300', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rec = JSON.parse(readFileSync(out, 'utf8'));
    expect(rec.version).toBe(1);
    expect(rec.view.id).toBe('phase-n2m1');
    expect(rec.view.overrides).toEqual({ instances: 16, gridColumns: 4, steps: 300 });
    const a = rec.view.runs[0].analysis;
    expect(a.rows).toBe(4);
    expect(a.cells).toHaveLength(16);
    expect(typeof a.agreement).toBe('number');
    expect(rec.view.runs[0].passes.map((p: { seed: number }) => p.seed)).toEqual([1, 2, 3]);
    expect(rec.runs).toHaveLength(3);
    expect(rec.runs[0].instances).toHaveLength(16);
  });

  it('rejects an unknown view with exit code 2', () => {
    const r = lab(['--view', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--view must be one of sweep, dimensionality, phase/);
  });
});
