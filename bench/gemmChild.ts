// Child process of the GEMM bench: measureGemm in a fresh Node, one result line. Node 20 (V8 11.3)
// validates relaxed SIMD only with --experimental-wasm-relaxed-simd; gemm.ts runs this child with and
// without it and reports which builds Node accepted by default.
// Usage: node [--experimental-wasm-relaxed-simd] --import tsx bench/gemmChild.ts

import { measureGemm } from './gemmMeasure.ts';
import { relaxedSimdSupported } from '../src/engine/kernels/relaxedSimd.ts';
import { spawnNodeKernelHelper } from '../src/worker/nodeKernelHelpers.ts';

export const GEMM_RESULT_PREFIX = 'GEMM_BENCH_RESULT ';

try {
  const results = await measureGemm(15, spawnNodeKernelHelper);
  process.stdout.write(`\n${GEMM_RESULT_PREFIX}${JSON.stringify({ ok: true, relaxed: relaxedSimdSupported(), results })}\n`);
} catch (e) {
  process.stdout.write(`\n${GEMM_RESULT_PREFIX}${JSON.stringify({ ok: false, reason: e instanceof Error ? e.message : String(e) })}\n`);
  process.exitCode = 1;
}
