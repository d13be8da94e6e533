import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
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
    [['--out', '/dev/full'], /^error: --out \/dev\/full is a device; give a regular file \(or - to print to stdout\)$/m],
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

  // issue 16, items 3–5: what is at --out is never replaced unless it is a regular file, and every
  // check (the output's directory, a view's presets) comes before any training
  it('refuses a device, a symbolic link and a FIFO at --out, and leaves them as they were', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-'));
    const target = join(dir, 'target.json');
    writeFileSync(target, 'keep\n');
    const link = join(dir, 'link.json');
    symlinkSync(target, link);
    const fifo = join(dir, 'fifo');
    spawnSync('mkfifo', [fifo]);
    for (const [out, kind] of [['/dev/full', 'a device'], [link, 'a symbolic link'], [fifo, 'a FIFO (named pipe)']]) {
      const r = lab(['--steps', '10', '--batch', '16', '--quiet', '--out', out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`error: --out ${out} is ${kind}; give a regular file (or - to print to stdout)\n`);
    }
    expect(lstatSync('/dev/full').isCharacterDevice()).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('keep\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['fifo', 'link.json', 'target.json']);
  });

  it('prints to stdout with --out -', () => {
    const r = lab(['--steps', '20', '--batch', '64', '--quiet', '--out', '-']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).instances[0].W).toHaveLength(2);
  });

  it('refuses an --out it cannot write before training, naming the path as typed', () => {
    const t0 = performance.now();
    const r = lab(['--steps', '300000', '--quiet', '--out', '/sys/x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --out \/sys\/x: cannot create a file in \/sys \(.+\)\n$/);
    expect(r.stderr).not.toMatch(/tmp/);
    expect(performance.now() - t0).toBeLessThan(15_000); // 300 000 steps would take ~25 s
  });

  it("checks every run of a view with its presets before any training, exit 2", () => {
    for (const [args, line] of [
      [['--view', 'phase-n2m1', '--instances', '3'], 'error: --view phase-n2m1 with its presets: --instances (3) must be a multiple of --grid-columns (20) to fill the grid'],
      [['--view', 'correlated', '--n', '3'], 'error: --view correlated with its presets (run correlated, anticorrelated): correlated and anticorrelated sets need 4 features (2 sets of --set-size 2) but --n is 3'],
      [['--view', 'computation', '--correlated-sets', '1'], 'error: --view computation with its presets (run abs-sweep): relu-hidden (the |x| task) uses independent features; set --correlated-sets and --anticorrelated-sets to 0'],
    ] as [string[], string][]) {
      const t0 = performance.now();
      const r = lab([...args, '--quiet']);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(line + '\n');
      expect(performance.now() - t0).toBeLessThan(15_000); // the computation view's first two runs take ~6 s
    }
  });
});
