// The one store of the lab. Components subscribe to the slice they draw, so the ~30 Hz
// snapshots re-render only the panels, and the status readout only itself.
// Side effects (talking to the worker) live in labController.ts, not here.

import { create } from 'zustand';
import { DEFAULT_CONFIG, type LabConfig } from '../engine/toy/config.ts';
import type { WorkerHealth } from '../worker/client.ts';
import type { EngineChoice, SnapshotMessage, Speed, StatusMessage } from '../worker/protocol.ts';
import { LossHistory } from './lossHistory.ts';

export type ConfigKey = keyof LabConfig;

/** The worker's latest status report, as the readout shows it. */
export type RunStatus = Omit<StatusMessage, 'type'>;

/** A feature under the pointer, in some panel; every panel highlights it. */
export interface Hover {
  feature: number;
  instance: number;
  /** page coordinates for the tooltip */
  x: number;
  y: number;
  /** extra line from the panel, e.g. a WᵀW entry */
  detail?: string;
}

export interface LabState {
  /** the settings the controls show (always valid) */
  config: LabConfig;
  /** messages from the validator, by the field whose edit was rejected */
  editErrors: Partial<Record<ConfigKey, string[]>>;
  /** bumped when the whole form is replaced (preset, URL) so fields drop their drafts */
  formEpoch: number;
  /** problems in the page's URL parameters (they were ignored) */
  urlErrors: string[];
  speed: Speed;
  /** the run the worker confirmed, its config (may lag `config` by the debounce) */
  runConfig: LabConfig | null;
  run: RunStatus | null;
  snapshot: SnapshotMessage | null;
  history: LossHistory;
  historyVersion: number;
  health: WorkerHealth;
  /** the last thing that went wrong, in words */
  notice: string | null;
  hover: Hover | null;
  selectedInstance: number;
  /** the active view (see ui/views/registry.ts) */
  view: string;
  /** the trainer the user asked for; run.engine says which one runs */
  engineChoice: EngineChoice;
}

export const useLab = create<LabState>()(() => ({
  config: { ...DEFAULT_CONFIG },
  editErrors: {},
  formEpoch: 0,
  urlErrors: [],
  speed: null,
  runConfig: null,
  run: null,
  snapshot: null,
  history: new LossHistory(1),
  historyVersion: 0,
  health: { state: 'starting' },
  notice: null,
  hover: null,
  selectedInstance: 0,
  view: 'lab',
  engineChoice: 'auto',
}));

export function setView(view: string): void {
  useLab.setState({ view });
}

export function setHover(hover: Hover | null): void {
  const prev = useLab.getState().hover;
  if (prev === hover) return;
  if (prev && hover && prev.feature === hover.feature && prev.instance === hover.instance && prev.detail === hover.detail && prev.x === hover.x && prev.y === hover.y) return;
  useLab.setState({ hover });
}

export function selectInstance(k: number): void {
  useLab.setState({ selectedInstance: k });
}

export function dismissNotice(): void {
  useLab.setState({ notice: null });
}
