// JavaScript side of the fused SAE engine's WebAssembly kernel (saeKernel.as.ts): one module instance
// per trainer, memory laid out once for its batch, d, L and K instances. The parameters and their Adam
// moments live in kernel memory (writeInstance puts them there once, readInstance reads them back for
// snapshots and resampling); per step the batch is copied in once (setBatch), then per instance the
// pass, Adam and the decoder's unit-norm projection all run in the kernel, with no copies. Without WebAssembly SIMD, `SaeKernel.create` returns null and the trainer keeps
// its JavaScript pass, which computes the same numbers (in float64 instead of float32). The products
// run in the GEMM core (gemm.as.ts), from the relaxed-SIMD build where the runtime has it (relaxedSimd.ts).
// A kernel large enough (SAE_THREADS_FROM) takes the shared-memory build where the host can start a
// helper worker (kernelThreads.ts): its products, sparse backward and AdamW are then shared over two
// threads, with the same numbers.

import { GEMM_SCRATCH_FLOATS } from './gemmCore';
import { InstancePool } from './instancePool';
import type { AdamStep } from '../shared/adam';
import type { SparseTerms } from '../sae/activations';
import { kernelHelperSpawner, kernelThreadsPlan, sharedKernelMemory, type KernelHelper, type KernelThreadsPlan } from './kernelThreads';
import { decodeBase64, pickKernelBuild, type KernelBuild } from './relaxedSimd';
import {
  SAE_KERNEL_RELAXED_WASM_BASE64, SAE_KERNEL_SHARED_RELAXED_WASM_BASE64, SAE_KERNEL_SHARED_WASM_BASE64, SAE_KERNEL_WASM_BASE64,
} from './saeKernelWasm';

interface Exports {
  memory: WebAssembly.Memory;
  pass(
    B: number, d: number, dP: number, L: number, LP: number, lambda: number, l1Grad: number, scale: number, denseFrom: number,
    h: number, WencT: number, Wenc: number, benc: number, WdecT: number, bdec: number,
    gWenc: number, gbenc: number, gWdecT: number, gbdec: number, fired: number,
    X: number, P: number, G: number, E: number, dX: number, actIdx: number, rowData: number,
  ): number;
  lastReconstruction(): number;
  adam(n: number, p: number, m: number, v: number, g: number, stepSize: number, sqrtBc2: number, decay: number): void;
  normaliseRows(rows: number, dP: number, W: number): void;
  termsBatch(B: number, d: number, dP: number, truth: number, start: number, feature: number, coef: number, h: number): void;
  lastL0(): number;
  fireCounts(B: number, d: number, dP: number, L: number, LP: number, h: number, Wenc: number, benc: number, bdec: number, X: number, P: number, counts: number): number;
  gemmScratchBytes(): number;
  setGemmScratch(at: number): void;
  matmul(M: number, N: number, K: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, cRow: number, acc: number): void;
  setHelperScratch(at: number): void;
  helperReady(): number;
  splitCount(): number;
  helpedCount(): number;
  stopHelper(): void;
}

let compiled: WebAssembly.Module | null | undefined;
let compiledBuild: KernelBuild | null = null;

function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const { base64, build } = pickKernelBuild(SAE_KERNEL_WASM_BASE64, SAE_KERNEL_RELAXED_WASM_BASE64);
    const bytes = decodeBase64(base64);
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    compiledBuild = compiled ? build : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** which build of the kernel runs here ('relaxed-simd' with fused multiply-add, 'simd'), or null without WebAssembly SIMD */
export function saeKernelBuild(): KernelBuild | null {
  kernelModule();
  return compiledBuild;
}

const abort = () => {
  throw new Error('SAE kernel aborted');
};

let pool: InstancePool | null = null;
/** The instances of this kernel (one per live trainer, plus idle ones to reuse): see instancePool.ts. */
export function saeKernelPool(): InstancePool | null {
  const module = kernelModule();
  if (!module) return null;
  return (pool ??= new InstancePool(() => new WebAssembly.Instance(module, { env: { abort } })));
}

/** the shared-memory build's maximum memory in pages (buildKernels.ts SHARED_MEMORY_PAGES) */
const SHARED_PAGES = 8192;
let sharedCompiled: WebAssembly.Module | null | undefined;
function sharedModule(): WebAssembly.Module | null {
  if (sharedCompiled !== undefined) return sharedCompiled;
  try {
    const { base64 } = pickKernelBuild(SAE_KERNEL_SHARED_WASM_BASE64, SAE_KERNEL_SHARED_RELAXED_WASM_BASE64);
    const bytes = decodeBase64(base64);
    sharedCompiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    sharedCompiled = null;
  }
  return sharedCompiled;
}

const helpers = new WeakMap<WebAssembly.Instance, KernelHelper>();
let sharedPool: InstancePool | null = null;
/** Instances of the shared-memory build, each with its helper worker (stopped when the pool drops the instance). */
function sharedSaeKernelPool(module: WebAssembly.Module): InstancePool {
  return (sharedPool ??= new InstancePool(
    () => {
      const memory = sharedKernelMemory(SHARED_PAGES);
      const instance = new WebAssembly.Instance(module, { env: { memory, abort } });
      const spawn = kernelHelperSpawner();
      if (spawn) helpers.set(instance, spawn(module, memory));
      return instance;
    },
    1,
    64 << 20,
    (instance) => {
      (instance.exports as unknown as Exports).stopHelper();
      helpers.get(instance)?.close();
      helpers.delete(instance);
    },
  ));
}

/**
 * Products of at least this many multiply-adds (batch × d × L) make a kernel take the shared-memory
 * build with a helper; the kernel itself splits only products that large (gemmThreads.as.ts).
 */
export const SAE_THREADS_FROM = 131072;

/** Which kernel build and how many threads an SAE of this size (batch × d × L) runs on here, and why. */
export function saeKernelPath(capacity: number, d: number, L: number): KernelThreadsPlan & { build: KernelBuild | null } {
  const build = saeKernelBuild();
  if (!build) return { build, threads: 1, reason: 'no WebAssembly SIMD: the JavaScript pass' };
  const plan = kernelThreadsPlan();
  if (plan.threads === 2 && capacity * d * L < SAE_THREADS_FROM) return { build, threads: 1, reason: 'products too small to share' };
  if (plan.threads === 2 && !sharedModule()) return { build, threads: 1, reason: 'the shared-memory kernel does not compile here' };
  return { build, ...plan };
}

export function saeKernelAvailable(): boolean {
  return kernelModule() !== null;
}

const MAX_KERNEL_BYTES = 512 << 20;
const BASE = 65536;
const pad4 = (x: number) => (x + 3) & ~3;
const GEMM_SCRATCH_BYTES = GEMM_SCRATCH_FLOATS * 4;

/**
 * The decoder and backward run as dense GEMMs over the batch when at least this fraction of the
 * (example, latent) pairs fire, else example by example over the firing latents (bench/sae.ts).
 */
export const SAE_DENSE_FROM = 0.1;

/** The gradients of one pass, in the trainer's layouts (W_dec [d][L]). */
export interface KernelGrads {
  Wenc: Float32Array;
  benc: Float32Array;
  Wdec: Float32Array;
  bdec: Float32Array;
}

/** One instance's parameters (or Adam moments) in the trainer's layouts: Wenc [L][d], benc [L], Wdec [d][L], bdec [d]. */
export type InstanceArrays = KernelGrads;

/** Float counts of everything laid out in kernel memory, in order (16-byte aligned each). */
function layout(capacity: number, d: number, L: number, G: number, K: number, terms: boolean, threads: 1 | 2) {
  const dP = pad4(d), LP = pad4(L);
  // one instance's block: W_enc [L][dP], W_decᵀ [L][dP], b_enc [LP], b_dec [dP]; the gradient block has the same layout
  const block = 2 * L * dP + LP + dP;
  return {
    params: K * block, m: K * block, v: K * block, grads: block,
    h: capacity * dP, WencT: d * LP, fired: LP, counts: LP,
    X: capacity * dP, P: capacity * LP, G: capacity * LP, E: capacity * dP, dX: capacity * dP,
    // the sparse backward's firing lists [B][LP] (i32) and per-row losses (f64) + counts (i32)
    actIdx: capacity * LP, rowData: 3 * capacity,
    pack: GEMM_SCRATCH_BYTES / 4, helperPack: threads === 2 ? GEMM_SCRATCH_BYTES / 4 : 0, truth: G * d, cos: L * G,
    // a batch as sparse terms over the true directions (setBatchTerms): offsets, features, float64 coefficients
    termStart: terms ? capacity + 1 : 0, termFeature: terms ? capacity * G : 0, termCoef: terms ? 2 * capacity * G : 0,
  };
}
type Region = keyof ReturnType<typeof layout>;

export class SaeKernel {
  private readonly k: Exports;
  private readonly dP: number;
  private readonly LP: number;
  /** floats in one instance's block (parameters, moments or gradients) */
  private readonly block: number;
  private readonly at: Record<Region, number>;
  private readonly h: Float32Array;
  private readonly fired: Int32Array;
  private rows = 0;

  private instance: WebAssembly.Instance | null;

  private constructor(
    instance: WebAssembly.Instance, readonly capacity: number, readonly d: number, readonly L: number, readonly G: number, readonly K: number, readonly terms: boolean,
    /** 2 when this kernel's large products are split with a helper worker (the shared-memory build) */
    readonly threads: 1 | 2,
    private readonly pool: InstancePool,
  ) {
    this.instance = instance;
    const k = (this.k = instance.exports as unknown as Exports);
    const dP = (this.dP = pad4(d));
    const LP = (this.LP = pad4(L));
    this.block = 2 * L * dP + LP + dP;
    const sizes = layout(capacity, d, L, G, K, terms, threads);
    let top = BASE;
    const at = {} as Record<Region, number>;
    for (const [name, len] of Object.entries(sizes) as [Region, number][]) {
      at[name] = top;
      top += (4 * len + 15) & ~15;
    }
    const need = Math.ceil(top / 65536) - k.memory.buffer.byteLength / 65536;
    if (need > 0) k.memory.grow(need);
    this.at = at;
    const buf = k.memory.buffer;
    this.h = new Float32Array(buf, at.h, sizes.h);
    this.fired = new Int32Array(buf, at.fired, LP);
    new Uint8Array(buf, BASE, top - BASE).fill(0);
    if (k.gemmScratchBytes() > GEMM_SCRATCH_BYTES) throw new Error('SAE kernel: GEMM packing space too small');
    k.setGemmScratch(at.pack);
    if (threads === 2) k.setHelperScratch(at.helperPack);
  }

  /** true once the helper worker has started and takes its share of the large jobs (always false on one thread) */
  helperReady(): boolean {
    return this.k.helperReady() === 1;
  }

  /** Resolves true once the helper is in its loop (false after timeoutMs, or at once on one thread). */
  async whenHelperReady(timeoutMs = 5000): Promise<boolean> {
    const t0 = performance.now();
    while (this.threads === 2 && !this.helperReady() && performance.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 2));
    return this.helperReady();
  }

  /** jobs (products, sparse phases, Adam halves) this kernel's instance has split with its helper so far */
  splitCount(): number {
    return this.k.splitCount();
  }

  /** chunks of those jobs the helper ran (the rest ran here; fewer when the helper's core is busy) */
  helpedCount(): number {
    return this.k.helpedCount();
  }

  /** ms spent inside the WebAssembly pass, summed over all passes (the bench's time split) */
  kernelMs = 0;

  /** fraction of firing pairs from which the dense backward runs (tests and bench set 0 or 2 to force a path) */
  denseFrom = SAE_DENSE_FROM;

  /**
   * A kernel for K instances, batches of up to `capacity` rows of d values and L latents (and G true
   * features for the cosines; `terms`: room for batches given as sparse terms over them, setBatchTerms);
   * null without WebAssembly SIMD or if too large.
   */
  static create(capacity: number, d: number, L: number, G = 0, K = 1, terms = false): SaeKernel | null {
    const module = kernelModule();
    const spawn = capacity * d * L >= SAE_THREADS_FROM ? kernelHelperSpawner() : null;
    const shared = spawn ? sharedModule() : null;
    const threads = spawn && shared ? 2 : 1;
    const sizes = Object.values(layout(capacity, d, L, G, K, terms, threads));
    // each region starts 16-byte aligned: up to 16 bytes of padding apiece
    const bytes = BASE + 4 * sizes.reduce((a, b) => a + b, 0) + 16 * sizes.length;
    if (!module || bytes > MAX_KERNEL_BYTES) return null;
    const pool = spawn && shared ? sharedSaeKernelPool(shared) : saeKernelPool()!;
    return new SaeKernel(pool.take(), capacity, d, L, G, K, terms, threads, pool);
  }

  /** byte offsets of instance k's W_enc, W_decᵀ, b_enc, b_dec in a block starting at `base` */
  private parts(base: number) {
    const { L, dP, LP } = this;
    const Wenc = base, WdecT = Wenc + 4 * L * dP, benc = WdecT + 4 * L * dP, bdec = benc + 4 * LP;
    return { Wenc, WdecT, benc, bdec };
  }

  private blockAt(region: 'params' | 'm' | 'v', k: number): number {
    if (!Number.isInteger(k) || k < 0 || k >= this.K) throw new Error(`SAE kernel: no instance ${k} (it holds ${this.K})`);
    return this.at[region] + 4 * this.block * k;
  }

  /** a block in kernel memory ↔ arrays in the trainer's layouts (W_dec transposed, rows padded to dP) */
  private copyBlock(base: number, a: InstanceArrays, toKernel: boolean): void {
    const { d, L, dP, LP } = this;
    const buf = this.k.memory.buffer;
    const o = this.parts(base);
    const Wenc = new Float32Array(buf, o.Wenc, L * dP), WdecT = new Float32Array(buf, o.WdecT, L * dP);
    const benc = new Float32Array(buf, o.benc, LP), bdec = new Float32Array(buf, o.bdec, dP);
    if (toKernel) {
      for (let l = 0; l < L; l++) {
        for (let j = 0; j < d; j++) {
          Wenc[l * dP + j] = a.Wenc[l * d + j];
          WdecT[l * dP + j] = a.Wdec[j * L + l];
        }
      }
      benc.set(a.benc.subarray(0, L));
      bdec.set(a.bdec.subarray(0, d));
    } else {
      for (let l = 0; l < L; l++) {
        for (let j = 0; j < d; j++) {
          a.Wenc[l * d + j] = Wenc[l * dP + j];
          a.Wdec[j * L + l] = WdecT[l * dP + j];
        }
      }
      a.benc.set(benc.subarray(0, L));
      a.bdec.set(bdec.subarray(0, d));
    }
  }

  /** Put instance k's parameters, and optionally its Adam moments, into kernel memory. */
  writeInstance(k: number, params: InstanceArrays, moments?: { m: InstanceArrays; v: InstanceArrays }): void {
    this.copyBlock(this.blockAt('params', k), params, true);
    if (moments) {
      this.copyBlock(this.blockAt('m', k), moments.m, true);
      this.copyBlock(this.blockAt('v', k), moments.v, true);
    }
  }

  /** Read instance k's parameters, and optionally its Adam moments, out of kernel memory. */
  readInstance(k: number, params: InstanceArrays, moments?: { m: InstanceArrays; v: InstanceArrays }): void {
    this.copyBlock(this.blockAt('params', k), params, false);
    if (moments) {
      this.copyBlock(this.blockAt('m', k), moments.m, false);
      this.copyBlock(this.blockAt('v', k), moments.v, false);
    }
  }

  /** The gradients of the last pass, in the trainer's layouts. */
  readGradients(out: KernelGrads): void {
    this.copyBlock(this.at.grads, out, false);
  }

  private truthSet: ArrayLike<number> | null = null;

  private setTruth(truth: ArrayLike<number>): void {
    if (this.truthSet === truth) return;
    if (truth.length !== this.G * this.d) throw new Error(`SAE kernel: ${truth.length} true-direction values, expected ${this.G}×${this.d}`);
    new Float32Array(this.k.memory.buffer, this.at.truth, this.G * this.d).set(truth);
    this.truthSet = truth;
  }

  /**
   * The batch (B rows) from sparse terms over the true directions (ActivationSource.sampleTerms), summed in
   * the kernel to the same float32 values as the source's sample() (no [B][d] array built in JavaScript).
   */
  setBatchTerms(terms: SparseTerms, B: number, truth: ArrayLike<number>): void {
    if (!this.terms) throw new Error('SAE kernel: created without room for sparse-term batches');
    if (B > this.capacity) throw new Error(`SAE kernel: batch ${B} exceeds its capacity ${this.capacity}`);
    const { d, dP, at } = this;
    const nnz = terms.start[B];
    if (nnz > this.capacity * this.G) throw new Error(`SAE kernel: ${nnz} terms exceed its room`);
    this.setTruth(truth);
    const buf = this.k.memory.buffer;
    new Int32Array(buf, at.termStart, B + 1).set(terms.start.subarray(0, B + 1));
    new Int32Array(buf, at.termFeature, nnz).set(terms.feature.subarray(0, nnz));
    new Float64Array(buf, at.termCoef, nnz).set(terms.coef.subarray(0, nnz));
    this.k.termsBatch(B, d, dP, at.truth, at.termStart, at.termFeature, at.termCoef, at.h);
    this.rows = B;
  }

  /** A copy of the batch set last, [rows][dP] (tests). */
  batch(): Float32Array {
    return this.h.slice(0, this.rows * this.dP);
  }

  /**
   * cos(latent l's decoder column, true feature g) for instance k's resident W_dec and the true
   * directions (unit rows, [G][d]): [L][G], as latentFeatureCosines computes it, one GEMM here.
   */
  cosines(k: number, truth: ArrayLike<number>): Float32Array {
    const { d, L, G, dP, at } = this;
    const buf = this.k.memory.buffer;
    this.setTruth(truth);
    const WdecT = this.parts(this.blockAt('params', k)).WdecT;
    this.k.matmul(L, G, d, WdecT / 4, dP, 1, at.truth / 4, 1, d, at.cos / 4, G, 0);
    const W = new Float32Array(buf, WdecT, L * dP);
    const out = new Float32Array(buf, at.cos, L * G).slice();
    for (let l = 0; l < L; l++) {
      let norm = 0;
      for (let j = 0; j < d; j++) norm += W[l * dP + j] ** 2;
      const inv = 1 / (Math.sqrt(norm) || 1);
      for (let g = 0; g < G; g++) out[l * G + g] *= inv;
    }
    return out;
  }

  /**
   * How often each of instance k's latents fires (z > 1e-8) on `rows` inputs h ([rows][d]), in float32 like the
   * training pass: counts into `out` ([L]), returns the total. Runs batch-sized chunks through the encoder
   * GEMM; overwrites the batch buffer (the next step sets its own).
   */
  fireCounts(k: number, h: Float32Array, rows: number, out: Int32Array): number {
    const { d, L, dP, LP, at } = this;
    const p = this.parts(this.blockAt('params', k));
    const counts = new Int32Array(this.k.memory.buffer, at.counts, LP);
    counts.fill(0);
    let total = 0;
    for (let r0 = 0; r0 < rows; r0 += this.capacity) {
      const B = Math.min(this.capacity, rows - r0);
      this.setBatch(h.subarray(r0 * d, (r0 + B) * d), B);
      total += this.k.fireCounts(B, d, dP, L, LP, at.h, p.Wenc, p.benc, p.bdec, at.X, at.P, at.counts);
    }
    out.set(new Int32Array(this.k.memory.buffer, at.counts, L));
    return total;
  }

  /** Give the instance back to the pool for the next trainer; this kernel must not be used again. */
  release(): void {
    if (this.instance) this.pool.give(this.instance);
    this.instance = null;
  }

  /** Copy a batch ([B][d]) into kernel memory, padded to dP. */
  setBatch(h: Float32Array, B: number): void {
    if (B > this.capacity) throw new Error(`SAE kernel: batch ${B} exceeds its capacity ${this.capacity}`);
    const { d, dP } = this;
    const dst = this.h;
    if (d === dP) dst.set(h.subarray(0, B * d));
    else for (let r = 0; r < B; r++) for (let j = 0; j < d; j++) dst[r * dP + j] = h[r * d + j];
    this.rows = B;
  }

  /**
   * Forward and backward of instance k's resident parameters on the batch set last; the gradients stay
   * in kernel memory (for adam, or readGradients). Calls onFire(l) for every latent with z > 1e-8 on
   * some example. Returns the means.
   */
  pass(k: number, lambda: number, onFire: (l: number) => void): { loss: number; reconstruction: number; l0: number } {
    const { d, L, dP, LP, at } = this;
    const B = this.rows;
    const p = this.parts(this.blockAt('params', k)), g = this.parts(at.grads);
    const t0 = performance.now();
    const loss = this.k.pass(
      B, d, dP, L, LP, lambda, lambda / B, 2 / (d * B), this.denseFrom,
      at.h, at.WencT, p.Wenc, p.benc, p.WdecT, p.bdec, g.Wenc, g.benc, g.WdecT, g.bdec, at.fired,
      at.X, at.P, at.G, at.E, at.dX, at.actIdx, at.rowData,
    );
    this.kernelMs += performance.now() - t0;
    const fired = this.fired;
    for (let l = 0; l < L; l++) if (fired[l]) onFire(l);
    return { loss, reconstruction: this.k.lastReconstruction(), l0: this.k.lastL0() };
  }

  /** Adam update t of instance k with the gradients of the last pass (shared/adam.ts's formula, float32). */
  adam(k: number, s: AdamStep): void {
    this.k.adam(this.block, this.blockAt('params', k), this.blockAt('m', k), this.blockAt('v', k), this.at.grads, s.stepSize, s.sqrtBc2, s.decay);
  }

  /** Instance k's decoder columns (rows of W_decᵀ) back to unit norm: ÷ (‖col‖ + 1e-8), as the TF.js engine does. */
  normaliseDecoder(k: number): void {
    this.k.normaliseRows(this.L, this.dP, this.parts(this.blockAt('params', k)).WdecT);
  }
}
