// The fused transformer's operations and the memory they work in: the WebAssembly SIMD kernel
// (transformerKernel.as.ts, committed as transformerKernelWasm.ts) where the runtime has WebAssembly
// SIMD, else the plain-JavaScript twin (transformerKernelJs.ts) that computes the same numbers
// (float64 sums instead of float32 in the matrix products, so they agree to float32 rounding).
//
// Every buffer is addressed by a float index into one memory (Int32 buffers share the same index
// space). The trainer lays out parameters, gradients, Adam moments and the activation workspace in
// that memory once, and the operations run on it in place: no copies in or out per step.
// The module (≈ 14 KB) is compiled and instantiated synchronously, which Chromium allows off the main
// thread only (4 KB limit there): run the engine in a Worker, as the lab does; on the main thread it
// falls back to the JavaScript twin.

import { JsTransformerOps } from './transformerKernelJs';
import type { TransformerOps } from './transformerOps';

export { TRI, type TransformerOps } from './transformerOps';
import { InstancePool } from './instancePool';
import { decodeBase64, pickKernelBuild, type KernelBuild } from './relaxedSimd';
import { TRANSFORMER_KERNEL_RELAXED_WASM_BASE64, TRANSFORMER_KERNEL_WASM_BASE64 } from './transformerKernelWasm';

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
  /** done with it: the wasm instance goes back to its pool (instancePool.ts); using the kernel afterwards throws */
  release(): void;
}

interface KernelExports extends TransformerOps {
  memory: WebAssembly.Memory;
}

let compiled: WebAssembly.Module | null | undefined;
let compiledBuild: KernelBuild | null = null;

function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const { base64, build } = pickKernelBuild(TRANSFORMER_KERNEL_WASM_BASE64, TRANSFORMER_KERNEL_RELAXED_WASM_BASE64);
    const bytes = decodeBase64(base64);
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    compiledBuild = compiled ? build : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** which build of the kernel runs here ('relaxed-simd' with fused multiply-add, 'simd'), or null without WebAssembly SIMD */
export function transformerKernelBuild(): KernelBuild | null {
  kernelModule();
  return compiledBuild;
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

  readonly ops: KernelExports;
  private readonly memory: WebAssembly.Memory;
  private instance: WebAssembly.Instance | null;

  constructor(instance: WebAssembly.Instance) {
    this.instance = instance;
    this.ops = instance.exports as unknown as KernelExports;
    this.memory = this.ops.memory;
  }

  release(): void {
    if (this.instance) transformerKernelPool()?.give(this.instance);
    this.instance = null;
    this.buffer = null;
    this.f32View = new Float32Array(0);
    this.i32View = new Int32Array(0);
  }

  private refresh(): void {
    if (!this.instance) throw new Error('transformer kernel was released');
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
    if (!this.instance) throw new Error('transformer kernel was released');
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
  release(): void {}
}

let pool: InstancePool | null = null;
/** The instances of this kernel (one per live trainer, plus idle ones to reuse): see instancePool.ts. */
export function transformerKernelPool(): InstancePool | null {
  const module = kernelModule();
  if (!module) return null;
  return (pool ??= new InstancePool(() => new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('transformer kernel aborted'); } } })));
}

/** The WebAssembly SIMD kernel if wanted and available, else the JavaScript twin. */
export function createTransformerKernel(simd = true): TransformerKernel {
  const p = simd ? transformerKernelPool() : null;
  if (!p) return new JsKernel();
  let instance: WebAssembly.Instance;
  try {
    instance = p.take();
  } catch {
    return new JsKernel();
  }
  return new WasmKernel(instance);
}
