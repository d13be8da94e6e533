// The one validator for activation files a user brings (the SAE tab's file picker, `npm run lab -- sae --data
// file:…`): a NumPy `.npy` array or a small JSON form, always a 2-D [rows][d] matrix of finite numbers, and the
// optional ground-truth directions ([k][d]) scored by MMCS. Every refusal is one specific line; nothing is clamped.
//
// Accepted:
//   .npy   format versions 1.0, 2.0 and 3.0; dtype float32 or float64, little- ('<f4', '<f8') or big-endian
//          ('>f4', '>f8', converted); C or Fortran order (converted); shape (rows, d).
//   JSON   {"shape": [rows, d], "data": [rows·d numbers, row after row]}   or   [[row 0…], [row 1…], …]
// Values are kept as float32; a float64 value outside float32's range is refused, not rounded to ±Infinity.

/** Limits, as numbers: a matrix larger than this is refused from its header, before anything is allocated. */
export const ACTIVATION_LIMITS = Object.freeze({
  /** bytes of a file we read at all */
  maxFileBytes: 256 * 1024 * 1024,
  /** bytes of a JSON file (JSON is ~3× larger than float32 and parsed whole) */
  maxJsonBytes: 32 * 1024 * 1024,
  minRows: 2,
  maxRows: 10_000_000,
  minDim: 2,
  /** the SAE's input dimension */
  maxDim: 4096,
  /** rows × d: 2^25 float32 values = 128 MB */
  maxValues: 1 << 25,
  /** ground-truth directions */
  maxTruthRows: 4096,
  /** bytes of a .npy header (a Python dict of a few fields) */
  maxHeaderBytes: 65_536,
});

export interface ActivationMatrix {
  rows: number;
  cols: number;
  /** [rows][cols], row-major */
  values: Float32Array;
  format: 'npy' | 'json';
  /** what was converted on the way in (byte order, Fortran order, float64 → float32) */
  notes: string[];
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const fail = <T>(...errors: string[]): ParseResult<T> => ({ ok: false, errors });

const isNpy = (b: Uint8Array) => b.length >= 6 && NPY_MAGIC.every((x, i) => b[i] === x);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MB`;

/** Why a file of this many bytes is not even read, or null. */
export function fileSizeError(size: number): string | null {
  return size > ACTIVATION_LIMITS.maxFileBytes ? `the file is ${mb(size)}; the largest accepted is ${mb(ACTIVATION_LIMITS.maxFileBytes)}` : null;
}

/** An activations file: [rows][d] finite numbers. */
export function parseActivations(bytes: Uint8Array): ParseResult<ActivationMatrix> {
  const tooBig = fileSizeError(bytes.length);
  if (tooBig) return fail(tooBig);
  if (bytes.length === 0) return fail('the file is empty');
  return isNpy(bytes) ? parseNpy(bytes, 'rows') : parseJsonMatrix(bytes, 'rows');
}

/** Ground-truth directions for an activations matrix of dimension d: [k][d], each row scaled to unit length. */
export function parseTruth(bytes: Uint8Array, d: number): ParseResult<ActivationMatrix> {
  if (bytes.length > ACTIVATION_LIMITS.maxFileBytes) return fail(`the truth file is ${mb(bytes.length)}; the largest accepted is ${mb(ACTIVATION_LIMITS.maxFileBytes)}`);
  if (bytes.length === 0) return fail('the truth file is empty');
  const parsed = isNpy(bytes) ? parseNpy(bytes, 'directions') : parseJsonMatrix(bytes, 'directions');
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  if (m.cols !== d) return fail(`the truth directions have ${m.cols} columns; the activations have d = ${d}: they must match`);
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += m.values[r * d + j] ** 2;
    if (!(s > 0)) return fail(`truth direction ${r} is all zeros: a direction needs a length`);
    const norm = Math.sqrt(s);
    for (let j = 0; j < d; j++) m.values[r * d + j] /= norm;
  }
  return parsed;
}

/** 'rows' of activations or truth 'directions': their row limits differ */
type Kind = 'rows' | 'directions';

function shapeErrors(rows: number, cols: number, what: Kind): string[] {
  const L = ACTIVATION_LIMITS;
  const errors: string[] = [];
  const [lo, hi] = what === 'rows' ? [L.minRows, L.maxRows] : [1, L.maxTruthRows];
  if (rows < lo || rows > hi) errors.push(`${rows} ${what}: from ${lo} to ${hi} are accepted`);
  if (cols < L.minDim || cols > L.maxDim) errors.push(`d = ${cols} columns: from ${L.minDim} to ${L.maxDim} are accepted`);
  if (!errors.length && rows * cols > L.maxValues) errors.push(`${rows} × ${cols} = ${rows * cols} values; the largest accepted is ${L.maxValues} (${L.maxValues * 4 / 1024 / 1024} MB of float32): use fewer rows`);
  return errors;
}

// ───────────────────────────── .npy ─────────────────────────────

interface NpyHeader {
  descr: string;
  fortran: boolean;
  shape: number[];
}

const DTYPE_NAMES: Record<string, string> = {
  b1: 'booleans', i1: '8-bit integers', i2: '16-bit integers', i4: '32-bit integers', i8: '64-bit integers',
  u1: 'unsigned 8-bit integers', u2: 'unsigned 16-bit integers', u4: 'unsigned 32-bit integers', u8: 'unsigned 64-bit integers',
  f2: 'float16', c8: 'complex64', c16: 'complex128', f16: 'float128', O: 'Python objects',
};

function parseNpy(b: Uint8Array, what: Kind): ParseResult<ActivationMatrix> {
  if (b.length < 10) return fail(`the .npy file is truncated: ${b.length} bytes, not even a header`);
  const major = b[6], minor = b[7];
  if (![1, 2, 3].includes(major) || minor !== 0) return fail(`unsupported .npy format version ${major}.${minor}: versions 1.0, 2.0 and 3.0 are read`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (b.length < 8 + lenBytes) return fail('the .npy file is truncated inside its header length');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLen > ACTIVATION_LIMITS.maxHeaderBytes) return fail(`the .npy header says it is ${headerLen} bytes; a NumPy header is at most ${ACTIVATION_LIMITS.maxHeaderBytes} (np.load's own limit is 10 000)`);
  const start = 8 + lenBytes;
  if (start + headerLen > b.length) return fail(`the .npy file is truncated: its header says ${headerLen} bytes, the file has ${b.length - start} after the prefix`);
  const raw = b.subarray(start, start + headerLen);
  let text: string;
  try {
    text = major === 3 ? new TextDecoder('utf-8', { fatal: true }).decode(raw) : new TextDecoder('latin1').decode(raw);
  } catch {
    return fail('the .npy header is not valid UTF-8');
  }
  const header = parseNpyHeader(text);
  if (!header.ok) return header;
  const { descr, fortran, shape } = header.value;
  const dtype = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const kind = dtype ? dtype[2] + dtype[3] : descr;
  if (!dtype || (kind !== 'f4' && kind !== 'f8')) {
    const name = DTYPE_NAMES[kind] ?? DTYPE_NAMES[descr.replace(/^[<>|=]/, '')];
    return fail(`dtype '${descr}'${name ? ` (${name})` : ''} is not accepted: only float32 ('<f4') and float64 ('<f8'); save with a.astype(np.float32)`);
  }
  if (shape.length !== 2) {
    const s = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
    return fail(
      shape.length === 1 ? `shape ${s} is 1-D: activations must be 2-D (rows, d); for one row save a.reshape(1, -1), for one dimension a.reshape(-1, 1)`
      : shape.length === 0 ? 'shape () is a scalar: activations must be 2-D (rows, d)'
      : `shape ${s} is ${shape.length}-D: activations must be 2-D (rows, d); flatten the leading axes with a.reshape(-1, a.shape[-1])`,
    );
  }
  const [rows, cols] = shape;
  const limits = shapeErrors(rows, cols, what);
  if (limits.length) return fail(...limits);
  const size = Number(dtype[3]);
  const dataStart = start + headerLen;
  const expected = rows * cols * size;
  const have = b.length - dataStart;
  if (have < expected) return fail(`the .npy data is truncated: shape (${rows}, ${cols}) of '${descr}' needs ${expected} bytes, the file has ${have}`);
  if (have > expected) return fail(`the .npy file has ${have - expected} bytes after the data its header describes (shape (${rows}, ${cols}) of '${descr}'): not one array`);
  const little = dtype[1] !== '>';
  const notes: string[] = [];
  if (!little) notes.push('converted from big-endian');
  if (fortran) notes.push('converted from Fortran order');
  if (size === 8) notes.push('converted from float64 to float32');
  const values = new Float32Array(rows * cols);
  const data = new DataView(b.buffer, b.byteOffset + dataStart, expected);
  for (let i = 0; i < rows * cols; i++) {
    // Fortran order stores column after column: element i of the file is a[i % rows, ⌊i / rows⌋]
    const at = fortran ? (i % rows) * cols + Math.floor(i / rows) : i;
    const v = size === 4 ? data.getFloat32(i * 4, little) : data.getFloat64(i * 8, little);
    values[at] = v;
    if (!Number.isFinite(values[at])) {
      const r = Math.floor(at / cols), c = at % cols;
      return fail(Number.isFinite(v) ? `a[${r}, ${c}] = ${v} is outside float32's range` : `a[${r}, ${c}] is ${v}: activations must be finite (first bad value at row ${r}, column ${c})`);
    }
  }
  return { ok: true, value: { rows, cols, values, format: 'npy', notes } };
}

/** The header is a Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), } */
function parseNpyHeader(text: string): ParseResult<NpyHeader> {
  const body = text.replace(/[\s\n]+$/, '');
  const bad = (why: string) => fail<NpyHeader>(`the .npy header is not a NumPy header (${why}): ${JSON.stringify(body.slice(0, 80))}`);
  if (!body.startsWith('{') || !body.endsWith('}')) return bad('no {…} dictionary');
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(body);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)\b/.exec(body);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(body);
  if (!descr) return /['"]descr['"]\s*:\s*\[/.test(body) ? fail('the .npy array has a structured dtype (named fields): save a plain float32 2-D array') : bad("no 'descr'");
  if (!fortran) return bad("no 'fortran_order' True/False");
  if (!shape) return bad("no 'shape' tuple");
  const parts = shape[1].split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!parts.every((p) => /^\d+L?$/.test(p))) return bad(`shape (${shape[1]}) is not a tuple of whole numbers`);
  return { ok: true, value: { descr: descr[1], fortran: fortran[1] === 'True', shape: parts.map((p) => Number(p.replace('L', ''))) } };
}

// ───────────────────────────── JSON ─────────────────────────────

function parseJsonMatrix(b: Uint8Array, what: Kind): ParseResult<ActivationMatrix> {
  if (b.length > ACTIVATION_LIMITS.maxJsonBytes) return fail(`a JSON activations file is at most ${mb(ACTIVATION_LIMITS.maxJsonBytes)} (this one is ${mb(b.length)}): save larger arrays as .npy`);
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(b));
  } catch (e) {
    return fail(`neither a .npy file (it does not start with \\x93NUMPY) nor JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const shapeHelp = 'expected {"shape": [rows, d], "data": [rows·d numbers]} or an array of rows [[…], […]]';
  if (Array.isArray(doc)) return jsonRows(doc, what);
  if (doc === null || typeof doc !== 'object') return fail(`the JSON is ${doc === null ? 'null' : typeof doc}: ${shapeHelp}`);
  const o = doc as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'shape' && k !== 'data');
  if (extra.length) return fail(`unknown JSON keys ${extra.map((k) => JSON.stringify(k)).join(', ')}: ${shapeHelp}`);
  const shape = o.shape;
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((x) => Number.isInteger(x) && x >= 0)) return fail(`"shape" must be two whole numbers [rows, d]; got ${JSON.stringify(shape)?.slice(0, 60)}`);
  const [rows, cols] = shape as number[];
  const limits = shapeErrors(rows, cols, what);
  if (limits.length) return fail(...limits);
  const data = o.data;
  if (!Array.isArray(data)) return fail(`"data" must be an array of ${rows}·${cols} = ${rows * cols} numbers`);
  if (data.length !== rows * cols) return fail(`"data" has ${data.length} numbers; "shape" [${rows}, ${cols}] needs ${rows * cols}`);
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const e = numberError(data[i], `data[${i}] (row ${Math.floor(i / cols)}, column ${i % cols})`);
    if (e) return fail(e);
    values[i] = data[i] as number;
  }
  return { ok: true, value: { rows, cols, values, format: 'json', notes: [] } };
}

function jsonRows(doc: unknown[], what: Kind): ParseResult<ActivationMatrix> {
  if (!doc.length) return fail('the JSON array has no rows');
  if (!doc.every(Array.isArray)) {
    const i = doc.findIndex((r) => !Array.isArray(r));
    return fail(`row ${i} is ${JSON.stringify(doc[i])?.slice(0, 30)}, not an array: an array of rows [[…], […]] is 2-D`);
  }
  const rowsArr = doc as unknown[][];
  const cols = rowsArr[0].length;
  const ragged = rowsArr.findIndex((r) => r.length !== cols);
  if (ragged >= 0) return fail(`ragged rows: row ${ragged} has ${rowsArr[ragged].length} values, row 0 has ${cols}`);
  const limits = shapeErrors(rowsArr.length, cols, what);
  if (limits.length) return fail(...limits);
  const values = new Float32Array(rowsArr.length * cols);
  for (let r = 0; r < rowsArr.length; r++) {
    for (let c = 0; c < cols; c++) {
      const e = numberError(rowsArr[r][c], `row ${r}, column ${c}`);
      if (e) return fail(e);
      values[r * cols + c] = rowsArr[r][c] as number;
    }
  }
  return { ok: true, value: { rows: rowsArr.length, cols, values, format: 'json', notes: [] } };
}

function numberError(x: unknown, where: string): string | null {
  if (typeof x !== 'number') return `${where} is ${JSON.stringify(x)?.slice(0, 30) ?? String(x)}, not a number`;
  if (!Number.isFinite(x)) return `${where} is ${x}: activations must be finite`;
  if (!Number.isFinite(Math.fround(x))) return `${where} = ${x} is outside float32's range`;
  return null;
}
