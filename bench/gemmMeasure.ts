// GFLOP/s of the WebAssembly GEMM core (src/engine/kernels/gemm.as.ts) at the SAE's and the
// transformer's product shapes, next to this machine's measured single-core SIMD ceiling (the
// kernels' maddPeakLoop: 12 independent multiply-add chains, no memory traffic), for each build the
// runtime validates (plain SIMD mul+add; relaxed SIMD fused multiply-add). Shared by the Node child
// (gemmChild.ts) and the browser worker (saeBrowser/worker.ts).
//
// Timing rule on a shared 2-core machine: many short runs (≈ 4–8 ms each), best run counts — a run
// that a time slice or another process interrupted only ever looks slower, never faster.

import {
  SAE_KERNEL_RELAXED_WASM_BASE64, SAE_KERNEL_SHARED_RELAXED_WASM_BASE64, SAE_KERNEL_SHARED_WASM_BASE64, SAE_KERNEL_WASM_BASE64,
} from '../src/engine/kernels/saeKernelWasm.ts';
import { decodeBase64, type KernelBuild } from '../src/engine/kernels/relaxedSimd.ts';
import type { SpawnKernelHelper } from '../src/engine/kernels/kernelThreads.ts';

export interface GemmShape {
  /** which product of which engine */
  label: string;
  M: number;
  N: number;
  K: number;
  /** A·B, Aᵀ·B (weight gradients) or A·Bᵀ (through a transposed weight) */
  layout: 'AB' | 'AtB' | 'ABt';
}

export const GEMM_SHAPES: readonly GemmShape[] = [
  { label: 'SAE (sc) encoder X̄·W_encᵀ', M: 256, N: 512, K: 256, layout: 'AB' },
  { label: 'SAE (sc) decoder Z·W_decᵀ', M: 256, N: 256, K: 512, layout: 'AB' },
  { label: 'SAE (sc) Δ·W_dec', M: 256, N: 512, K: 256, layout: 'ABt' },
  { label: 'SAE (sc) ∂W = Gᵀ·X̄', M: 512, N: 256, K: 256, layout: 'AtB' },
  { label: 'SAE (sb) encoder', M: 256, N: 128, K: 32, layout: 'AB' },
  { label: 'SAE (sb) ∂W = Gᵀ·X̄', M: 128, N: 32, K: 256, layout: 'AtB' },
  { label: 'transformer default q/k/v (rows×d×d)', M: 1040, N: 32, K: 32, layout: 'AB' },
  { label: 'transformer d=128 MLP in (rows×4d×d)', M: 1040, N: 512, K: 128, layout: 'AB' },
  { label: 'transformer d=128 ∂W_in (d×4d×rows)', M: 128, N: 512, K: 1040, layout: 'AtB' },
];

export interface GemmResult {
  build: KernelBuild;
  /** GFLOP/s of the peak loop */
  peak: number;
  /**
   * gflops: the single-thread build; threads: the shared-memory build of the same kernel (gemmThreads.as.ts)
   * on one thread and split with a helper worker, timed back to back (absent where no helper could start)
   */
  rows: { shape: GemmShape; gflops: number; ofPeak: number; threads?: { one: number; two: number } }[];
  /** why there is no two-thread figure */
  threadsNote?: string;
}

interface Exports {
  memory: WebAssembly.Memory;
  gemmScratchBytes(): number;
  setGemmScratch(at: number): void;
  matmul(M: number, N: number, K: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, cRow: number, acc: number): void;
  simdPeak(iters: number, x: number): number;
}

interface SharedExports extends Exports {
  setHelperScratch(at: number): void;
  helperReady(): number;
  stopHelper(): void;
}

/**
 * best time of `reps` runs of f, in ms, each run repeating f until ≥ minMs (4 ms: a page that is not
 * cross-origin isolated gets performance.now() in 0.1 ms steps, which would quantise 1 ms runs by 10%)
 */
function bestMs(f: () => void, reps: number, minMs = 4): number {
  f();
  let n = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) f();
    if (performance.now() - t >= minMs) break;
    n *= 2;
  }
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) f();
    best = Math.min(best, (performance.now() - t) / n);
  }
  return best;
}

function measureBuild(build: KernelBuild, base64: string, reps: number): GemmResult {
  const k = new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(base64)), { env: { abort: () => { throw new Error('abort'); } } }).exports as unknown as Exports;
  const ITERS = 50_000;
  const scratch = 65536;
  k.memory.grow(Math.ceil((scratch + k.gemmScratchBytes()) / 65536) + 1);
  const peakMs = bestMs(() => k.simdPeak(ITERS, 0.5), reps * 2);
  const peak = (96 * ITERS) / peakMs / 1e6;
  const base = (scratch + k.gemmScratchBytes()) / 4 + 64;
  k.setGemmScratch(scratch);
  const rows = GEMM_SHAPES.map((shape) => {
    const { M, N, K } = shape;
    const args = placeShape(k.memory, base, shape);
    const ms = bestMs(() => k.matmul(...args), reps);
    const gflops = (2 * M * N * K) / ms / 1e6;
    return { shape, gflops, ofPeak: gflops / peak };
  });
  return { build, peak, rows };
}

/** Fill A and B of one shape in kernel memory from `base` (float index); returns matmul's arguments. */
function placeShape(memory: WebAssembly.Memory, base: number, { M, N, K, layout }: GemmShape) {
  const a = base, b = a + M * K + 16, c = b + K * N + 16;
  const need = (c + M * N + 16) * 4;
  if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  const f = new Float32Array(memory.buffer);
  for (let i = a; i < c; i++) f[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
  const [aRow, aCol] = layout === 'AtB' ? [1, M] : [K, 1];
  const [bRow, bCol] = layout === 'ABt' ? [1, K] : [N, 1];
  return [M, N, K, a, aRow, aCol, b, bRow, bCol, c, N, 0] as const;
}

/** The shared-memory build at each shape on one thread and on two (a helper spawned here), GFLOP/s. */
async function measureThreads(base64: string, spawn: SpawnKernelHelper, reps: number): Promise<{ one: number; two: number }[]> {
  const module = new WebAssembly.Module(decodeBase64(base64));
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 8192, shared: true });
  const k = new WebAssembly.Instance(module, { env: { memory, abort: () => { throw new Error('abort'); } } }).exports as unknown as SharedExports;
  const helper = spawn(module, memory);
  try {
    const t0 = performance.now();
    while (!k.helperReady()) {
      if (performance.now() - t0 > 10_000) throw new Error('the helper worker did not start within 10 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    const scratch = 65536, helperScratch = scratch + k.gemmScratchBytes();
    memory.grow(Math.ceil((helperScratch + k.gemmScratchBytes()) / 65536) + 1);
    k.setGemmScratch(scratch);
    const base = (helperScratch + k.gemmScratchBytes()) / 4 + 64;
    return GEMM_SHAPES.map((shape) => {
      const args = placeShape(memory, base, shape);
      const flop = 2 * shape.M * shape.N * shape.K;
      k.setHelperScratch(0);
      const one = flop / bestMs(() => k.matmul(...args), reps) / 1e6;
      k.setHelperScratch(helperScratch);
      const two = flop / bestMs(() => k.matmul(...args), reps) / 1e6;
      return { one, two };
    });
  } finally {
    k.stopHelper();
    helper.close();
  }
}

/**
 * Every build this runtime validates (the relaxed one only where relaxed SIMD is on); with `spawn` (a way
 * to start a helper worker) and shared memory, each also on two threads.
 */
export async function measureGemm(reps = 15, spawn?: SpawnKernelHelper): Promise<GemmResult[]> {
  const out: GemmResult[] = [];
  const builds = [['simd', SAE_KERNEL_WASM_BASE64, SAE_KERNEL_SHARED_WASM_BASE64], ['relaxed-simd', SAE_KERNEL_RELAXED_WASM_BASE64, SAE_KERNEL_SHARED_RELAXED_WASM_BASE64]] as const;
  for (const [build, b64, shared] of builds) {
    if (!WebAssembly.validate(decodeBase64(b64))) continue;
    const result = measureBuild(build, b64, reps);
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
    if (!spawn) result.threadsNote = 'no helper worker offered';
    else if (!isolated || typeof SharedArrayBuffer !== 'function') result.threadsNote = 'not cross-origin isolated: no shared memory';
    else {
      try {
        const threads = await measureThreads(shared, spawn, reps);
        result.rows.forEach((r, i) => (r.threads = threads[i]));
      } catch (e) {
        result.threadsNote = e instanceof Error ? e.message : String(e);
      }
    }
    out.push(result);
  }
  return out;
}
