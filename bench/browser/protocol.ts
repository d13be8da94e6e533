// Messages between the bench page and its measuring worker.

import type { BackendName, EngineName, LabConfig } from '../../src/engine/index.ts';
import type { Measurement, StepPlan } from '../types.ts';

export interface MeasureJob {
  config: LabConfig;
  engine: EngineName;
  /** TF.js backend to start first (null: the engine does not use TF.js) */
  backend: BackendName | null;
  plan: StepPlan;
}

export type MeasureReply =
  | { ok: true; result: Measurement; backend: string | null; engine: string }
  | { ok: false; reason: string };
