// The SAE view's store (separate from the live lab's): its settings, the worker's latest base model,
// snapshot and status, the metric curves, and the Sharkey sweep. Side effects live in saeController.ts.

import { create } from 'zustand';
import { DEFAULT_CONFIG, validateConfig, type LabConfig } from '../engine/toy/config.ts';
import { DEFAULT_SAE_CONFIG, validateSaeConfig, type SaeConfig } from '../engine/sae/config.ts';
import { DEFAULT_SWEEP_RATIOS, SWEEP_DEFAULTS } from '../engine/sae/sweep.ts';
import type { WorkerHealth } from '../worker/client.ts';
import type { BaseMessage, SaeSnapshotMessage, SaeStatusMessage, SweepMessage, TopRowsMessage } from '../worker/saeProtocol.ts';

/** Which toy model the SAE reads, or 'file': activations the user brought (a link cannot carry the file itself). */
export type BaseChoice = 'pentagon' | 'hexagon' | 'three-d' | 'lab' | 'file';

export interface BasePreset {
  id: Exclude<BaseChoice, 'lab' | 'file'>;
  label: string;
  config: LabConfig;
  /** dictionary size that matches the number of features */
  dictSize: number;
}

const preset = (over: Partial<LabConfig>): LabConfig => {
  const r = validateConfig(over, DEFAULT_CONFIG);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
};

/** ARENA's toy SAE base (science.md §6.2, A7), plus two variations. */
export const BASE_PRESETS: readonly BasePreset[] = [
  { id: 'pentagon', label: 'Pentagon: n = 5, m = 2, S = 0.975', config: preset({ n: 5, m: 2, sparsity: 0.975, importanceDecay: 1, seed: 1 }), dictSize: 5 },
  { id: 'hexagon', label: 'n = 6, m = 2, S = 0.99 (five kept)', config: preset({ n: 6, m: 2, sparsity: 0.99, importanceDecay: 1, seed: 1 }), dictSize: 6 },
  { id: 'three-d', label: '3-D: n = 6, m = 3, S = 0.975 (octahedron)', config: preset({ n: 6, m: 3, sparsity: 0.975, importanceDecay: 1, seed: 1 }), dictSize: 6 },
];

const saeDefaults = (() => {
  const r = validateSaeConfig({ saeSteps: 20_000 }, DEFAULT_SAE_CONFIG);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
})();

/** Metric curves per instance, thinned to at most `capacity` points (like LossHistory). */
export class SaeHistory {
  steps: number[] = [];
  mmcs: number[][];
  l0: number[][];
  dead: number[][];
  version = 0;
  private stride = 1;
  private skipped = 0;

  constructor(readonly instances: number, private readonly capacity = 800) {
    this.mmcs = Array.from({ length: instances }, () => []);
    this.l0 = Array.from({ length: instances }, () => []);
    this.dead = Array.from({ length: instances }, () => []);
  }

  appendPoints(c: SaeSnapshotMessage['curve']): void {
    const K = this.instances;
    for (let p = 0; p < c.steps.length; p++) {
      const step = c.steps[p];
      if (this.steps.length && step <= this.steps[this.steps.length - 1]) continue;
      if (++this.skipped < this.stride) continue;
      this.skipped = 0;
      this.steps.push(step);
      for (let k = 0; k < K; k++) {
        this.mmcs[k].push(c.mmcs[p * K + k]);
        this.l0[k].push(c.l0[p * K + k]);
        this.dead[k].push(c.deadFraction[p * K + k]);
      }
      if (this.steps.length > this.capacity) {
        const keep = (_: unknown, i: number) => i % 2 === 0;
        this.steps = this.steps.filter(keep);
        this.mmcs = this.mmcs.map((a) => a.filter(keep));
        this.l0 = this.l0.map((a) => a.filter(keep));
        this.dead = this.dead.map((a) => a.filter(keep));
        this.stride *= 2;
      }
      this.version++;
    }
  }
}

/** The SAE worker's latest status report, as the readout shows it. */
export type SaeRunStatus = Omit<SaeStatusMessage, 'type'>;

/** Settings of the sweep as the form holds them (strings are parsed on start). */
export interface SweepSettings {
  ratios: string;
  l1Range: string;
  sharkeyDim: number;
  sharkeyFeatures: number;
  sharkeyActive: number;
  saeSteps: number;
}

export type SaeEditKey = keyof SaeConfig | 'base' | 'file' | 'truth';

/** The activations file (and truth file) loaded in the page, as the controls describe them. */
export interface SaeFileInfo {
  name: string;
  rows: number;
  cols: number;
  bytes: number;
  format: 'npy' | 'json';
  notes: string[];
  /** milliseconds to read and validate it */
  parseMs: number;
  /** performance.now() when the file was chosen, and milliseconds from then to the SAE's first snapshot on it */
  chosenAt: number;
  firstSnapshotMs: number | null;
  truth: { name: string; rows: number } | null;
}

export interface SaeViewState {
  base: BaseChoice;
  /** the SAE settings the controls show (always valid) */
  sae: SaeConfig;
  editErrors: Partial<Record<SaeEditKey, string[]>>;
  /** the run the worker confirmed */
  runSae: SaeConfig | null;
  baseModel: BaseMessage | null;
  status: SaeRunStatus | null;
  snapshot: SaeSnapshotMessage | null;
  history: SaeHistory;
  historyVersion: number;
  health: WorkerHealth;
  selected: number;
  /** latent under the pointer (in the selected instance) */
  hoverLatent: number | null;
  /** true feature under the pointer (index into the true directions) */
  hoverFeature: number | null;
  notice: string | null;
  sweepSettings: SweepSettings;
  sweepErrors: string[];
  sweep: SweepMessage | null;
  sweepRunning: boolean;
  /** the activations file in use (base 'file'), or null */
  file: SaeFileInfo | null;
  /** a link chose 'file', which it cannot carry: the page asks for the file */
  fileWanted: boolean;
  /** the latest top-activating rows of the run on screen (file data) */
  topRows: (TopRowsMessage & { runId: number }) | null;
}

export const DEFAULT_SWEEP_SETTINGS: SweepSettings = {
  ratios: DEFAULT_SWEEP_RATIOS.join(','),
  l1Range: SWEEP_DEFAULTS.l1Range!.join(':'),
  sharkeyDim: SWEEP_DEFAULTS.sharkeyDim!,
  sharkeyFeatures: SWEEP_DEFAULTS.sharkeyFeatures!,
  sharkeyActive: SWEEP_DEFAULTS.sharkeyActive!,
  saeSteps: SWEEP_DEFAULTS.saeSteps!,
};

export const useSae = create<SaeViewState>()(() => ({
  base: 'pentagon',
  sae: saeDefaults,
  editErrors: {},
  runSae: null,
  baseModel: null,
  status: null,
  snapshot: null,
  history: new SaeHistory(saeDefaults.saeInstances),
  historyVersion: 0,
  health: { state: 'starting' },
  selected: 0,
  hoverLatent: null,
  hoverFeature: null,
  notice: null,
  sweepSettings: DEFAULT_SWEEP_SETTINGS,
  sweepErrors: [],
  sweep: null,
  sweepRunning: false,
  file: null,
  fileWanted: false,
  topRows: null,
}));

export function selectSaeInstance(k: number): void {
  useSae.setState({ selected: k });
}

export function setSaeHover(latent: number | null, feature: number | null): void {
  const s = useSae.getState();
  if (s.hoverLatent === latent && s.hoverFeature === feature) return;
  useSae.setState({ hoverLatent: latent, hoverFeature: feature });
}
