// The "Monitor & ablate" tab's store: its settings, the worker's status, the finished run's result, the
// live monitor's stream and the target the page looks at. Side effects live in monitorController.ts.

import { create } from 'zustand';
import { DEFAULT_MONITOR_CONFIG, type MonitorConfig } from '../engine/monitor/config.ts';
import type { WorkerHealth } from '../worker/client.ts';
import type { MonitorResultMessage, MonitorStatusMessage, MonitorStreamMessage } from '../worker/monitorProtocol.ts';

export type MonitorRunStatus = Omit<MonitorStatusMessage, 'type'>;

export interface MonitorViewState {
  /** the settings the controls show (always valid) */
  config: MonitorConfig;
  editErrors: Partial<Record<keyof MonitorConfig, string[]>>;
  runConfig: MonitorConfig | null;
  status: MonitorRunStatus | null;
  result: MonitorResultMessage | null;
  stream: MonitorStreamMessage | null;
  /** the feature the ROC, ablation, steering and live panels show (toy base) */
  target: number;
  health: WorkerHealth;
  notice: string | null;
}

export const useMonitor = create<MonitorViewState>()(() => ({
  config: { ...DEFAULT_MONITOR_CONFIG },
  editErrors: {},
  runConfig: null,
  status: null,
  result: null,
  stream: null,
  target: 0,
  health: { state: 'starting' },
  notice: null,
}));

/** The result of the feature the page looks at (the first analysed one if that was not analysed). */
export function focusedFeature(s: Pick<MonitorViewState, 'result' | 'target'>) {
  const fs = s.result?.features ?? [];
  return fs.find((f) => f.target === s.target) ?? fs[0] ?? null;
}
