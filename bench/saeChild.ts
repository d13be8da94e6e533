// Child process of the SAE bench: one engine on one config, one result line (a fresh process per
// measurement, so no TF.js backend or JIT state carries over).
// Usage (by sae.ts): node --import tsx bench/saeChild.ts '{"config":…,"engine":"fused","plan":…}'

import { initBackend } from '../src/engine/shared/backend.ts';
import { spawnNodeKernelHelper } from '../src/worker/nodeKernelHelpers.ts';
import { measureSae, SAE_RESULT_PREFIX, type SaeBenchConfig, type SaeBenchEngine } from './saeMeasure.ts';
import type { StepPlan } from './types.ts';

const job = JSON.parse(process.argv[2] ?? 'null') as { config: SaeBenchConfig; engine: SaeBenchEngine; plan: StepPlan };
try {
  const backend = job.engine === 'tfjs' ? (await initBackend(['wasm'])).active : null;
  const result = await measureSae(job.config, job.engine, job.plan, spawnNodeKernelHelper);
  process.stdout.write(`\n${SAE_RESULT_PREFIX}${JSON.stringify({ ok: true, result, backend })}\n`);
} catch (e) {
  process.stdout.write(`\n${SAE_RESULT_PREFIX}${JSON.stringify({ ok: false, reason: e instanceof Error ? e.message : String(e) })}\n`);
  process.exitCode = 1;
}
