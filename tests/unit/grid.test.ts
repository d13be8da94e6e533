// The grid over two settings (issue 18): axis and resolution parsing with precise messages, the cells and
// how they are grouped into trainers, the phase views as presets of the grid (the same cells), exports, and a
// real trained grid with a fixed seed whose phases match the closed form (science.md §4.7).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GRID_CONFIG, parseAxis, parseCells, validateGridConfig, type GridConfig } from '../../src/engine/grid/config';
import { axisValues, cellPlans, trainerGroups } from '../../src/engine/grid/cells';
import { gridPreset, phaseViewConfig } from '../../src/engine/grid/presets';
import { GridRun, gridCsv, recordOfRun, runGrid } from '../../src/engine/grid/run';
import { DEFAULT_CONFIG, instanceImportance, instanceSparsities, validateConfig } from '../../src/engine/toy/config';
import { FusedTrainer } from '../../src/engine/toy/fused/fusedTrainer';
import { dataSpecFromConfig } from '../../src/engine/toy/data';
import { findRunSpec, runConfig } from '../../src/engine/views/views';
import { trainViewRun } from '../../src/engine/views/runner';
import { decodeHash, encodeHash, TAB_SETTINGS, type LinkState, type LinkVocabulary } from '../../src/state/location';
import type { FromGridWorker } from '../../src/worker/gridProtocol';
import { GridSession } from '../../src/worker/gridSession';

const root = join(import.meta.dirname, '..', '..');
const grid = (over: Partial<GridConfig>): GridConfig => {
  const r = validateGridConfig(over);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};
const errorsOf = (over: Record<string, unknown>) => validateGridConfig(over, DEFAULT_GRID_CONFIG, { naming: 'flag' }).errors;

describe('grid settings', () => {
  it('parses axis specs and names every syntax problem', () => {
    expect(parseAxis('sparsity:0:0.99:log', '--x').axis).toEqual({ setting: 'sparsity', from: 0, to: 0.99, scale: 'log' });
    expect(parseAxis('importance-decay:0.5:1', '--y').axis).toEqual({ setting: 'importance-decay', from: 0.5, to: 1, scale: 'linear' });
    expect(parseAxis('foo:0:1', '--x').errors).toEqual(['--x: unknown setting "foo"; pick one of sparsity, importance-decay, last-importance, n, m, lr, weight-decay, batch']);
    expect(parseAxis('lr:abc:1', '--x').errors).toEqual(['--x: from must be a number; got "abc"']);
    expect(parseAxis('lr:0.1', '--x').errors[0]).toMatch(/must look like setting:from:to/);
    expect(parseAxis('lr:0.1:1:cubic', '--x').errors).toEqual(['--x: the scale must be linear or log; got "cubic"']);
    expect(parseCells('12x12')).toEqual({ cols: 12, rows: 12 });
    expect(parseCells('40x3')).toEqual({ error: '--cells must be COLSxROWS, each a whole number from 2 to 32 (e.g. 12x12); got "40x3"' });
    expect('error' in parseCells('1x5')).toBe(true);
  });

  it('judges ranges against their setting: order, log, bounds, integers, the same setting twice', () => {
    const axis = (a: 'x' | 'y', setting: string, from: number, to: number, scale = 'linear') => ({ [`${a}Setting`]: setting, [`${a}From`]: from, [`${a}To`]: to, [`${a}Scale`]: scale });
    expect(errorsOf(axis('x', 'sparsity', 0.9, 0.5))).toEqual(['--x sparsity: from (0.9) must be below to (0.5)']);
    expect(errorsOf(axis('x', 'weight-decay', 0, 0.1, 'log'))).toEqual(['--x weight-decay: a log range needs both ends above 0; got from 0']);
    expect(errorsOf(axis('x', 'sparsity', 0, 1))).toEqual(['--x sparsity: to must be at least 0 and below 1; got 1']);
    expect(errorsOf({ ...axis('x', 'n', 2.5, 6), cols: 4 })).toEqual(['--x n: n is a whole number; from must be an integer; got 2.5']);
    expect(errorsOf({ ...axis('x', 'batch', 1, 100_000), cols: 4 })).toEqual(['--x batch: to must be at least 1 and at most 4096; got 100000']);
    expect(errorsOf({ ...axis('x', 'n', 2, 5), cols: 12 })).toEqual(['--x n: 2…5 has only 4 whole values but there are 12 columns; use fewer cells or a wider range']);
    expect(errorsOf(axis('y', 'sparsity', 0, 0.5))).toEqual(['--x and --y both vary sparsity; pick two different settings']);
    // sparsity on a log axis spaces the densities 1 − S, so S = 0 is fine
    expect(errorsOf(axis('x', 'sparsity', 0, 0.99, 'log'))).toEqual([]);
    expect(validateGridConfig({ xFrom: 'abc' }).errors).toEqual(['xFrom must be a number from -1000000000 to 1000000000; got "abc"']);
  });

  it('spaces axis values linearly, logarithmically, or (sparsity) by log densities; integers round', () => {
    expect(axisValues({ setting: 'lr', from: 1e-3, to: 1e-1, scale: 'log' }, 3).map((v) => Number(v.toPrecision(6)))).toEqual([1e-3, 1e-2, 1e-1]);
    expect(axisValues({ setting: 'importance-decay', from: 0.5, to: 1, scale: 'linear' }, 3)).toEqual([0.5, 0.75, 1]);
    expect(axisValues({ setting: 'n', from: 2, to: 9, scale: 'linear' }, 4)).toEqual([2, 4, 7, 9]);
    const s = axisValues({ setting: 'sparsity', from: 0, to: 0.99, scale: 'log' }, 3);
    expect(s[0]).toBe(0);
    expect(1 - s[1]).toBeCloseTo(0.1, 12);
    expect(s[2]).toBeCloseTo(0.99, 12);
  });

  it('puts cells that differ only in data settings in one trainer, and the others in trainers of their own', () => {
    expect(trainerGroups(grid({ cols: 4, rows: 3 })).map((g) => g.cells.length)).toEqual([12]);
    const byN = trainerGroups(grid({ xSetting: 'n', xFrom: 3, xTo: 6, cols: 4, ySetting: 'sparsity', yFrom: 0, yTo: 0.9, rows: 3 }));
    expect(byN.map((g) => [g.config.n, g.cells.length])).toEqual([[3, 3], [4, 3], [5, 3], [6, 3]]);
    const byLr = trainerGroups(grid({ xSetting: 'lr', xFrom: 1e-3, xTo: 1e-1, xScale: 'log', cols: 3, ySetting: 'batch', yFrom: 64, yTo: 256, rows: 2 }));
    expect(byLr).toHaveLength(6);
    // restarts: the same cells again with seeds s+1, s+2 (as the phase view's passes)
    const restarts = trainerGroups(grid({ cols: 2, rows: 2, restarts: 3, seed: 7 }));
    expect(restarts.map((g) => [g.restart, g.config.seed, g.cells.join()])).toEqual([[0, 7, '0,1,2,3'], [1, 8, '0,1,2,3'], [2, 9, '0,1,2,3']]);
    // each instance's densities and importances are its cell's
    const g = trainerGroups(grid({ cols: 2, rows: 2, xSetting: 'sparsity', xFrom: 0, xTo: 0.9, ySetting: 'last-importance', yFrom: 0.5, yTo: 2, yScale: 'log' }))[0];
    expect(Array.from(g.density.subarray(5, 10)).map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(Array.from(g.importance.subarray(15, 20)).map((v) => Number(v.toFixed(4)))).toEqual([1, 0.9, 0.81, 0.729, 2]);
  });

  it('the phase views are presets of the grid: the same cells, sparsity and importance for sparsity and importance', () => {
    for (const id of ['phase-n2m1', 'phase-n3m2'] as const) {
      const g = gridPreset(id);
      const made = runConfig(findRunSpec(id)!.run);
      if (!made.ok) throw new Error(made.errors.join('; '));
      expect(made.config).toMatchObject(phaseViewConfig(g));
      const sparsities = instanceSparsities(made.config);
      const importance = instanceImportance(made.config);
      for (const p of cellPlans(g)) {
        expect(p.settings.sparsity).toBeCloseTo(sparsities[p.index], 12);
        expect(p.settings.lastImportance).toBeCloseTo(importance[p.index][g.n - 1], 12);
      }
      expect(findRunSpec(id)!.run.passes).toBe(g.restarts);
    }
  });
});

describe('grid training', () => {
  it('per-instance data given to the fused trainer trains exactly as the config\'s own', () => {
    const c = validateConfig({ n: 4, m: 2, instances: 3, sparsityRange: [0.5, 0.9], steps: 20, batch: 64 }).config!;
    const spec = dataSpecFromConfig(c);
    const a = new FusedTrainer(c);
    const b = new FusedTrainer(c, { data: { density: spec.density, importance: spec.importance } });
    a.step(20);
    b.step(20);
    expect(Array.from(b.snapshot().W)).toEqual(Array.from(a.snapshot().W));
    a.dispose();
    b.dispose();
  });

  it('the grid engine trains the phase view\'s preset to the same phases, cell for cell (5×5, 3 passes)', () => {
    const view = trainViewRun(findRunSpec('phase-n2m1')!.run, { overrides: { instances: 25, gridColumns: 5 } });
    const run = runGrid({ ...gridPreset('phase-n2m1'), cols: 5, rows: 5 });
    const a = view.analysis!;
    if (a.kind !== 'phase') throw new Error('not a phase analysis');
    expect(run.cells.map((c) => c.phase)).toEqual(a.result.cells.map((c) => c.phase));
    expect(run.cells.map((c) => c.restart)).toEqual(a.result.cells.map((c) => c.pass));
    expect(run.agreement()).toBe(a.result.agreement);
  });

  it('a trained n = 2, m = 1 grid (seed 1) puts the last feature where the closed form says', () => {
    const run = runGrid({ ...gridPreset('phase-n2m1'), cols: 8, rows: 8 });
    const at = (row: number, col: number) => run.cells.find((c) => c.row === row && c.col === col)!;
    expect(at(0, 0).phase).toBe('not represented'); // dense, unimportant: dropped
    expect(at(0, 7).phase).toBe('dedicated'); // dense, important: its own dimension
    expect(at(7, 0).phase).toBe('superposition'); // sparse: superposition
    expect(at(7, 7).phase).toBe('superposition');
    // measured 58/64 = 0.906 (seed 1; the 20×20 preset: 380/400 = 95%)
    const agreement = run.agreement()!;
    console.log(`grid n=2 m=1 8×8: ${(100 * agreement).toFixed(1)}% of cells in their closed-form phase`);
    expect(agreement).toBeGreaterThanOrEqual(0.89);
  });

  it('stops a trainer early once every cell has settled, and exports JSON and CSV', () => {
    const c = grid({ cols: 3, rows: 2, steps: 3000, settle: 0.1 });
    const run = new GridRun(c);
    while (!run.step(500));
    run.dispose();
    const rec = recordOfRun(run);
    expect(rec.stepsTaken).toBeLessThan(3000);
    expect(rec).toMatchObject({ version: 1, kind: 'grid', trainers: 1, x: { setting: 'sparsity', scale: 'log' }, y: { setting: 'importance-decay' } });
    expect(validateGridConfig(rec.config).config).toEqual(c);
    expect(rec.cells).toHaveLength(6);
    expect(rec.cells[0].geometry).toBe('2 dedicated dimensions'); // dense: as many features as dimensions
    const csv = gridCsv(c, run.cells).trim().split('\n');
    expect(csv[0]).toBe('row,col,sparsity,importance-decay,geometry,represented,dims_per_feature,last_feature_phase,loss,steps,theory_phase');
    expect(csv).toHaveLength(7);
    expect(csv[1].startsWith('0,0,0,0.5,2 dedicated dimensions,2,')).toBe(true);
  });
});

describe('grid CLI', () => {
  const lab = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'grid', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

  it('writes the grid as JSON', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'grid-')), 'grid.json');
    const r = lab(['--x', 'sparsity:0:0.9:log', '--y', 'n:3:4', '--cells', '2x2', '--steps', '200', '--quiet', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rec = JSON.parse(readFileSync(out, 'utf8'));
    expect(rec).toMatchObject({ version: 1, kind: 'grid', trainers: 2, x: { setting: 'sparsity', values: [0, 0.9] }, y: { setting: 'n', values: [3, 4] } });
    expect(rec.cells).toHaveLength(4);
  });

  it('refuses bad input with exit 2, one line per problem, before any work', () => {
    const r = lab(['--x', 'foo:0:1', '--y', 'sparsity:x:1', '--cells', '40x3', '--bogus', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: unknown flag --bogus (see npm run lab -- grid --help)',
      'error: --x: unknown setting "foo"; pick one of sparsity, importance-decay, last-importance, n, m, lr, weight-decay, batch',
      'error: --y: from must be a number; got "x"',
      'error: --cells must be COLSxROWS, each a whole number from 2 to 32 (e.g. 12x12); got "40x3"',
    ]);
    const r2 = lab(['--x', 'lr:0.1:0.01', '--y', 'lr:0.001:0.1:log']);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toBe('error: --x and --y both vary lr; pick two different settings\nerror: --x lr: from (0.1) must be below to (0.01)\n');
    expect(lab(['--y', 'sparsity:0:0.9']).stderr).toBe('error: --x is required, e.g. --x sparsity:0:0.99:log\n');
    void DEFAULT_CONFIG;
  });
});

describe('the Grid tab in the link and its worker session', () => {
  const vocab: LinkVocabulary = { views: ['lab', 'grid'], defaultView: 'lab', panels: [] };
  const tab = TAB_SETTINGS.find((t) => t.id === 'grid')!;

  it('writes only what differs from its defaults, under grid., and reads it back', () => {
    const settings: GridConfig = { ...(tab.defaults as GridConfig), xSetting: 'lr', xFrom: 0.001, xTo: 0.1, xScale: 'log', cols: 8 };
    const state: LinkState = { config: { ...DEFAULT_CONFIG }, view: 'grid', instance: 0, panel: null, settings: { grid: settings } };
    const hash = encodeHash(state);
    expect(hash).toMatch(/&view=grid&grid\.xSetting=lr&grid\.xFrom=0\.001&grid\.xTo=0\.1&grid\.cols=8$/);
    expect(decodeHash(hash, vocab)).toEqual({ state, errors: [], present: true });
  });

  it('names a bad range in a link and keeps the defaults', () => {
    const d = decodeHash('#view=grid&grid.xFrom=0.9&grid.xTo=0.5', vocab);
    expect(d.errors).toEqual(['In the link: x sparsity: from (0.9) must be below to (0.5); used the default grid.xTo = 0.99.']);
    expect(d.state.settings?.grid).toEqual({ ...DEFAULT_GRID_CONFIG, xFrom: 0.9 });
    // an axis over another setting travels whole
    const n = decodeHash('#view=grid&grid.xSetting=n&grid.xFrom=2&grid.xTo=30', vocab);
    expect(n.errors).toEqual([]);
    expect(n.state.settings?.grid).toMatchObject({ xSetting: 'n', xFrom: 2, xTo: 30 });
  });

  it('the session trains in chunks and posts cells as they are classified, then done', () => {
    const posted: FromGridWorker[] = [];
    let now = 0;
    const queue: (() => void)[] = [];
    const session = new GridSession({ now: () => (now += 5), yieldThen: (fn) => void queue.push(fn), post: (m) => void posted.push(m) });
    session.configure(1, grid({ cols: 2, rows: 2, steps: 200, settle: 0 }), true);
    for (let i = 0; i < 10_000 && queue.length; i++) queue.shift()!();
    const cells = posted.filter((m): m is Extract<FromGridWorker, { type: 'cells' }> => m.type === 'cells');
    expect(cells[0].cells.every((c) => c.status === 'waiting')).toBe(true);
    expect(cells.at(-1)!.cells.every((c) => c.status === 'done' && c.step === 200 && typeof c.geometry === 'string')).toBe(true);
    const last = posted.filter((m) => m.type === 'status').at(-1)!;
    expect(last).toMatchObject({ type: 'status', runId: 1, done: true, cellsDone: 4, cells: 4, trainers: 1 });
    session.dispose();
  });
});
