// One measurement of a transformer engine's training speed on an induction config, the same code in
// Node and in a Chromium worker: warm-up steps, then timed blocks of BLOCK steps; a step includes
// drawing its batch (as the PyTorch reference's step includes batch()).

import { createTransformerTrainer, inductionShape, sampleBatch, trainingRng, validateInductionConfig, type InductionConfig } from '../src/engine/transformer/index.ts';

export const INDUCTION_BLOCK = 25;

export interface InductionMeasurement {
  engine: string;
  steps: number;
  /** timed steps ÷ their total time */
  meanMs: number;
  medianBlockMs: number;
  stepsPerS: number;
  loss: number;
}

export function defaultInductionConfig(over: Partial<InductionConfig> = {}): InductionConfig {
  const r = validateInductionConfig(over);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
}

/** `engine`: 'fused' (WebAssembly SIMD), 'fused-js' (its JavaScript twin) or 'tfjs' (the backend must be ready). */
export function measureInduction(config: InductionConfig, engine: 'fused' | 'fused-js' | 'tfjs', steps: number, warmup = 20): InductionMeasurement {
  const shape = inductionShape(config);
  const opts = { seed: config.seed, lr: config.lr, weightDecay: config.weightDecay, ...(engine === 'fused-js' ? { simd: false } : {}) };
  const trainer = createTransformerTrainer(shape, opts, engine === 'tfjs' ? 'tfjs' : 'fused');
  try {
    const rng = trainingRng(config.seed);
    const spec = { vocab: config.vocab, ctx: config.ctx, repeat: config.repeat };
    const batch = new Int32Array(config.batch * config.ctx);
    for (let s = 0; s < warmup; s++) trainer.trainStep(sampleBatch(spec, rng, config.batch, batch), config.batch);
    const blocks: number[] = [];
    let total = 0;
    let loss = NaN;
    for (let done = 0; done < steps; ) {
      const n = Math.min(INDUCTION_BLOCK, steps - done);
      const t0 = performance.now();
      for (let s = 0; s < n; s++) loss = trainer.trainStep(sampleBatch(spec, rng, config.batch, batch), config.batch);
      const ms = performance.now() - t0;
      total += ms;
      if (n === INDUCTION_BLOCK) blocks.push(ms / n);
      done += n;
    }
    blocks.sort((a, b) => a - b);
    const median = blocks.length ? blocks[blocks.length >> 1] : total / steps;
    return { engine, steps, meanMs: total / steps, medianBlockMs: median, stepsPerS: 1000 / median, loss };
  } finally {
    trainer.dispose();
  }
}
