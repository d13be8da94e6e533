// The fused transformer's operations and the memory they work in: the WebAssembly SIMD kernel
// (transformerKernel.as.ts, committed as transformerKernelWasm.ts) where the runtime has WebAssembly
// SIMD, else the plain-JavaScript twin (transformerKernelJs.ts) that computes the same numbers
// (float64 sums instead of float32 in the matrix products, so they agree to float32 rounding).
//
// Every buffer is addressed by a float index into one memory (Int32 buffers share the same index
// space). The trainer lays out parameters, gradients, Adam moments and the activation workspace in
// that memory once, and the operations run on it in place: no copies in or out per step.

import { JsTransformerOps } from './transformerKernelJs';
import { TRANSFORMER_KERNEL_WASM_BASE64 } from './transformerKernelWasm';

/** Which triangle of a square T×T gemm operand is known to be zero (work there is skipped). */
export const TRI = {
  none: 0,
  /** only C's lower triangle (j ≤ i) is needed */
  cLower: 1,
  /** A is lower triangular: A[i][k] = 0 for k > i */
  aLower: 2,
  /** A is upper triangular: A[i][k] = 0 for k < i */
  aUpper: 3,
} as const;

/** The operations, with the signatures of the kernel's exports (indices and strides in floats). */
export interface TransformerOps {
  setScratch(at: number): void;
  /**
   * For each of `batch` matrices: C (M×N) = A·B, or += when accumulate = 1. A[i][k] = a[i·aRow + k·aCol],
   * B[k][j] = b[k·bRow + j·bCol], C[i][j] = c[i·cRow + j]; matrix n starts n·aBatch (bBatch, cBatch) further.
   * With bCol ≠ 1 B is packed into the scratch area (K·N floats) first.
   */
  gemm(
    M: number, N: number, K: number,
    a: number, aRow: number, aCol: number, aBatch: number,
    b: number, bRow: number, bCol: number, bBatch: number,
    c: number, cRow: number, cBatch: number,
    batch: number, accumulate: number, tri: number,
  ): void;
  /** x[r] = E[tokens[r]] + P[r mod T] */
  embed(tokens: number, E: number, P: number, x: number, rows: number, T: number, d: number): void;
  /** gE[tokens[r]] += dx[r], gP[r mod T] += dx[r] */
  embedBackward(tokens: number, dx: number, gE: number, gP: number, rows: number, T: number, d: number): void;
  /** out = x + y */
  add(x: number, y: number, out: number, n: number): void;
  /** x[r] += bias */
  addBias(x: number, bias: number, rows: number, n: number): void;
  /** out += Σ_r x[r] */
  colSum(x: number, rows: number, n: number, out: number): void;
  /** y = LN(x)·g + b; stats[2r], stats[2r + 1] = mean, 1/√(var + eps) */
  layerNorm(x: number, y: number, g: number, b: number, stats: number, rows: number, d: number, eps: number): void;
  /** dx += LN backward of dy; dg += Σ dy·x̂; db += Σ dy */
  layerNormBackward(dy: number, x: number, g: number, stats: number, dx: number, dg: number, db: number, rows: number, d: number): void;
  /** in place on count T×T matrices: causal softmax of scale·s, zeros above the diagonal */
  causalSoftmax(s: number, count: number, T: number, scale: number): void;
  /** in place: da := scale · a ⊙ (da − rowsum(a ⊙ da)) on j ≤ i, zeros above */
  causalSoftmaxBackward(a: number, da: number, count: number, T: number, scale: number): void;
  gelu(x: number, y: number, n: number): void;
  /** dx = dy · GELU'(x) (dx may be dy) */
  geluBackward(x: number, dy: number, dx: number, n: number): void;
  /** next-token cross-entropy; dlogits = gradScale·(softmax − onehot), 0 at t = T − 1; returns the loss sum */
  crossEntropy(logits: number, tokens: number, dlogits: number, rows: number, T: number, V: number, gradScale: number): number;
  adam(p: number, g: number, m: number, v: number, n: number, beta1: number, beta2: number, stepSize: number, sqrtBc2: number, eps: number, decay: number): void;
}

/** The operations plus the memory they address. */
export interface TransformerKernel {
  /** true for the WebAssembly SIMD kernel, false for the JavaScript twin */
  readonly simd: boolean;
  readonly ops: TransformerOps;
  /** first float index free for the caller's buffers (16-byte aligned) */
  readonly base: number;
  /** views of the whole memory; fetch again after `ensure` (growing replaces the buffer) */
  f32(): Float32Array;
  i32(): Int32Array;
  /** make the memory at least `floats` floats long (contents kept) */
  ensure(floats: number): void;
}

interface KernelExports extends TransformerOps {
  memory: WebAssembly.Memory;
}

let compiled: WebAssembly.Module | null | undefined;

function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = Uint8Array.from(atob(TRANSFORMER_KERNEL_WASM_BASE64), (ch) => ch.charCodeAt(0));
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** true when this runtime can run the WebAssembly SIMD kernel */
export function transformerKernelAvailable(): boolean {
  return kernelModule() !== null;
}

const PAGE = 65536;

class WasmKernel implements TransformerKernel {
  readonly simd = true;
  /** the kernel's own static data lives in page 0 */
  readonly base = PAGE / 4;
  private buffer: ArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private i32View = new Int32Array(0);

  constructor(
    readonly ops: KernelExports,
    private readonly memory: WebAssembly.Memory,
  ) {}

  private refresh(): void {
    if (this.buffer === this.memory.buffer) return;
    this.buffer = this.memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
  }

  f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }

  i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }

  ensure(floats: number): void {
    const need = Math.ceil((floats * 4) / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (need > 0) this.memory.grow(need);
  }
}

class JsKernel implements TransformerKernel {
  readonly simd = false;
  readonly base = 0;
  readonly ops = new JsTransformerOps();
  f32(): Float32Array {
    return this.ops.f;
  }
  i32(): Int32Array {
    return this.ops.i;
  }
  ensure(floats: number): void {
    this.ops.grow(floats);
  }
}

/** The WebAssembly SIMD kernel if wanted and available, else the JavaScript twin. */
export function createTransformerKernel(simd = true): TransformerKernel {
  const module = simd ? kernelModule() : null;
  if (!module) return new JsKernel();
  const instance = new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('transformer kernel aborted'); } } });
  const exports = instance.exports as unknown as KernelExports;
  return new WasmKernel(exports, exports.memory);
}
