// The A/B compare tab's store: the pinned pair (A's and B's configs, the compared instance), each side's run as
// the panels draw it, B's edit errors and the comparison of the two finished runs. Side effects live in
// compareController.ts.

import { create } from 'zustand';
import type { Comparison } from '../engine/compare/compare.ts';
import type { ComparePair } from '../engine/compare/settings.ts';
import type { LabConfig } from '../engine/toy/config.ts';
import type { WorkerHealth } from '../worker/client.ts';

/** One side's run: every instance's latest weights (so the JSON export is the CLI's run record) and its loss curve. */
export interface SideRun {
  config: LabConfig;
  /** 'lab': pinned from the live lab's finished run; 'trained': trained in the compare tab's worker */
  source: 'lab' | 'trained';
  engine: string;
  step: number;
  done: boolean;
  K: number;
  m: number;
  n: number;
  /** [K][m][n] */
  W: Float32Array;
  /** [K][n] */
  b: Float32Array;
  W2: Float32Array | null;
  /** [K] per-instance latest losses (the final losses once done) */
  losses: Float32Array;
  /** rows [step, loss_0, …, loss_{K−1}] */
  curve: number[][];
  /** per instance, e.g. "pentagon" */
  geometry: string[];
}

export interface CompareState {
  pair: ComparePair | null;
  editErrors: Partial<Record<keyof LabConfig, string[]>>;
  a: SideRun | null;
  b: SideRun | null;
  /** which side the worker is training now */
  training: 'a' | 'b' | null;
  /** both runs finished and B differs from A */
  comparison: Comparison | null;
  health: WorkerHealth;
  notice: string | null;
}

export const useCompare = create<CompareState>()(() => ({
  pair: null,
  editErrors: {},
  a: null,
  b: null,
  training: null,
  comparison: null,
  health: { state: 'starting' },
  notice: null,
}));

/** A side's instance k: its m×n weights and the loss curve of that instance. */
export function sideInstance(run: SideRun, k: number): { W: Float32Array; b: Float32Array; curve: [number, number][]; loss: number; geometry: string } {
  const size = run.m * run.n;
  return {
    W: run.W.subarray(k * size, (k + 1) * size),
    b: run.b.subarray(k * run.n, (k + 1) * run.n),
    curve: run.curve.map((row) => [row[0], row[1 + k]] as [number, number]),
    loss: run.losses[k],
    geometry: run.geometry[k] ?? '',
  };
}
