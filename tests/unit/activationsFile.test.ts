// Activations files (issue 18, item 3): the one validator (activationsFile.ts) reads good .npy and JSON and refuses
// every malformed one with a specific message; the .npy writer round-trips through it (and through NumPy when
// python3 has it); the PCA finds a known basis; the top-activating rows are the right ones.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVATION_LIMITS, parseActivations, parseTruth } from '../../src/engine/sae/activationsFile';
import { fileSource } from '../../src/engine/sae/activations';
import { dictionaryJson, dictionaryNpy, dictionaryRows } from '../../src/engine/sae/dictionaryExport';
import { encodeNpy } from '../../src/engine/sae/npyWrite';
import { covariance, pca, project, topEigen } from '../../src/engine/sae/pca';
import { topActivatingRows } from '../../src/engine/sae/topRows';
import { createRng } from '../../src/engine/shared/rng';

const enc = new TextEncoder();

/** A .npy file by hand: any version, header text and data bytes (the header is padded as NumPy does). */
function npy(header: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const lenBytes = version === 1 ? 2 : 4;
  const pre = 8 + lenBytes;
  const padded = Math.ceil((pre + header.length + 1) / 64) * 64;
  const h = enc.encode(header.padEnd(padded - pre - 1, ' ') + '\n');
  const out = new Uint8Array(pre + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const v = new DataView(out.buffer);
  if (version === 1) v.setUint16(8, h.length, true);
  else v.setUint32(8, h.length, true);
  out.set(h, pre);
  out.set(data, pre + h.length);
  return out;
}

const dict = (descr: string, shape: string, fortran = 'False') => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

function floats(values: number[], size: 4 | 8, little = true): Uint8Array {
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => (size === 4 ? v.setFloat32(i * 4, x, little) : v.setFloat64(i * 8, x, little)));
  return out;
}

const M = [1, 2, 3, 4, 5, 6]; // 3 rows × 2

function errorsOf(bytes: Uint8Array): string[] {
  const r = parseActivations(bytes);
  expect(r.ok, 'should be refused').toBe(false);
  return r.ok ? [] : r.errors;
}

describe('activations files: accepted', () => {
  it.each([1, 2, 3])('reads .npy format %i.0, float32, C order', (version) => {
    const r = parseActivations(npy(dict('<f4', '(3, 2)'), floats(M, 4), version));
    expect(r.ok && r.value).toMatchObject({ rows: 3, cols: 2, format: 'npy', notes: [] });
    expect(r.ok && Array.from(r.value.values)).toEqual(M);
  });

  it('converts float64, big-endian and Fortran order correctly', () => {
    const f8 = parseActivations(npy(dict('<f8', '(3, 2)'), floats(M, 8)));
    expect(f8.ok && Array.from(f8.value.values)).toEqual(M);
    const be = parseActivations(npy(dict('>f4', '(3, 2)'), floats(M, 4, false)));
    expect(be.ok && Array.from(be.value.values)).toEqual(M);
    expect(be.ok && be.value.notes).toEqual(['converted from big-endian']);
    // Fortran order stores column after column: [1 3 5 | 2 4 6] is the same 3×2 matrix
    const fo = parseActivations(npy(dict('>f8', '(3, 2)', 'True'), floats([1, 3, 5, 2, 4, 6], 8, false)));
    expect(fo.ok && Array.from(fo.value.values)).toEqual(M);
    expect(fo.ok && fo.value.notes).toEqual(['converted from big-endian', 'converted from Fortran order', 'converted from float64 to float32']);
  });

  it('reads both JSON forms', () => {
    const a = parseActivations(enc.encode(JSON.stringify({ shape: [3, 2], data: M })));
    const b = parseActivations(enc.encode(JSON.stringify([[1, 2], [3, 4], [5, 6]])));
    for (const r of [a, b]) {
      expect(r.ok && r.value).toMatchObject({ rows: 3, cols: 2, format: 'json' });
      expect(r.ok && Array.from(r.value.values)).toEqual(M);
    }
  });

  it('normalises truth directions and checks their dimension', () => {
    const t = parseTruth(enc.encode('[[3, 4], [0, 2]]'), 2);
    expect(t.ok && Array.from(t.value.values)).toEqual([0.6, 0.8, 0, 1].map(Math.fround));
    expect(parseTruth(enc.encode('[[3, 4, 0]]'), 2)).toEqual({ ok: false, errors: ['the truth directions have 3 columns; the activations have d = 2: they must match'] });
    expect(parseTruth(enc.encode('[[3, 4], [0, 0]]'), 2)).toEqual({ ok: false, errors: ['truth direction 1 is all zeros: a direction needs a length'] });
  });
});

describe('activations files: every malformed input refused with a specific message', () => {
  const good = floats(M, 4);
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['an empty file', () => new Uint8Array(0), /^the file is empty$/],
    ['bad magic (\\x93NUMPX)', () => { const b = npy(dict('<f4', '(3, 2)'), good); b[5] = 0x58; return b; }, /^neither a \.npy file \(it does not start with \\x93NUMPY\) nor JSON/],
    ['the magic alone', () => Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]), /^the \.npy file is truncated: 6 bytes, not even a header$/],
    ['format version 4.0', () => npy(dict('<f4', '(3, 2)'), good, 4), /^unsupported \.npy format version 4\.0/],
    ['a header length past the end', () => { const b = npy(dict('<f4', '(3, 2)')); new DataView(b.buffer).setUint16(8, 60000, true); return b; }, /^the \.npy file is truncated: its header says 60000 bytes/],
    ['a version 2.0 header length of 200 MB', () => { const b = npy(dict('<f4', '(3, 2)'), good, 2); new DataView(b.buffer).setUint32(8, 200_000_000, true); return b; }, /^the \.npy header says it is 200000000 bytes; a NumPy header is at most 65536/],
    ['header garbage', () => npy('hello world', good), /^the \.npy header is not a NumPy header \(no \{…\} dictionary\)/],
    ['a header without shape', () => npy("{'descr': '<f4', 'fortran_order': False, }", good), /no 'shape' tuple/],
    ['a header without fortran_order', () => npy("{'descr': '<f4', 'shape': (3, 2), }", good), /no 'fortran_order' True\/False/],
    ['a shape of words', () => npy(dict('<f4', '(a, 2)'), good), /shape \(a, 2\) is not a tuple of whole numbers/],
    ['a negative shape', () => npy(dict('<f4', '(-3, 2)'), good), /is not a tuple of whole numbers/],
    ['a structured dtype', () => npy("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (3,), }", good), /structured dtype/],
    ["dtype '<i4'", () => npy(dict('<i4', '(3, 2)'), good), /^dtype '<i4' \(32-bit integers\) is not accepted: only float32 \('<f4'\) and float64 \('<f8'\)/],
    ["dtype '|b1'", () => npy(dict('|b1', '(3, 2)'), good), /^dtype '\|b1' \(booleans\) is not accepted/],
    ["dtype '<c8'", () => npy(dict('<c8', '(3, 2)'), good), /^dtype '<c8' \(complex64\) is not accepted/],
    ["dtype '<f2'", () => npy(dict('<f2', '(3, 2)'), good), /^dtype '<f2' \(float16\) is not accepted/],
    ['a 1-D shape', () => npy(dict('<f4', '(6,)'), good), /^shape \(6,\) is 1-D: activations must be 2-D \(rows, d\)/],
    ['a 3-D shape', () => npy(dict('<f4', '(1, 3, 2)'), good), /^shape \(1, 3, 2\) is 3-D: .*a\.reshape\(-1, a\.shape\[-1\]\)/],
    ['a scalar', () => npy(dict('<f4', '()'), floats([1], 4)), /^shape \(\) is a scalar/],
    ['truncated data', () => npy(dict('<f4', '(3, 2)'), good.subarray(0, 20)), /^the \.npy data is truncated: shape \(3, 2\) of '<f4' needs 24 bytes, the file has 20$/],
    ['bytes after the data', () => npy(dict('<f4', '(3, 2)'), floats([...M, 7], 4)), /^the \.npy file has 4 bytes after the data/],
    ['a header saying 10^9 rows', () => npy(dict('<f4', '(1000000000, 64)'), good), /^1000000000 rows: from 2 to 10000000 are accepted$/],
    ['10^7 rows × 4096', () => npy(dict('<f4', '(10000000, 4096)'), good), /^10000000 × 4096 = 40960000000 values; the largest accepted is 33554432/],
    ['d = 5000', () => npy(dict('<f4', '(10, 5000)'), good), /^d = 5000 columns: from 2 to 4096 are accepted$/],
    ['one row', () => npy(dict('<f4', '(1, 6)'), good), /^1 rows: from 2 to/],
    ['NaN', () => npy(dict('<f4', '(3, 2)'), floats([1, 2, 3, NaN, 5, 6], 4)), /^a\[1, 1\] is NaN: activations must be finite \(first bad value at row 1, column 1\)$/],
    ['Infinity', () => npy(dict('<f8', '(3, 2)'), floats([1, 2, 3, 4, -Infinity, 6], 8)), /^a\[2, 0\] is -Infinity/],
    ['NaN in Fortran order names the right cell', () => npy(dict('<f4', '(3, 2)', 'True'), floats([1, 3, NaN, 2, 4, 6], 4)), /^a\[2, 0\] is NaN/],
    ['float64 beyond float32', () => npy(dict('<f8', '(3, 2)'), floats([1, 2, 1e300, 4, 5, 6], 8)), /^a\[1, 0\] = 1e\+300 is outside float32's range$/],
    ['non-JSON text', () => enc.encode('rows,cols\n1,2\n'), /^neither a \.npy file .* nor JSON \(/],
    ['JSON null', () => enc.encode('null'), /^the JSON is null: expected \{"shape"/],
    ['JSON with ragged rows', () => enc.encode('[[1, 2], [3], [5, 6]]'), /^ragged rows: row 1 has 1 values, row 0 has 2$/],
    ['a JSON 1-D array', () => enc.encode('[1, 2, 3]'), /^row 0 is 1, not an array/],
    ['an empty JSON array', () => enc.encode('[]'), /^the JSON array has no rows$/],
    ['a string in JSON', () => enc.encode('[[1, 2], [3, "x"]]'), /^row 1, column 1 is "x", not a number$/],
    ['null in JSON', () => enc.encode('{"shape": [3, 2], "data": [1, 2, 3, null, 5, 6]}'), /^data\[3\] \(row 1, column 1\) is null, not a number$/],
    ['1e400 in JSON', () => enc.encode('[[1, 2], [3, 1e400]]'), /^row 1, column 1 is Infinity: activations must be finite$/],
    ['JSON data shorter than its shape', () => enc.encode('{"shape": [3, 2], "data": [1, 2, 3]}'), /^"data" has 3 numbers; "shape" \[3, 2\] needs 6$/],
    ['a JSON shape of 3 numbers', () => enc.encode('{"shape": [1, 3, 2], "data": []}'), /^"shape" must be two whole numbers \[rows, d\]/],
    ['unknown JSON keys', () => enc.encode('{"shape": [3, 2], "values": []}'), /^unknown JSON keys "values"/],
    ['a JSON header saying 10^9 rows', () => enc.encode('{"shape": [1000000000, 8], "data": []}'), /^1000000000 rows: from 2 to 10000000 are accepted$/],
  ];
  it.each(cases)('%s', (_name, bytes, message) => {
    const errors = errorsOf(bytes());
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it('refuses a file over the byte limit before reading it', () => {
    const big = { length: ACTIVATION_LIMITS.maxFileBytes + 1 } as Uint8Array;
    expect(parseActivations(big)).toEqual({ ok: false, errors: ['the file is 256 MB; the largest accepted is 256 MB'] });
  });
});

describe('the .npy writer and the dictionary export', () => {
  it('writes a 64-byte-aligned version 1.0 header that the parser reads back exactly', () => {
    const values = Float32Array.from({ length: 7 * 5 }, (_, i) => Math.sin(i) * 10);
    const bytes = encodeNpy(values, 7, 5);
    const headerLen = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLen) % 64).toBe(0);
    expect(bytes[10 + headerLen - 1]).toBe(0x0a);
    const r = parseActivations(bytes);
    expect(r.ok && r.value).toMatchObject({ rows: 7, cols: 5, notes: [] });
    expect(r.ok && r.value.values).toEqual(values);
  });

  it('exports decoder columns as rows, in .npy and in JSON that loads back as a truth file', () => {
    const p = { dIn: 2, L: 3, Wdec: Float32Array.from([/* k=0 */ 1, 2, 3, 4, 5, 6, /* k=1 */ 7, 8, 9, 10, 11, 12]) };
    expect(Array.from(dictionaryRows(p, 1))).toEqual([7, 10, 8, 11, 9, 12]);
    const back = parseActivations(dictionaryNpy(p, 1));
    expect(back.ok && Array.from(back.value.values)).toEqual([7, 10, 8, 11, 9, 12]);
    const json = parseTruth(enc.encode(dictionaryJson(p, 0)), 2);
    expect(json.ok && json.value.rows).toBe(3);
    expect(json.ok && json.value.values[0]).toBeCloseTo(1 / Math.hypot(1, 4), 6);
  });

  const numpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!numpy)('agrees with NumPy both ways (np.load of our file; our parser on np.save of big-endian Fortran float64)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const values = Float32Array.from({ length: 4 * 3 }, (_, i) => i * 0.5 - 1);
    writeFileSync(join(dir, 'ours.npy'), encodeNpy(values, 4, 3));
    const py = [
      'import numpy as np, sys',
      `a = np.load("${join(dir, 'ours.npy')}")`,
      'assert a.dtype == np.float32 and a.shape == (4, 3), (a.dtype, a.shape)',
      'assert (a.ravel() == np.arange(12) * 0.5 - 1).all()',
      `np.save("${join(dir, 'theirs.npy')}", np.asfortranarray(np.arange(12, dtype=">f8").reshape(4, 3) * 0.25))`,
    ].join('\n');
    const r = spawnSync('python3', ['-c', py], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const theirs = parseActivations(readFileSync(join(dir, 'theirs.npy')));
    expect(theirs.ok && Array.from(theirs.value.values)).toEqual(Array.from({ length: 12 }, (_, i) => i * 0.25));
  });
});

describe('PCA', () => {
  it('covariance of a known set of points', () => {
    // (0,0), (2,0), (0,2), (2,2): variance 4/3 along each axis, no covariance
    const cov = covariance([0, 0, 2, 0, 0, 2, 2, 2], 4, 2);
    expect(Array.from(cov)).toEqual([4 / 3, 0, 0, 4 / 3].map((x) => expect.closeTo(x, 12)));
  });

  it('finds the eigenvectors of a covariance with a known rotated spectrum', () => {
    // C = Q diag(5, 3, 1, 0.5) Qᵀ with Q a Householder reflection (orthonormal)
    const d = 4, spectrum = [5, 3, 1, 0.5];
    const u = [1, 2, -1, 0.5], un = Math.hypot(...u);
    const Q = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0) - (2 * u[i] * u[j]) / (un * un)));
    const C = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let c = 0; c < d; c++) C[i * d + j] += Q[i][c] * spectrum[c] * Q[j][c];
    const { vectors, values } = topEigen(C, d, 3);
    expect(values).toEqual([5, 3, 1].map((x) => expect.closeTo(x, 8)));
    for (let c = 0; c < 3; c++) {
      const dot = Q.reduce((s, row, i) => s + row[c] * vectors[c * d + i], 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 8);
    }
  });

  it('on data: the components span the plane the points lie in, with its variance', () => {
    const rng = createRng(3);
    const n = 2000, d = 6;
    const a = [1, 0, 0, 1, 0, 0].map((x) => x / Math.SQRT2), b = [0, 1, 0, 0, 0, 0];
    const x = new Float32Array(n * d);
    for (let r = 0; r < n; r++) {
      const s = 3 * rng.normal(), t = rng.normal();
      for (let j = 0; j < d; j++) x[r * d + j] = s * a[j] + t * b[j] + 5;
    }
    const p = pca(x, n, d, 3);
    expect(Math.abs(project(p, a)[0])).toBeCloseTo(1, 4);
    expect(Math.abs(project(p, b)[1])).toBeCloseTo(1, 4);
    expect(p.variances[0] / p.total).toBeGreaterThan(0.85);
    expect(p.variances[2]).toBeLessThan(1e-6);
  });
});

describe('top-activating rows and the file source', () => {
  it('keeps, per latent, the rows with the largest activation, best first, only where it fires', () => {
    // one instance, two latents reading x[0] and x[1]
    const p = { K: 1, L: 2, dIn: 2, Wenc: [1, 0, 0, 1], benc: [0, 0], bdec: [0, 0] };
    const x = [0.5, -1, 3, -1, 1, -2, 2, 0.25];
    const top = topActivatingRows(p, x, 4, 3);
    expect(Array.from(top.rows)).toEqual([1, 3, 2, 3, -1, -1]);
    expect(Array.from(top.values)).toEqual([3, 2, 1, 0.25, 0, 0]);
  });

  it('the file source draws whole rows of the file and carries the truth directions', () => {
    const values = Float32Array.from({ length: 10 * 3 }, (_, i) => i);
    const s = fileSource({ rows: 10, cols: 3, values }, { rows: 1, values: Float32Array.from([1, 0, 0]) }, createRng(1));
    expect(s).toMatchObject({ dIn: 3, numTrue: 1 });
    const out = new Float32Array(50 * 3);
    s.sample(50, out);
    const seen = new Set<number>();
    for (let r = 0; r < 50; r++) {
      const row = out[r * 3] / 3;
      expect(Number.isInteger(row) && row >= 0 && row < 10).toBe(true);
      expect([out[r * 3 + 1], out[r * 3 + 2]]).toEqual([3 * row + 1, 3 * row + 2]);
      seen.add(row);
    }
    expect(seen.size).toBeGreaterThan(5);
  });
});

describe("README's PyTorch snippet", () => {
  const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0);
  it.skipIf(!python)('dumps a hooked layer of a small model into a file the validator accepts', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const block = /<!-- dump-activations-snippet -->\n```python\n([\s\S]*?)```\n<!-- \/dump-activations-snippet -->/.exec(readme);
    expect(block, 'the snippet between its markers').not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'snippet-'));
    const path = join(dir, 'acts.npy');
    const run = [
      block![1],
      'torch.manual_seed(0)',
      'model = torch.nn.Sequential(torch.nn.Linear(10, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3))',
      'batches = [torch.randn(4, 7, 10) for _ in range(50)]  # (batch, positions, features)',
      `print(dump_activations(model, model[1], batches, path="${path}", max_rows=500))`,
    ].join('\n');
    const r = spawnSync(python!, ['-c', run], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('(500, 6)');
    const parsed = parseActivations(readFileSync(path));
    expect(parsed.ok && parsed.value).toMatchObject({ rows: 500, cols: 6, format: 'npy', notes: [] });
    expect(parsed.ok && parsed.value.values.every((x) => x >= 0)).toBe(true); // ReLU outputs
  }, 120_000);
});
