// Which engine 'auto' should run: a step-time estimate for the fused trainer and for TF.js (wasm),
// with constants fitted to in-process measurements on the 2-core dev machine (Node 20, batch 1024;
// see the fused trainer's report). The fused trainer's work follows the non-zero inputs; TF.js does
// the dense matrix products with SIMD kernels and a fixed per-step dispatch cost. With the fused
// trainer's WebAssembly SIMD Gram kernel, fused was faster on every configuration measured, dense
// ones included (n = 100, m = 20, S = 0: 6.5 vs 13 ms per step); without it (a runtime with no wasm
// SIMD) TF.js wins for large dense models (16 vs 8 ms per step there).

import { instanceSparsities, type LabConfig } from './config';
import { fusedKernelAvailable } from '../kernels/fusedKernel';

/** ms per unit of estimated fused work (a multiply-add or a random draw in the inner loops), fitted */
const FUSED_MS_PER_OP = 1.6e-6;
/** with the WebAssembly kernels: the Gram pass and the sampler cost these fractions of the JavaScript ones (fitted) */
const WASM_GRAM_FACTOR = 0.2;
const WASM_DRAW_FACTOR = 0.4;
/** fused: fixed cost per instance and step (AdamW, copies, call overhead) */
const FUSED_MS_PER_INSTANCE = 0.02;
/** TF.js wasm: fixed dispatch cost per step (~80 kernels) */
const TFJS_MS_PER_STEP = 0.35;
/** TF.js wasm: ms per FLOP of the dense model, 10·B·K·m·n per step (SIMD matmuls) */
const TFJS_MS_PER_FLOP = 0.3e-6;
/** TF.js's batch comes from data.ts's sampleBatch: ~9 ns per random draw (closure-based rng) */
const TFJS_MS_PER_DRAW = 9e-6;

export interface StepEstimate {
  fusedMs: number;
  tfjsMs: number;
}

/**
 * Rough ms per training step of each engine. Fused: per instance, random draws B·n·(1 + p) plus
 * the cheaper of its two schemes (fusedTrainer.ts), with d = active outputs per row taken as n/2
 * (ReLU) or n (linear), and the Gram scheme and the draws discounted when the WebAssembly kernels run (`simd`);
 * TF.js: dispatch + dense FLOPs + its random draws.
 */
export function estimateStepMs(c: Pick<LabConfig, 'model' | 'n' | 'm' | 'instances' | 'sparsity' | 'sparsityRange' | 'batch'>, simd = fusedKernelAvailable()): StepEstimate {
  const { n, m, batch: B } = c;
  let fusedOps = 0;
  let draws = 0;
  for (const S of instanceSparsities(c)) {
    const p = 1 - S;
    const a = p * n; // active inputs per row
    const nonEmptyRows = B * (1 - Math.pow(S, n));
    const d = c.model === 'linear' ? n : n / 2;
    draws += B * n * (1 + p);
    const perRow = nonEmptyRows * n; // loss and δ over all outputs
    if (c.model === 'relu-hidden' || c.model === 'relu-hidden-tied') {
      const mOn = m / 2; // active hidden units
      fusedOps += perRow + B * 2 * m * a + nonEmptyRows * mOn * (n + 2 * d);
    } else {
      const gram = (perRow + B * a * (n + d) + 2 * m * n * n) * (simd ? WASM_GRAM_FACTOR : 1);
      const direct = perRow + B * 2 * m * a + nonEmptyRows * m * (n + 2 * d);
      fusedOps += Math.min(gram, direct);
    }
  }
  const fusedMs = (fusedOps + draws * (simd ? WASM_DRAW_FACTOR : 1)) * FUSED_MS_PER_OP + c.instances * FUSED_MS_PER_INSTANCE;
  const tfjsMs = TFJS_MS_PER_STEP + 10 * B * c.instances * m * n * TFJS_MS_PER_FLOP + draws * TFJS_MS_PER_DRAW;
  return { fusedMs, tfjsMs };
}

/** The engine 'auto' runs: fused when it covers the model and is estimated faster, else TF.js. */
export function preferredEngine(c: LabConfig, fusedCovers: boolean, simd = fusedKernelAvailable()): 'fused' | 'tfjs' {
  if (!fusedCovers) return 'tfjs';
  const { fusedMs, tfjsMs } = estimateStepMs(c, simd);
  return fusedMs <= tfjsMs ? 'fused' : 'tfjs';
}
