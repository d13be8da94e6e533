// Sparse batches for the fused trainer. `SparseSampler` draws exactly the same numbers as
// `sampleBatch` (data.ts) from the same seed, in the same order ([K][batch][n]), but stores
// each instance's rows as lists of active features (CSR) instead of a dense [batch][n] block.
// At S = 0.95 a row has 1 active feature in 20, so everything downstream can skip the zeros.
//
// The random numbers are rng.ts's sfc32, with the generator inlined into the loop (the
// closure-based `rng.next()` costs ~9 ns per draw, the inlined one ~2.5 ns);
// tests/unit/fusedSparse.test.ts checks that the two streams stay identical.

import type { DataSpec } from './data';
import { INV_TWO_POW_32, sfc32State, Sfc32 } from '../shared/rng';

const TWO_POW_32 = 4294967296;

/** One instance's batch as compressed rows: row r's entries are idx/val[start[r] .. start[r+1]). */
export interface SparseRows {
  /** rows in this batch */
  rows: number;
  /** [rows + 1] offsets into idx/val */
  start: Int32Array;
  /** feature index of each stored entry */
  idx: Int32Array;
  /** value of each stored entry (float32, as sampleBatch stores it) */
  val: Float32Array;
}

export function allocSparseRows(rows: number, n: number): SparseRows {
  return { rows, start: new Int32Array(rows + 1), idx: new Int32Array(rows * n), val: new Float32Array(rows * n) };
}

// ---------------------------------------------------------------------------------------------

/**
 * A faster drawer of rows of independent features with the same stream and values (the fused
 * trainer's WebAssembly kernel, kernels/fusedKernel.ts). It reads and advances the generator state
 * in `rngState`, which the sampler then shares, so the two can take turns on one stream.
 */
export interface RowDrawer {
  readonly rngState: Int32Array;
  /** the rows it fills */
  readonly rows: SparseRows;
  /** thresholds density·2^32, [K][n], given once */
  setThresholds(threshold: Float64Array): void;
  /** draw `rows` rows of instance k into this.rows */
  sample(k: number, rows: number, signed: boolean): void;
}

/**
 * Draws batches with the same values as `sampleBatch(spec, createRng(seed).fork(2), buf)`.
 * Call `sampleInstance(k, out)` for k = 0 … K−1 in order to consume one batch's worth of the stream.
 * With a `drawer`, batches without correlated/anticorrelated sets that go to the drawer's rows are drawn by it.
 */
export class SparseSampler {
  private readonly g: Sfc32;
  private readonly corrEnd: number;
  private readonly antiEnd: number;
  private readonly paper: boolean;
  /** density · 2^32 per [K][n]: u < p  ⇔  u32 < p·2^32 exactly (scaling by 2^32 is exact), one multiply saved per draw */
  private readonly threshold: Float64Array;

  /** `streamSeed` is the seed of the data stream itself, e.g. forkSeed(config.seed, 2). */
  constructor(private readonly spec: DataSpec, streamSeed: number, private readonly drawer: RowDrawer | null = null) {
    this.g = new Sfc32(sfc32State(streamSeed), drawer?.rngState);
    this.corrEnd = spec.correlatedSets * spec.setSize;
    this.antiEnd = this.corrEnd + spec.anticorrelatedSets * spec.setSize;
    this.paper = spec.anticorrelatedConvention === 'paper';
    this.threshold = Float64Array.from(spec.density, (p) => p * TWO_POW_32);
    drawer?.setThresholds(this.threshold);
  }

  /** Fill `out` with instance k's next `spec.batch` rows. */
  sampleInstance(k: number, out: SparseRows): void {
    const { n, batch } = this.spec;
    if (out.rows !== batch || out.idx.length < batch * n) throw new Error(`sparse rows hold ${out.rows} rows; the batch is ${batch}`);
    if (this.drawer && out === this.drawer.rows && this.antiEnd === 0) {
      this.drawer.sample(k, batch, this.spec.signed);
      return;
    }
    const threshold = this.threshold;
    const dk = k * n;
    const { start, idx, val } = out;
    const hasSets = this.antiEnd > 0;
    const signed = this.spec.signed;
    const g = this.g;
    let nnz = 0;
    for (let r = 0; r < batch; r++) {
      start[r] = nnz;
      if (hasSets) nnz = this.sampleSets(dk, nnz, idx, val);
      // Independent features: each is active w.p. density, then takes U[0,1) (or U[-1,1)).
      // sfc32 inlined with local state (same arithmetic as Sfc32.nextU32).
      const st = g.s;
      let a = st[0], b = st[1], c = st[2], d = st[3];
      for (let i = this.antiEnd; i < n; i++) {
        let t = (((a + b) | 0) + d) | 0;
        d = (d + 1) | 0;
        a = b ^ (b >>> 9);
        b = (c + (c << 3)) | 0;
        c = (c << 21) | (c >>> 11);
        c = (c + t) | 0;
        if (t >>> 0 < threshold[dk + i]) {
          t = (((a + b) | 0) + d) | 0;
          d = (d + 1) | 0;
          a = b ^ (b >>> 9);
          b = (c + (c << 3)) | 0;
          c = (c << 21) | (c >>> 11);
          c = (c + t) | 0;
          const u = (t >>> 0) * INV_TWO_POW_32;
          idx[nnz] = i;
          val[nnz] = signed ? 2 * u - 1 : u;
          nnz++;
        }
      }
      st[0] = a;
      st[1] = b;
      st[2] = c;
      st[3] = d;
    }
    start[batch] = nnz;
  }

  /** Correlated and anticorrelated sets of one row, in sampleBatch's order. Returns the new nnz. */
  private sampleSets(dk: number, nnz: number, idx: Int32Array, val: Float32Array): number {
    const { density, setSize, signed } = this.spec;
    const g = this.g;
    // no per-row closure for the value: under tsx (Node) every arrow function made here is wrapped by __name, which cost ~80% of a correlated run
    for (let s = 0; s < this.corrEnd; s += setSize) {
      if (g.next() < density[dk + s]) {
        for (let j = 0; j < setSize; j++) {
          idx[nnz] = s + j;
          val[nnz++] = signed ? 2 * g.next() - 1 : g.next();
        }
      }
    }
    for (let s = this.corrEnd; s < this.antiEnd; s += setSize) {
      const pSet = this.paper ? density[dk + s] : density[dk + s] * setSize;
      if (g.next() < pSet) {
        idx[nnz] = s + Math.floor(g.next() * setSize);
        val[nnz++] = signed ? 2 * g.next() - 1 : g.next();
      }
    }
    return nnz;
  }
}

/**
 * Instance k of a dense batch ([K][rows][n]) as sparse rows. With `keepZeros` every feature is
 * stored, zero or not, which drives the sparse code through its dense worst case (used to test
 * that skipping zeros changes nothing).
 */
export function sparseFromDense(batch: Float32Array, K: number, n: number, k: number, keepZeros = false): SparseRows {
  const rows = batch.length / (K * n);
  if (!Number.isInteger(rows)) throw new Error(`batch length ${batch.length} is not a multiple of K·n = ${K * n}`);
  const out = allocSparseRows(rows, n);
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    out.start[r] = nnz;
    const row = (k * rows + r) * n;
    for (let i = 0; i < n; i++) {
      const x = batch[row + i];
      if (x !== 0 || keepZeros) {
        out.idx[nnz] = i;
        out.val[nnz++] = x;
      }
    }
  }
  out.start[rows] = nnz;
  return out;
}

/** Write sparse rows of instance k back into a dense [K][rows][n] batch (for tests). */
export function denseFromSparse(rowsIn: SparseRows, K: number, n: number, k: number, out: Float32Array): void {
  const { rows, start, idx, val } = rowsIn;
  if (out.length !== K * rows * n) throw new Error('dense batch has the wrong size');
  out.fill(0, k * rows * n, (k + 1) * rows * n);
  for (let r = 0; r < rows; r++) {
    const row = (k * rows + r) * n;
    for (let e = start[r]; e < start[r + 1]; e++) out[row + idx[e]] = val[e];
  }
}
