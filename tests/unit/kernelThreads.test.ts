// The second core (issue 17): the SAE kernel's shared-memory build splits products, the sparse backward
// and Adam with a helper thread (gemmThreads.as.ts, saeKernel.as.ts) and must give the same numbers to
// the bit as one thread; when it may run on two threads (kernelThreads.ts) and why not; helpers that
// the pool drops are stopped.

import { afterEach, describe, expect, it } from 'vitest';
import { SAE_KERNEL_SHARED_RELAXED_WASM_BASE64, SAE_KERNEL_SHARED_WASM_BASE64 } from '../../src/engine/kernels/saeKernelWasm';
import { decodeBase64, pickKernelBuild } from '../../src/engine/kernels/relaxedSimd';
import { kernelThreadsPlan, setKernelThreads, useKernelHelpers, type SpawnKernelHelper } from '../../src/engine/kernels/kernelThreads';
import { saeKernelPath, SAE_THREADS_FROM } from '../../src/engine/kernels/saeKernel';
import { spawnNodeKernelHelper } from '../../src/worker/nodeKernelHelpers';
import { validateSaeConfig } from '../../src/engine/sae/config';
import { SaeFusedTrainer } from '../../src/engine/sae/fused';
import { sharkeySource } from '../../src/engine/sae/activations';
import { createRng } from '../../src/engine/shared/rng';

afterEach(() => {
  useKernelHelpers(null);
  setKernelThreads(2);
});

interface SharedExports {
  memory: WebAssembly.Memory;
  gemmScratchBytes(): number;
  setGemmScratch(at: number): void;
  setHelperScratch(at: number): void;
  helperReady(): number;
  splitCount(): number;
  helpedCount(): number;
  stopHelper(): void;
  matmul(M: number, N: number, K: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, cRow: number, acc: number): void;
}

async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting for the helper');
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('the split GEMM', () => {
  it('gives the same C to the bit on two threads as on one, for every layout, edge size and accumulation', async () => {
    const module = new WebAssembly.Module(decodeBase64(pickKernelBuild(SAE_KERNEL_SHARED_WASM_BASE64, SAE_KERNEL_SHARED_RELAXED_WASM_BASE64).base64));
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 8192, shared: true });
    const k = new WebAssembly.Instance(module, { env: { memory, abort: () => { throw new Error('abort'); } } }).exports as unknown as SharedExports;
    const helper = spawnNodeKernelHelper(module, memory);
    try {
      await until(() => k.helperReady() === 1);
      const S = k.gemmScratchBytes();
      memory.grow(160);
      const scratch = 65536, helperScratch = scratch + S;
      k.setGemmScratch(scratch);
      const base = (helperScratch + S) / 4 + 16;
      const rng = createRng(5);
      const shapes: [number, number, number][] = [[257, 131, 70], [67, 300, 129], [512, 24, 260], [9, 1000, 33], [300, 17, 300]];
      let splitsBefore = k.splitCount();
      for (const [M, N, K] of shapes) {
        for (const layout of ['AB', 'AtB', 'ABt'] as const) {
          for (const acc of [false, true]) {
            const cRow = N + 3;
            const a = base, b = a + M * K + 4, c = b + K * N + 4, c0 = c + M * cRow + 4;
            const f = new Float32Array(memory.buffer);
            for (let i = a; i < c; i++) f[i] = rng.normal();
            for (let i = 0; i < M * cRow; i++) f[c0 + i] = rng.normal();
            const [aRow, aCol] = layout === 'AtB' ? [1, M] : [K, 1];
            const [bRow, bCol] = layout === 'ABt' ? [1, K] : [N, 1];
            const run = (twoThreads: boolean) => {
              const g = new Float32Array(memory.buffer);
              g.copyWithin(c, c0, c0 + M * cRow);
              k.setHelperScratch(twoThreads ? helperScratch : 0);
              k.matmul(M, N, K, a, aRow, aCol, b, bRow, bCol, c, cRow, acc ? 1 : 0);
              return new Float32Array(memory.buffer, c * 4, M * cRow).slice();
            };
            const one = run(false);
            const splits = k.splitCount();
            const two = run(true);
            expect(k.splitCount(), `${M}×${N}×${K} ${layout} was split`).toBe(splits + 1);
            const differing = one.findIndex((x, i) => !Object.is(x, two[i]));
            expect(differing, `${M}×${N}×${K} ${layout} acc=${acc}: first differing value`).toBe(-1);
          }
        }
      }
      expect(k.splitCount() - splitsBefore).toBe(shapes.length * 6);
      // the helper took part (how much depends on how busy its core was: the values do not)
      expect(k.helpedCount()).toBeGreaterThan(0);
      // a small product stays on this thread
      splitsBefore = k.splitCount();
      k.setHelperScratch(helperScratch);
      k.matmul(16, 16, 16, base, 16, 1, base + 256, 16, 1, base + 512, 16, 0);
      expect(k.splitCount()).toBe(splitsBefore);
    } finally {
      k.stopHelper();
      await until(() => k.helperReady() === 0);
      helper.close();
    }
  });
});

describe('the SAE on two threads', () => {
  const config = (denseFrom: number) => {
    const v = validateSaeConfig({
      data: 'sharkey', sharkeyDim: 64, sharkeyFeatures: 128, sharkeyActive: 5, dictSize: 256, saeInstances: 2, saeBatch: 128, saeSteps: 400,
      l1Range: [1e-3, 3e-2], resample: true, resampleEvery: 25, deadWindow: 20, saeLr: 3e-3,
    });
    if (!v.ok) throw new Error(v.errors.join('; '));
    return { sae: v.config, denseFrom };
  };

  async function train(threads: 1 | 2, denseFrom: number) {
    setKernelThreads(threads);
    const { sae } = config(denseFrom);
    const trainer = new SaeFusedTrainer(sae, sharkeySource(64, 128, 5, createRng(3).fork(13)), { denseFrom });
    try {
      expect(trainer.kernelPath?.threads).toBe(threads);
      if (threads === 2) expect(await trainer.kernelHelperReady()).toBe(true);
      const before = trainer.kernelSplits; // a pooled instance keeps its count
      const stats = trainer.step(60);
      return { snap: trainer.snapshot(), stats, splits: trainer.kernelSplits - before };
    } finally {
      trainer.dispose();
    }
  }

  // jobs shared in 60 steps × 2 instances: dense ≈ 6 products a pass; sparse = the encoder + 3 phases where ≥ 2¹⁷ multiply-adds
  for (const [path, denseFrom, leastSplits] of [['dense', 0, 600], ['sparse', 2, 240]] as const) {
    it(`trains to the same parameters to the bit as one thread (${path} backward, resampling on)`, async () => {
      useKernelHelpers(spawnNodeKernelHelper);
      expect(128 * 64 * 256).toBeGreaterThanOrEqual(SAE_THREADS_FROM);
      const one = await train(1, denseFrom);
      const two = await train(2, denseFrom);
      expect(one.splits).toBe(0);
      expect(two.splits).toBeGreaterThan(leastSplits);
      for (const key of ['Wenc', 'Wdec', 'benc', 'bdec'] as const) {
        const a = one.snap[key], b = two.snap[key];
        expect(b.length).toBe(a.length);
        expect(a.findIndex((x, i) => !Object.is(x, b[i])), `${key}: first differing value`).toBe(-1);
      }
      expect(two.stats).toEqual(one.stats);
    });
  }
});

describe('when the kernels use two threads', () => {
  it('needs a host that can start a helper, shared memory, isolation, and a product large enough', () => {
    expect(kernelThreadsPlan()).toEqual({ threads: 1, reason: 'no helper worker here' });
    useKernelHelpers(spawnNodeKernelHelper);
    expect(kernelThreadsPlan().threads).toBe(2);
    expect(saeKernelPath(256, 256, 512)).toMatchObject({ threads: 2 });
    expect(saeKernelPath(1024, 2, 5)).toMatchObject({ threads: 1, reason: 'products too small to share' });
    setKernelThreads(1);
    expect(kernelThreadsPlan()).toEqual({ threads: 1, reason: 'one thread asked for' });
    setKernelThreads(2);
    const g = globalThis as { crossOriginIsolated?: boolean };
    g.crossOriginIsolated = false;
    try {
      expect(kernelThreadsPlan()).toMatchObject({ threads: 1 });
      expect(kernelThreadsPlan().reason).toMatch(/not cross-origin isolated/);
    } finally {
      delete g.crossOriginIsolated;
    }
    expect(() => setKernelThreads(3 as 2)).toThrow(/1 or 2/);
  });

  it('stops the helpers of instances the pool does not keep', async () => {
    const closed: number[] = [];
    let started = 0;
    const counting: SpawnKernelHelper = (module, memory) => {
      const id = started++;
      const helper = spawnNodeKernelHelper(module, memory);
      return { close: () => (closed.push(id), helper.close()) };
    };
    useKernelHelpers(counting);
    const v = validateSaeConfig({ data: 'sharkey', sharkeyDim: 64, sharkeyFeatures: 128, dictSize: 256, saeInstances: 1, saeBatch: 128 });
    const trainers = Array.from({ length: 3 }, () => new SaeFusedTrainer(v.config!, sharkeySource(64, 128, 5, createRng(1))));
    for (const t of trainers) expect(await t.kernelHelperReady()).toBe(true);
    expect(started).toBeGreaterThanOrEqual(2);
    const before = closed.length;
    for (const t of trainers) t.dispose();
    // the shared pool keeps one idle instance (and its helper); the other two are stopped and closed
    expect(closed.length - before).toBe(2);
  });
});
