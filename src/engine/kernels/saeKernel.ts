// JavaScript side of the fused SAE engine's WebAssembly kernel (saeKernel.as.ts): one module instance
// per trainer, memory laid out once for its batch, d and L. Per step the batch is copied in once
// (setBatch), then per instance the parameters go in (transposed where the kernel wants it) and the
// gradients come out. Without WebAssembly SIMD, `SaeKernel.create` returns null and the trainer keeps
// its JavaScript pass, which computes the same numbers (in float64 instead of float32). The products
// run in the GEMM core (gemm.as.ts), from the relaxed-SIMD build where the runtime has it (relaxedSimd.ts).

import { GEMM_SCRATCH_FLOATS } from './gemmCore';
import { InstancePool } from './instancePool';
import { decodeBase64, pickKernelBuild, type KernelBuild } from './relaxedSimd';
import { SAE_KERNEL_RELAXED_WASM_BASE64, SAE_KERNEL_WASM_BASE64 } from './saeKernelWasm';

interface Exports {
  memory: WebAssembly.Memory;
  pass(
    B: number, d: number, dP: number, L: number, LP: number, lambda: number, l1Grad: number, scale: number, denseFrom: number,
    h: number, WencT: number, Wenc: number, benc: number, WdecT: number, bdec: number,
    gWenc: number, gbenc: number, gWdecT: number, gbdec: number, fired: number,
    X: number, P: number, G: number, E: number, dX: number, act: number, z: number,
  ): number;
  lastReconstruction(): number;
  lastL0(): number;
  gemmScratchBytes(): number;
  setGemmScratch(at: number): void;
  matmul(M: number, N: number, K: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, cRow: number, acc: number): void;
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

let pool: InstancePool | null = null;
/** The instances of this kernel (one per live trainer, plus idle ones to reuse): see instancePool.ts. */
export function saeKernelPool(): InstancePool | null {
  const module = kernelModule();
  if (!module) return null;
  return (pool ??= new InstancePool(() => new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('SAE kernel aborted'); } } })));
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

/** below this d·L the kernel's encoder runs row by row over W_encᵀ (saeKernel.as.ts) */
const SMALL_ENCODER = 1024;

/** The gradients of one pass, in the trainer's layouts (float64, W_dec transposed [L][d]). */
export interface KernelGrads {
  Wenc: Float64Array;
  benc: Float64Array;
  WdecT: Float64Array;
  bdec: Float64Array;
  /** when given, W_dec's gradient goes here in parameter layout [d][L] (Adam's) instead of into WdecT */
  Wdec?: Float64Array;
}

export class SaeKernel {
  private readonly k: Exports;
  private readonly dP: number;
  private readonly LP: number;
  private readonly at: Record<'h' | 'WencT' | 'Wenc' | 'benc' | 'WdecT' | 'bdec' | 'gWenc' | 'gbenc' | 'gWdecT' | 'gbdec' | 'fired' | 'X' | 'P' | 'G' | 'E' | 'dX' | 'act' | 'z' | 'pack' | 'cosW' | 'truth' | 'cos', number>;
  private readonly v: {
    h: Float32Array; WencT: Float32Array; Wenc: Float32Array; benc: Float32Array; WdecT: Float32Array; bdec: Float32Array;
    gWenc: Float32Array; gbenc: Float32Array; gWdecT: Float32Array; gbdec: Float32Array; fired: Int32Array;
  };
  private rows = 0;

  private instance: WebAssembly.Instance | null;

  private constructor(instance: WebAssembly.Instance, readonly capacity: number, readonly d: number, readonly L: number, readonly G: number) {
    this.instance = instance;
    const k = (this.k = instance.exports as unknown as Exports);
    const dP = (this.dP = pad4(d));
    const LP = (this.LP = pad4(L));
    const sizes = {
      h: capacity * dP, WencT: d * LP, Wenc: L * dP, benc: LP, WdecT: L * dP, bdec: dP,
      gWenc: L * dP, gbenc: LP, gWdecT: L * dP, gbdec: dP, fired: LP,
      X: capacity * dP, P: capacity * LP, G: capacity * LP, E: capacity * dP, dX: capacity * dP, act: LP, z: LP,
      pack: GEMM_SCRATCH_BYTES / 4,
      cosW: G ? d * L : 0, truth: G * d, cos: L * G,
    };
    let top = BASE;
    const at = {} as SaeKernel['at'];
    for (const [name, len] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      at[name] = top;
      top += (4 * len + 15) & ~15;
    }
    const need = Math.ceil(top / 65536) - k.memory.buffer.byteLength / 65536;
    if (need > 0) k.memory.grow(need);
    this.at = at;
    const buf = k.memory.buffer;
    const f32 = (name: keyof typeof sizes) => new Float32Array(buf, at[name], sizes[name]);
    this.v = {
      h: f32('h'), WencT: f32('WencT'), Wenc: f32('Wenc'), benc: f32('benc'), WdecT: f32('WdecT'), bdec: f32('bdec'),
      gWenc: f32('gWenc'), gbenc: f32('gbenc'), gWdecT: f32('gWdecT'), gbdec: f32('gbdec'), fired: new Int32Array(buf, at.fired, LP),
    };
    new Uint8Array(buf, BASE, top - BASE).fill(0);
    if (k.gemmScratchBytes() > GEMM_SCRATCH_BYTES) throw new Error('SAE kernel: GEMM packing space too small');
    k.setGemmScratch(at.pack);
  }

  /** ms spent inside the WebAssembly pass, summed over all passes (the bench's time split) */
  kernelMs = 0;

  /** fraction of firing pairs from which the dense backward runs (tests and bench set 0 or 2 to force a path) */
  denseFrom = SAE_DENSE_FROM;

  /**
   * A kernel for batches of up to `capacity` rows of d values and L latents (and G true features for
   * the cosines); null without WebAssembly SIMD or if too large.
   */
  static create(capacity: number, d: number, L: number, G = 0): SaeKernel | null {
    const module = kernelModule();
    const bytes = BASE + 4 * (4 * capacity * pad4(d) + 2 * capacity * pad4(L) + 4 * L * pad4(d) + d * pad4(L) + 8 * pad4(L) + 8 * pad4(d) + d * L + G * d + L * G) +
      GEMM_SCRATCH_BYTES + 16 * 23;
    if (!module || bytes > MAX_KERNEL_BYTES) return null;
    return new SaeKernel(saeKernelPool()!.take(), capacity, d, L, G);
  }

  private truthSet: ArrayLike<number> | null = null;

  /**
   * cos(latent l's decoder column, true feature g) for one instance's W_dec ([d][L]) and the true
   * directions (unit rows, [G][d]): [L][G], as latentFeatureCosines computes it, one GEMM here.
   */
  cosines(Wdec: Float32Array, truth: ArrayLike<number>): Float32Array {
    const { d, L, G, at } = this;
    const buf = this.k.memory.buffer;
    if (this.truthSet !== truth) {
      new Float32Array(buf, at.truth, G * d).set(truth);
      this.truthSet = truth;
    }
    new Float32Array(buf, at.cosW, d * L).set(Wdec);
    this.k.matmul(L, G, d, at.cosW / 4, 1, L, at.truth / 4, 1, d, at.cos / 4, G, 0);
    const norm = new Float64Array(L);
    for (let j = 0; j < d; j++) for (let l = 0; l < L; l++) norm[l] += Wdec[j * L + l] ** 2;
    const out = new Float32Array(buf, at.cos, L * G).slice();
    for (let l = 0; l < L; l++) {
      const inv = 1 / (Math.sqrt(norm[l]) || 1);
      for (let g = 0; g < G; g++) out[l * G + g] *= inv;
    }
    return out;
  }

  /** Give the instance back to the pool for the next trainer; this kernel must not be used again. */
  release(): void {
    if (this.instance) saeKernelPool()?.give(this.instance);
    this.instance = null;
  }

  /** Copy a batch ([B][d]) into kernel memory, padded to dP. */
  setBatch(h: Float32Array, B: number): void {
    if (B > this.capacity) throw new Error(`SAE kernel: batch ${B} exceeds its capacity ${this.capacity}`);
    const { d, dP } = this;
    const dst = this.v.h;
    if (d === dP) dst.set(h.subarray(0, B * d));
    else for (let r = 0; r < B; r++) for (let j = 0; j < d; j++) dst[r * dP + j] = h[r * d + j];
    this.rows = B;
  }

  /**
   * Forward and backward of one instance on the batch set last: parameters in the trainer's layouts
   * (Wenc [L][d], benc [L], Wdec [d][L], bdec [d], given as subarrays of the instance), gradients out
   * into `g`; calls onFire(l) for every latent with z > 1e-8 on some example. Returns the means.
   */
  pass(
    Wenc: Float32Array, benc: Float32Array, Wdec: Float32Array, bdec: Float32Array, lambda: number, g: KernelGrads, onFire: (l: number) => void,
  ): { loss: number; reconstruction: number; l0: number } {
    const { d, L, dP, LP, at, v } = this;
    const B = this.rows;
    // W_encᵀ only for the row-by-row encoder of tiny shapes (saeKernel.as.ts SMALL_ENCODER); the GEMM reads W_enc
    const wantT = d * L < SMALL_ENCODER;
    for (let l = 0; l < L; l++) {
      if (d === dP) v.Wenc.set(Wenc.subarray(l * d, (l + 1) * d), l * dP);
      else for (let j = 0; j < d; j++) v.Wenc[l * dP + j] = Wenc[l * d + j];
      if (wantT) for (let j = 0; j < d; j++) v.WencT[j * LP + l] = Wenc[l * d + j];
    }
    for (let j = 0; j < d; j++) for (let l = 0; l < L; l++) v.WdecT[l * dP + j] = Wdec[j * L + l];
    v.benc.set(benc);
    v.bdec.set(bdec);
    const t0 = performance.now();
    const loss = this.k.pass(
      B, d, dP, L, LP, lambda, lambda / B, 2 / (d * B), this.denseFrom,
      at.h, at.WencT, at.Wenc, at.benc, at.WdecT, at.bdec, at.gWenc, at.gbenc, at.gWdecT, at.gbdec, at.fired,
      at.X, at.P, at.G, at.E, at.dX, at.act, at.z,
    );
    this.kernelMs += performance.now() - t0;
    for (let l = 0; l < L; l++) {
      g.benc[l] = v.gbenc[l];
      if (v.fired[l]) onFire(l);
      for (let j = 0; j < d; j++) g.Wenc[l * d + j] = v.gWenc[l * dP + j];
    }
    if (g.Wdec) {
      const out = g.Wdec;
      for (let j = 0; j < d; j++) for (let l = 0; l < L; l++) out[j * L + l] = v.gWdecT[l * dP + j];
    } else {
      for (let l = 0; l < L; l++) for (let j = 0; j < d; j++) g.WdecT[l * d + j] = v.gWdecT[l * dP + j];
    }
    for (let j = 0; j < d; j++) g.bdec[j] = v.gbdec[j];
    return { loss, reconstruction: this.k.lastReconstruction(), l0: this.k.lastL0() };
  }
}
