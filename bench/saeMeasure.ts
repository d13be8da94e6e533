// The SAE benchmark's configs and one measurement, shared by the Node child (saeChild.ts) and the
// browser worker (saeBrowser/worker.ts): build the SAE exactly as the lab does, time its steps.

import { sharkeySource, toyModelSource, type ActivationSource } from '../src/engine/sae/activations.ts';
import { validateConfig } from '../src/engine/toy/config.ts';
import { createRng } from '../src/engine/shared/rng.ts';
import { validateSaeConfig, type SaeConfig } from '../src/engine/sae/config.ts';
import { createSaeTrainer } from '../src/engine/sae/engine.ts';
import { SaeFusedTrainer } from '../src/engine/sae/fused.ts';
import { setKernelThreads, useKernelHelpers, type SpawnKernelHelper } from '../src/engine/kernels/kernelThreads.ts';
import type { SaeEngineName } from '../src/engine/sae/core.ts';
import type { StepPlan } from './types.ts';

export interface SaeBenchConfig {
  id: string;
  label: string;
  data: 'toy' | 'sharkey';
  /** sharkey: d, G, mean active */
  dim: number;
  features: number;
  active: number;
  dictSize: number;
  instances: number;
  /** one λ, or [first, last] log-spaced over the instances */
  l1: number | [number, number];
  batch: number;
  lr: number;
  steps: number;
  quickSteps: number;
}

const toy = { data: 'toy', dim: 2, features: 5, active: 0, batch: 1024, lr: 1e-3 } as const;
const sharkey = { data: 'sharkey', active: 5, batch: 256, lr: 3e-3 } as const;

/** (sa) the ARENA toy SAE of the view (A7); (sb) the sweep's D/G = 2 row; (sc) one SAE at the paper's size. */
export const SAE_CONFIGS: readonly SaeBenchConfig[] = [
  { ...toy, id: 'sa', label: '(sa) toy pentagon SAE: d=2, L=5, K=8, B=1024', dictSize: 5, instances: 8, l1: 0.2, steps: 2000, quickSteps: 300 },
  { ...sharkey, id: 'sb', label: '(sb) Sharkey sweep row: d=32, G=64, L=128, K=6, B=256', dim: 32, features: 64, dictSize: 128, instances: 6, l1: [1e-3, 0.1], steps: 400, quickSteps: 60 },
  { ...sharkey, id: 'sc', label: '(sc) Sharkey paper size: d=256, G=512, L=512, K=1, B=256', dim: 256, features: 512, dictSize: 512, instances: 1, l1: 0.01, steps: 100, quickSteps: 20 },
];

/** bench/saeChild.ts prints its result as one line starting with this. */
export const SAE_RESULT_PREFIX = 'SAE_BENCH_RESULT ';

/** our engines as the bench names them: 'fused' on one thread, 'fused-2t' with a helper worker (kernelThreads.ts), 'tfjs' */
export const SAE_ENGINE_IDS = ['fused', 'fused-2t', 'tfjs'] as const;
export type SaeBenchEngine = (typeof SAE_ENGINE_IDS)[number];

export function saeConfigOf(c: SaeBenchConfig, steps: number): SaeConfig {
  const v = validateSaeConfig({
    data: c.data, dictSize: c.dictSize, saeInstances: c.instances, saeBatch: c.batch, saeLr: c.lr, saeSteps: steps, resample: false,
    ...(Array.isArray(c.l1) ? { l1Range: c.l1 } : { l1: c.l1 }),
    ...(c.data === 'sharkey' ? { sharkeyDim: c.dim, sharkeyFeatures: c.features, sharkeyActive: c.active } : {}),
  });
  if (!v.ok) throw new Error(`SAE bench config ${c.id} is invalid: ${v.errors.join('; ')}`);
  return v.config;
}

/** The fixed pentagon (as in sae_torch.py) or Sharkey's data. */
export function benchSource(c: SaeBenchConfig, sae: SaeConfig): ActivationSource {
  const rng = createRng(1).fork(13);
  if (c.data === 'sharkey') return sharkeySource(sae.sharkeyDim, sae.sharkeyFeatures, sae.sharkeyActive, rng);
  const W = new Float32Array(10);
  for (let i = 0; i < 5; i++) {
    W[i] = Math.cos((2 * Math.PI * i) / 5);
    W[5 + i] = Math.sin((2 * Math.PI * i) / 5);
  }
  const v = validateConfig({ n: 5, m: 2, sparsity: 0.975, importanceDecay: 1 });
  return toyModelSource(v.config!, 0, W, rng);
}

export interface SaeMeasurement {
  steps: number;
  medianBlockMs: number;
  bestBlockMs: number;
  wallMsPerStep: number;
  stepsPerS: number;
  /** mean over instances of the loss and L0 of the last block */
  loss: number;
  l0: number;
  engine: SaeEngineName;
  /** the fused engine's kernel threads */
  threads?: 1 | 2;
  /** fused engine: share of the timed steps' time per phase (SaeFusedTrainer.timeMs), e.g. { kernel: 0.6, … } */
  split?: Record<string, number>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Warm-up untimed, then blocks; steps/s from the median block (the Node bench's rule). 'fused-2t' starts
 * the kernel's helper with `spawn` and times only once it takes part; 'fused' is held to one thread.
 */
export async function measureSae(c: SaeBenchConfig, engine: SaeBenchEngine, plan: StepPlan, spawn?: SpawnKernelHelper): Promise<SaeMeasurement> {
  const sae = saeConfigOf(c, plan.steps);
  useKernelHelpers(spawn ?? null);
  setKernelThreads(engine === 'fused-2t' ? 2 : 1);
  const trainer = createSaeTrainer(sae, benchSource(c, sae), engine === 'fused-2t' ? 'fused' : engine);
  try {
    let threads: 1 | 2 | undefined;
    if (trainer instanceof SaeFusedTrainer) {
      if (engine === 'fused-2t' && !(await trainer.kernelHelperReady(10_000))) throw new Error(`no helper thread (${trainer.kernelPath ? 'it did not start' : 'no kernel'})`);
      threads = trainer.kernelPath?.threads;
    }
    // MMCS (a metric, not training) is left out of the timed steps, as sae_torch.py has none
    if (plan.warmup > 0) trainer.step(plan.warmup, { mmcs: false });
    const phases = trainer instanceof SaeFusedTrainer ? trainer.timeMs : null;
    const before = phases ? { ...phases } : null;
    const blocks: number[] = [];
    let last = trainer.step(1, { mmcs: false });
    const t0 = performance.now();
    let done = plan.warmup + 1;
    while (done < plan.steps) {
      const k = Math.min(plan.block, plan.steps - done);
      const tb = performance.now();
      last = trainer.step(k, { mmcs: false });
      if (k === plan.block) blocks.push((performance.now() - tb) / k);
      done += k;
    }
    const wall = (performance.now() - t0) / Math.max(1, plan.steps - plan.warmup - 1);
    const med = blocks.length ? median(blocks) : wall;
    const mean = (f: (s: (typeof last)[number]) => number) => last.reduce((a, s) => a + f(s), 0) / last.length;
    let split: Record<string, number> | undefined;
    if (phases && before) {
      const total = wall * Math.max(1, plan.steps - plan.warmup - 1);
      const d = (k: keyof typeof phases) => (phases[k] - before[k]) / total;
      split = { batch: d('batch'), kernel: d('kernel'), copies: d('pass') - d('kernel'), update: d('update') };
      split.other = 1 - split.batch - split.kernel - split.copies - split.update;
    }
    return {
      split,
      steps: plan.steps, medianBlockMs: med, bestBlockMs: blocks.length ? Math.min(...blocks) : wall, wallMsPerStep: wall,
      stepsPerS: 1000 / med, loss: mean((s) => s.loss), l0: mean((s) => s.l0), engine: trainer.engine, threads,
    };
  } finally {
    trainer.dispose();
  }
}
