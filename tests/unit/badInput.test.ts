// Issue 16's bad-input table: every way of feeding the lab bad input that the fault review tried
// (CLI flags and --out targets, URL hashes and queries, imported files), one row each. Every row is
// refused before any work, in one specific line per problem, and nothing else changes. The counts
// (tried / handled) are printed at the end for the note.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommandLine } from '../../src/cli/check';
import { DEFAULT_CONFIG } from '../../src/engine/toy/config';
import { MAX_HASH_LENGTH, readLocation, type LinkVocabulary } from '../../src/state/location';
import { MAX_IMPORT_BYTES, parseRunFile } from '../../src/state/export/runJson';

const tally = { tried: 0, handled: 0 };
const count = (ok: boolean) => {
  tally.tried++;
  if (ok) tally.handled++;
};

// ---- the CLI -------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'bad-input-'));
const file = join(dir, 'existing.json');
writeFileSync(file, 'keep\n');
const link = join(dir, 'link.json');
symlinkSync(file, link);
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const sub = join(dir, 'sub');
mkdirSync(sub);
const ok = join(dir, 'run.json');

/** argv, and the one line (exactly) it must print; `--out <ok>` is added when the row has no --out. */
const CLI: [string, string[], RegExp][] = [
  // flags
  ['an unknown flag and its value', ['--bogus', '1'], /^unknown flag --bogus \(see --help\)$/],
  ['an unknown flag with =', ['--bogus=1'], /^unknown flag --bogus \(see --help\)$/],
  ['a bare word and its value', ['n', '5'], /^unexpected arguments "n" "5"; flags look like --n 5 \(see --help\)$/],
  ['a missing value', ['--n'], /^--n needs a value$/],
  ['an empty value', ['--n='], /^--n needs a value$/],
  ['a flag given twice', ['--seed', '1', '--seed', '2'], /^--seed is given more than once$/],
  ['a value for a switch', ['--quiet=1'], /^--quiet takes no value$/],
  ['zero features', ['--n', '0'], /^--n must be an integer from 1 to 512; got "0"$/],
  ['a word for a number', ['--n', 'abc'], /^--n must be an integer from 1 to 512; got "abc"$/],
  ['hex for a number', ['--n', '0x10'], /^--n must be an integer from 1 to 512; got "0x10"$/],
  ['infinity', ['--lr', 'Infinity'], /^--lr must be a number .*; got "Infinity"$/],
  ['NaN', ['--lr', 'NaN'], /^--lr must be a number .*; got "NaN"$/],
  ['sparsity 1.5', ['--sparsity', '1.5'], /^--sparsity must be a number at least 0 and below 1; got "1\.5"$/],
  ['negative steps', ['--steps', '-1'], /^--steps must be an integer from 1 to 10000000; got "-1"$/],
  ['negative importance decay', ['--importance-decay', '-2'], /^--importance-decay must be a number above 0 and at most 1; got "-2"$/],
  ['an unknown model', ['--model', 'mlp'], /^--model must be one of relu-output, linear, relu-hidden/],
  ['an unknown engine', ['--engine', 'gpu'], /^--engine must be one of auto, tfjs, fused; got "gpu"$/],
  ['an unknown backend', ['--backend', '<script>'], /^--backend must be one of .*; got "<script>"$/],
  ['both sparsity forms', ['--sparsity', '0.9', '--sparsity-range', '0:0.9'], /^give either --sparsity or --sparsity-range, not both$/],
  ['a one-sided range', ['--sparsity-range', '0.5'], /^--sparsity-range must be two sparsities a:b/],
  ['a huge curve', ['--curve-points', '1e9'], /^--curve-points must be an integer from 1 to 100000/],
  ['an unknown view', ['--view', 'nope'], /^--view must be one of /],
  // cross-field: named by their flags
  ['a grid that does not fill', ['--instances', '3', '--grid-columns', '2'], /^--instances \(3\) must be a multiple of --grid-columns \(2\) to fill the grid$/],
  ['sets that need more features', ['--n', '3', '--correlated-sets', '2'], /^correlated and anticorrelated sets need 4 features \(2 sets of --set-size 2\) but --n is 3$/],
  ['|x| with correlated features', ['--model', 'relu-hidden', '--correlated-sets', '1'], /^relu-hidden \(the \|x\| task\) uses independent features; set --correlated-sets and --anticorrelated-sets to 0$/],
  ['a batch too large', ['--instances', '1024', '--batch', '65536', '--n', '512', '--m', '1'], /^--instances × --batch × --n is \d+; the largest allowed/],
  ['an extra importance of 0', ['--extra-importance-range', '0:1'], /--extra-importance-range must be/],
  ['λ range from 0', ['sae', '--l1-range', '0:1'], /^--l1-range must be two positive numbers \(they are log-spaced\); got 0:1$/],
  ['a dead window over the period', ['sae', '--dead-window', '5000'], /^--dead-window \(5000\) must not exceed --resample-every \(2500\)$/],
  ['more active than features', ['sae', '--data', 'sharkey', '--sharkey-features', '4', '--sharkey-active', '5'], /^--sharkey-active \(5\) cannot exceed --sharkey-features \(4\)$/],
  ['both λ forms', ['sae', '--l1', '0.1', '--l1-range', '0.1:1'], /^give either --l1 or --l1-range, not both$/],
  ['a sweep on toy data', ['sae-sweep', '--data', 'toy'], /^--data must be sharkey for sae-sweep/],
  // activations files (issue 18; every malformed .npy/JSON: tests/unit/activationsFile.test.ts)
  ['an activations file that does not exist', ['sae', '--data', 'file:/no/such/acts.npy'], /^--data file:\/no\/such\/acts\.npy: no such file$/],
  ['an activations "file" that is a directory', ['sae', '--data', `file:${sub}`], new RegExp(`^--data file:${sub}: not a regular file$`)],
  ['file: without a path', ['sae', '--data', 'file:'], /^--data file needs a path, e\.g\. --data file:acts\.npy$/],
  ['file without a colon and path', ['sae', '--data', 'file'], /^--data file needs a path, e\.g\. --data file:acts\.npy$/],
  ['an activations file that is neither .npy nor JSON', ['sae', '--data', `file:${file}`], /: neither a \.npy file \(it does not start with \\x93NUMPY\) nor JSON/],
  ['--truth without file data', ['sae', '--truth', `file:${file}`], /^--truth needs --data file:PATH/],
  ['--truth not as file:', ['sae', '--truth', 'dirs.npy'], /^--truth must be file:PATH/],
  ['a sweep ratio of 0', ['sae-sweep', '--ratios', '0,1'], /^--ratios: each must be a number above 0 and at most 64; got 0$/],
  ['a sweep whose largest dictionary is too big', ['sae-sweep', '--ratios', '64', '--sae-instances', '64', '--sae-batch', '4096'], /^at ratio 64 \(--dict-size 4096\): --sae-instances × --sae-batch × --dict-size is 1073741824; the largest allowed is 33554432$/],
  ['a toy flag in the sweep', ['sae-sweep', '--n', '5'], /^unknown flag --n \(see --help\)$/],
  ['heads that do not divide d_model', ['induction', '--heads', '3'], /^--heads \(3\) must divide --d-model \(32\)$/],
  ['an induction flag it lacks', ['induction', '--engine', 'gpu'], /^--engine must be one of /],
  ['a rome edit layer past the model', ['rome', '--layers', '2', '--edit-layer', '5'], /^--edit-layer must be auto or a layer from 0 to 1; got 5$/],
  ['rome heads that do not divide d_model', ['rome', '--heads', '3'], /^--heads \(3\) must divide --d-model \(\d+\)$/],
  // a view's presets, every run and pass checked before any training
  ['a phase view with 3 instances', ['--view', 'phase-n2m1', '--instances', '3'], /^--view phase-n2m1 with its presets: --instances \(3\) must be a multiple of --grid-columns \(20\) to fill the grid$/],
  ['both phase views with 3 instances', ['--view', 'phase', '--instances', '3'], /^--view phase with its presets \(run phase-n2m1, phase-n3m2\): --instances \(3\) must be a multiple of --grid-columns \(20\)/],
  ['correlated pairs in 3 features', ['--view', 'correlated', '--n', '3'], /^--view correlated with its presets \(run correlated, anticorrelated\): correlated and anticorrelated sets need 4 features \(2 sets of --set-size 2\) but --n is 3$/],
  ['|x| runs with a correlated set (the third run)', ['--view', 'computation', '--correlated-sets', '1'], /^--view computation with its presets \(run abs-sweep\): relu-hidden \(the \|x\| task\) uses independent features/],
  // where the output goes
  ['--out a device node', ['--out', '/dev/full'], /^--out \/dev\/full is a device; give a regular file \(or - to print to stdout\)$/],
  ['--out a symbolic link', ['--out', link], new RegExp(`^--out ${link} is a symbolic link; give a regular file`)],
  ['--out a FIFO', ['--out', fifo], new RegExp(`^--out ${fifo} is a FIFO \\(named pipe\\); give a regular file`)],
  ['--out a directory', ['--out', sub], new RegExp(`^--out ${sub} is a directory; give a regular file`)],
  ['--out in a missing directory', ['--out', '/no/such/dir/run.json'], /^--out: directory \/no\/such\/dir does not exist$/],
  ['--out under a file', ['--out', join(file, 'run.json')], new RegExp(`^--out: ${file} is not a directory$`)],
  ['--out where no file can be made', ['--steps', '300000', '--out', '/sys/x'], /^--out \/sys\/x: cannot create a file in \/sys \(.+\)$/],
  ['--out a relative path in a missing directory', ['--out', 'no-such-dir/run.json'], /^--out: directory no-such-dir does not exist$/],
];

describe('the CLI refuses bad input before any work, one line per problem', () => {
  it.each(CLI)('%s', (_name, argv, line) => {
    const args = argv.includes('--out') ? argv : [...argv, '--out', ok];
    const plan = checkCommandLine(args);
    const errors = plan.kind === 'errors' ? plan.errors : [];
    count(errors.length === 1 && line.test(errors[0]));
    expect(plan.kind).toBe('errors');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(line);
    // no file is left behind: not the output, not a probe or temporary file
    expect(readdirSync(dir).sort()).toEqual(['existing.json', 'fifo', 'link.json', 'sub']);
    // nothing at the target changed
    expect(execFileSync('stat', ['-c', '%F', '/dev/full'], { encoding: 'utf8' }).trim()).toBe('character special file');
  });

  it('accepts the same targets when they are fine: a new file, an existing regular file, - for stdout', () => {
    for (const out of [ok, file, '-']) expect(checkCommandLine(['--out', out]).kind).toBe('train');
    expect(checkCommandLine(['--view', 'phase-n2m1', '--instances', '400']).kind).toBe('view');
    expect(readdirSync(dir).sort()).toEqual(['existing.json', 'fifo', 'link.json', 'sub']);
  });

  it('lists every problem at once, one line each', () => {
    const plan = checkCommandLine(['--n', '0', '--m', 'x', '--lr', '-1', '--bogus', '2', '--out', '/dev/full']);
    expect(plan.kind === 'errors' && plan.errors).toEqual([
      'unknown flag --bogus (see --help)',
      '--n must be an integer from 1 to 512; got "0"',
      '--m must be an integer from 1 to 64; got "x"',
      expect.stringMatching(/^--lr must be a number/),
      '--out /dev/full is a device; give a regular file (or - to print to stdout)',
    ]);
  });
});

// ---- the address (hash and query) --------------------------------------------------------------

const vocab: LinkVocabulary = { views: ['lab', 'sae', 'sweep', 'dimensionality', 'phase', 'correlated', 'computation', 'dynamics', 'induction'], defaultView: 'lab', panels: ['geometry', 'gram', 'norms', 'dimensionality', 'loss'] };
const embeddable = ['geometry', 'gram', 'norms', 'dimensionality', 'loss', 'lab', 'sae', 'computation'];

/** search, hash, a line the notices must hold */
const URL: [string, string, string, RegExp][] = [
  ['zero features', '', '#n=0', /n must be an integer from 1 to 512; got "0"/],
  ['a script as a value', '', '#model=<script>alert(1)</script>', /model must be one of .*got "<script>alert\(1\)<\/script>"/],
  ['a clash between fields', '', '#n=3&correlatedSets=2', /correlated and anticorrelated sets need 4 features/],
  ['a grid that does not fill', '', '#instances=3&gridColumns=2', /instances \(3\) must be a multiple of gridColumns \(2\)/],
  ['an unknown key', '', '#evil=1', /unknown setting "evil"/],
  ['a prototype key', '', '#__proto__=1', /unknown setting "__proto__"/],
  ['a repeated key', '', '#n=5&n=6', /n appears 2 times/],
  ['an unknown view', '', '#view=<img src=x onerror=alert(1)>', /view/],
  ['a hash over the length cap', '', `#n=${'9'.repeat(MAX_HASH_LENGTH)}`, /too long/],
  ['a bad SAE value', '', '#view=sae&sae.l1=-1', /sae\.l1 must be a number from 0 to 1000; got "-1"/],
  ['an SAE clash', '', '#sae.resampleEvery=1000&sae.deadWindow=2000', /deadWindow \(2000\) must not exceed resampleEvery \(1000\)/],
  ['induction heads that do not divide d_model', '', '#view=induction&ind.heads=3', /heads \(3\) must divide dModel \(32\)/],
  ['a script as the backend', '?backend=<script>', '', /backend must be one of wasm, cpu, webgl; got "<script>"/],
  ['a javascript: engine', '?engine=javascript:alert(1)', '', /engine must be one of auto, tfjs, fused; got "javascript:alert\(1\)"/],
  ['markup as autoplay', '?autoplay=<b>', '', /autoplay must be true or false/],
  ['an unknown query key', '?constructor=x', '', /unknown setting "constructor"/],
  ['an old-form query over the cap', `?n=${'9'.repeat(MAX_HASH_LENGTH)}`, '', /too long/],
];

describe('the address: every bad value is named in a notice and replaced by its default', () => {
  it.each(URL)('%s', (_name, search, hash, line) => {
    const before = JSON.stringify(Object.prototype);
    const l = readLocation(search, hash, vocab, embeddable);
    const handled = l.errors.some((e) => line.test(e));
    count(handled);
    expect(l.errors.join('\n')).toMatch(line);
    // a value that was refused is not used
    if (/^#(n=0|model=)/.test(hash)) expect(l.link.state.config).toEqual(DEFAULT_CONFIG);
    expect(JSON.stringify(Object.prototype)).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// ---- imported files ------------------------------------------------------------------------------

const run = (over: Record<string, unknown> = {}) => {
  const config = { ...DEFAULT_CONFIG, instances: 1, n: 2, m: 1 };
  return JSON.stringify({
    version: 1,
    config,
    instances: [{ sparsity: 0, importance: [1, 0.9], W: [[1, 0]], b: [0, 0], loss: 0.1, metrics: {} }],
    lossCurve: [[0, 0.2], [10, 0.1]],
    steps: 10,
    ...over,
  });
};

const IMPORT: [string, string, RegExp][] = [
  ['a file over the limit', ' '.repeat(MAX_IMPORT_BYTES + 1), /^the file is too large \(50 MB; at most 50 MB\)$/],
  ['not JSON', '{"version":', /^the file is not JSON/],
  ['a JSON array', '[1,2]', /must hold a JSON object/],
  ['a JSON string', '"run"', /must hold a JSON object/],
  ['version 2', run({ version: 2 }), /^version must be 1; got 2$/],
  ['no config', run({ config: undefined }), /^config: settings must be an object/],
  ['a config with a script', run({ config: { ...DEFAULT_CONFIG, model: '<script>' } }), /^config: model must be one of/],
  ['a polluting config', '{"version":1,"config":{"__proto__":{"polluted":1}},"instances":[],"lossCurve":[],"steps":0}', /./],
  ['W of the wrong shape', run({ instances: [{ sparsity: 0, W: [[1]], b: [0, 0], loss: 0.1 }] }), /^instances\[0\]\.W must be 1 rows of 2 finite numbers$/],
  ['a NaN loss', run({ instances: [{ sparsity: 0, W: [[1, 0]], b: [0, 0], loss: 'NaN' }] }), /^instances\[0\]\.loss must be a finite number$/],
  ['too few instances', run({ instances: [] }), /^instances must be a list of 1 runs/],
  ['a bad loss curve', run({ lossCurve: [[0]] }), /^lossCurve must be a list of/],
  ['an unknown view', run({ view: '<img>' }), /^view must be one of/],
  ['a view file', JSON.stringify({ version: 1, view: { id: 'phase', overrides: {}, runs: [] }, runs: [{}, {}], seconds: 1 }), /^this is a view file \(the paper's view "phase" with 2 runs, written by npm run lab -- --view\), not a run/],
  ['an SAE file', JSON.stringify({ version: 1, kind: 'sae', config: DEFAULT_CONFIG }), /^this file is of kind "sae" \(written by npm run lab -- sae\), not a run of the toy model/],
  ['an induction file', JSON.stringify({ version: 1, kind: 'induction', config: {} }), /^this file is of kind "induction"/],
];

describe('imported files: every bad file is refused with a specific message', () => {
  it.each(IMPORT)('%s', (_name, text, line) => {
    const r = parseRunFile(text, vocab.views);
    count(!r.ok && r.errors.length >= 1 && line.test(r.errors[0]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(line);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('opens a good run', () => {
    expect(parseRunFile(run(), vocab.views).ok).toBe(true);
  });
});

afterAll(() => {
  // the figures for issue 16's note
  console.log(`bad inputs: ${tally.tried} tried, ${tally.handled} handled (CLI ${CLI.length}, URL ${URL.length}, import ${IMPORT.length})`);
});
