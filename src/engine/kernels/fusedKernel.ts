// JavaScript side of the fused trainer's WebAssembly kernels (fusedKernel.as.ts): one module
// instance per trainer, with its own memory laid out once for the config's K, n, m and batch.
// The sampler draws each batch straight into the kernel's memory (`rows`, sharing the generator
// state `rngState`), and the Gram pass reads it there, so a step copies only the parameters in
// (m·n) and the gradients out (m·n + n).
//
// Where WebAssembly SIMD is missing (old browsers), `FusedKernel.create` returns null and the fused
// trainer keeps its JavaScript sampler and Gram path, which compute the same numbers.

import type { RowDrawer, SparseRows } from '../toy/sparseBatch';
import { InstancePool } from './instancePool';
import { FUSED_KERNEL_WASM_BASE64 } from './fusedKernelWasm';

interface KernelExports {
  memory: WebAssembly.Memory;
  sampleRows(state: number, thr: number, n: number, rows: number, signed: number, start: number, idx: number, val: number): number;
  gramMatrix(W: number, G: number, m: number, n: number, nPad: number): void;
  rowsPass(relu: number, n: number, nPad: number, rows: number, start: number, idx: number, val: number, G: number, b: number, imp: number, z: number, x: number, delta: number, A: number, gb: number): number;
  finish(W: number, A: number, gW: number, m: number, n: number, nPad: number): void;
  lastDeltaCount(): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null when this runtime has no WebAssembly SIMD. Compiled once. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = Uint8Array.from(atob(FUSED_KERNEL_WASM_BASE64), (ch) => ch.charCodeAt(0));
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

let pool: InstancePool | null = null;
/** The instances of this kernel (one per live trainer, plus idle ones to reuse): see instancePool.ts. */
export function fusedKernelPool(): InstancePool | null {
  const module = kernelModule();
  if (!module) return null;
  return (pool ??= new InstancePool(() => new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('fused kernel aborted'); } } })));
}

export function fusedKernelAvailable(): boolean {
  return kernelModule() !== null;
}

/** Memory the kernel may use before we refuse and let the JavaScript path run instead. */
const MAX_KERNEL_BYTES = 256 << 20;
/** The kernel's own static data lives in page 0; our buffers start at page 1. */
const BASE = 65536;

export interface KernelResult {
  lossSum: number;
  deltaCount: number;
}

export class FusedKernel implements RowDrawer {
  /** sparse rows in kernel memory, room for `capacityRows` rows of up to n entries */
  readonly rows: SparseRows;
  /** the batch generator's sfc32 state, in kernel memory */
  readonly rngState: Int32Array;
  private readonly k: KernelExports;
  private readonly nPad: number;
  /** byte offsets of the kernel's buffers */
  private readonly at: Record<'state' | 'thr' | 'start' | 'idx' | 'val' | 'W' | 'G' | 'A' | 'gW' | 'b' | 'imp' | 'z' | 'x' | 'delta' | 'gb', number>;
  private readonly thr: Float64Array;
  /** float64 views of the padded buffers */
  private readonly W: Float64Array;
  private readonly gW: Float64Array;
  private readonly b: Float64Array;
  private readonly imp: Float64Array;
  private readonly gb: Float64Array;
  private readonly A: Float64Array;

  private instance: WebAssembly.Instance | null;

  private constructor(instance: WebAssembly.Instance, readonly K: number, readonly n: number, readonly m: number, readonly capacityRows: number) {
    this.instance = instance;
    const k = (this.k = instance.exports as unknown as KernelExports);
    const nPad = (this.nPad = n + (n & 1));
    const sizes = {
      state: 16,
      thr: 8 * K * n,
      start: 4 * (capacityRows + 1),
      idx: 4 * capacityRows * n,
      val: 4 * capacityRows * n,
      W: 8 * m * nPad,
      G: 8 * n * nPad,
      A: 8 * n * nPad,
      gW: 8 * m * nPad,
      b: 8 * nPad,
      imp: 8 * nPad,
      z: 8 * nPad,
      x: 8 * nPad,
      delta: 8 * nPad,
      gb: 8 * nPad,
    };
    let top = BASE;
    const at = {} as FusedKernel['at'];
    for (const [name, bytes] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      at[name] = top;
      top += (bytes + 15) & ~15;
    }
    const need = Math.ceil(top / 65536) - k.memory.buffer.byteLength / 65536;
    if (need > 0) k.memory.grow(need);
    this.at = at;
    const buf = k.memory.buffer; // never grows again, so these views stay valid
    this.rows = {
      rows: capacityRows,
      start: new Int32Array(buf, at.start, capacityRows + 1),
      idx: new Int32Array(buf, at.idx, capacityRows * n),
      val: new Float32Array(buf, at.val, capacityRows * n),
    };
    const f64 = (name: keyof typeof sizes, len: number) => new Float64Array(buf, at[name], len);
    this.W = f64('W', m * nPad);
    this.gW = f64('gW', m * nPad);
    this.b = f64('b', nPad);
    this.imp = f64('imp', nPad);
    this.gb = f64('gb', nPad);
    this.A = f64('A', n * nPad);
    this.thr = f64('thr', K * n);
    this.rngState = new Int32Array(buf, at.state, 4);
    f64('x', nPad).fill(0);
  }

  /** Kernels for K instances of n features, m hidden dims and up to `capacityRows` rows per pass; null without WebAssembly SIMD or if too large. */
  static create(K: number, n: number, m: number, capacityRows: number): FusedKernel | null {
    const module = kernelModule();
    const nPad = n + (n & 1);
    const bytes = BASE + 8 * capacityRows * n + 8 * nPad * (2 * m + 2 * n + 6) + 4 * capacityRows + 8 * K * n;
    if (!module || bytes > MAX_KERNEL_BYTES) return null;
    const instance = fusedKernelPool()!.take();
    return new FusedKernel(instance, K, n, m, capacityRows);
  }

  /** Give the instance back to the pool for the next trainer; this kernel (and its views) must not be used again. */
  release(): void {
    if (this.instance) fusedKernelPool()?.give(this.instance);
    this.instance = null;
  }

  setThresholds(threshold: Float64Array): void {
    this.thr.set(threshold);
  }

  /** Draw `rows` rows of instance k's independent features into this.rows (RowDrawer). */
  sample(k: number, rows: number, signed: boolean): void {
    const { at, n } = this;
    this.k.sampleRows(at.state, at.thr + 8 * k * n, n, rows, signed ? 1 : 0, at.start, at.idx, at.val);
  }

  /**
   * One instance's Gram pass (see fusedTrainer.ts): W (m×n), b, importance in; unscaled ∂W and ∂b
   * out. `rows` must be this.rows or fit in it (then it is copied). Returns null if it does not fit.
   */
  gramPass(W: Float64Array, b: Float64Array, imp: Float64Array, relu: boolean, rows: SparseRows, gW: Float64Array, gb: Float64Array): KernelResult | null {
    if (rows !== this.rows && !this.load(rows)) return null;
    const count = rows.rows;
    const { n, m, nPad, at, k } = this;
    for (let r = 0; r < m; r++) for (let i = 0; i < n; i++) this.W[r * nPad + i] = W[r * n + i];
    this.b.set(b);
    this.imp.set(imp);
    this.gb.fill(0);
    this.A.fill(0);
    k.gramMatrix(at.W, at.G, m, n, nPad);
    const lossSum = k.rowsPass(relu ? 1 : 0, n, nPad, count, at.start, at.idx, at.val, at.G, at.b, at.imp, at.z, at.x, at.delta, at.A, at.gb);
    k.finish(at.W, at.A, at.gW, m, n, nPad);
    for (let r = 0; r < m; r++) for (let i = 0; i < n; i++) gW[r * n + i] = this.gW[r * nPad + i];
    for (let i = 0; i < n; i++) gb[i] = this.gb[i];
    return { lossSum, deltaCount: k.lastDeltaCount() };
  }

  /** Copy rows made elsewhere (e.g. from a dense batch) into kernel memory; the row count travels separately. */
  private load(rows: SparseRows): boolean {
    const nnz = rows.start[rows.rows];
    if (rows.rows > this.capacityRows || nnz > this.rows.idx.length) return false;
    this.rows.start.set(rows.start.subarray(0, rows.rows + 1));
    this.rows.idx.set(rows.idx.subarray(0, nnz));
    this.rows.val.set(rows.val.subarray(0, nnz));
    return true;
  }
}
