// One Node measurement of a transformer engine in its own process (bench/induction.ts spawns it):
//   node --import tsx bench/inductionChild.ts '{"engine":"fused","steps":1000}'
// prints one line: INDUCTION_RESULT {…}

import { initBackend } from '../src/engine/shared/backend.ts';
import { defaultInductionConfig, measureInduction } from './inductionMeasure.ts';

const job = JSON.parse(process.argv[2] ?? '{}') as { engine: 'fused' | 'fused-js' | 'tfjs'; steps: number };
const backend = job.engine === 'tfjs' ? (await initBackend(['wasm'])).active : null;
const result = measureInduction(defaultInductionConfig(), job.engine, job.steps);
process.stdout.write(`INDUCTION_RESULT ${JSON.stringify({ ...result, backend })}\n`);
