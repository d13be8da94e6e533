// The store of the paper's views (sweep, dimensionality, phase diagrams, …): one session per view,
// each a list of runs, each run one or more passes (trainings with seeds s, s+1, …). Training
// happens in a worker of its own (viewsController.ts); this holds what comes back.

import { create } from 'zustand';
import type { LabConfig } from '../engine/toy/config.ts';
import type { Frame, PhasePass, Settling, ViewRunSpec } from '../engine/views/views.ts';
import type { WorkerHealth } from '../worker/client.ts';
import type { SnapshotMessage, StatusMessage } from '../worker/protocol.ts';
import { LossHistory } from './lossHistory.ts';

export type PassStatus = 'waiting' | 'training' | 'paused' | 'done';

/** One pass: its config, and the worker's latest report on it. */
export interface PassState extends Pick<StatusMessage, 'step' | 'totalSteps' | 'stepsPerSecond' | 'engine'> {
  config: LabConfig;
  status: PassStatus;
  /** seconds this pass has spent training, up to `resumedAt` (paused time is not counted) */
  seconds: number;
  /** page time (ms) when the pass last started or resumed training; null while it is not training */
  resumedAt: number | null;
  snapshot: SnapshotMessage | null;
  /** phase grids: the finished pass classified, with every cell's expected loss */
  phase: PhasePass | null;
  /** the result came from the cache of finished passes (viewCache.ts), not from training it now */
  cached: boolean;
  /** the step it stopped at because its analysis had settled (engine/views/earlyStop.ts), or null */
  stoppedEarly: number | null;
}

export interface RunState {
  spec: ViewRunSpec;
  passes: PassState[];
  /** loss curve of the pass in progress (or the last one) */
  history: LossHistory;
  historyVersion: number;
  /** learning dynamics: frames of the last pass */
  frames: Frame[];
  /** phase grids: how long each cell's phase has held in the pass in progress */
  settling: Settling | null;
}

export interface ViewSession {
  viewId: string;
  /** seed and other settings applied over every run's preset */
  overrides: Partial<LabConfig>;
  runs: RunState[];
  /** page time (ms) when training started and, once every pass is done, finished */
  startedAt: number | null;
  finishedAt: number | null;
}

export interface ViewsState {
  sessions: Record<string, ViewSession>;
  /** the pass the worker is training (or paused in) */
  current: { viewId: string; run: number; pass: number; runId: number } | null;
  health: WorkerHealth;
  notice: string | null;
}

export const useViews = create<ViewsState>()(() => ({
  sessions: {},
  current: null,
  health: { state: 'starting' },
  notice: null,
}));

/** Replace one run of one session (immutably, so subscribers re-render). */
export function updateRun(viewId: string, run: number, fn: (r: RunState) => RunState): void {
  useViews.setState((s) => {
    const session = s.sessions[viewId];
    if (!session) return s;
    const runs = session.runs.map((r, i) => (i === run ? fn(r) : r));
    return { sessions: { ...s.sessions, [viewId]: { ...session, runs } } };
  });
}

export function updatePass(viewId: string, run: number, pass: number, patch: Partial<PassState>): void {
  updateRun(viewId, run, (r) => ({ ...r, passes: r.passes.map((p, i) => (i === pass ? { ...p, ...patch } : p)) }));
}

export function updateSession(viewId: string, patch: Partial<ViewSession>): void {
  useViews.setState((s) => (s.sessions[viewId] ? { sessions: { ...s.sessions, [viewId]: { ...s.sessions[viewId], ...patch } } } : s));
}

/** Progress of a whole session: steps done over steps planned, across every pass of every run. */
export function sessionProgress(session: ViewSession | undefined): { done: number; total: number; finished: boolean } {
  if (!session) return { done: 0, total: 0, finished: false };
  let done = 0;
  let total = 0;
  for (const r of session.runs) for (const p of r.passes) {
    total += p.totalSteps;
    done += p.status === 'done' ? p.totalSteps : p.step;
  }
  return { done, total, finished: session.runs.every((r) => r.passes.every((p) => p.status === 'done')) };
}

/** Seconds a session has spent training (every pass's time, the one in progress up to `now`); paused time is not counted. */
export function trainingSeconds(session: ViewSession | undefined, now: number): number {
  if (!session) return 0;
  let seconds = 0;
  for (const r of session.runs) for (const p of r.passes) seconds += p.seconds + (p.resumedAt !== null ? Math.max(0, now - p.resumedAt) / 1000 : 0);
  return seconds;
}

/** A view is training (not paused, not finished): the live lab's run should leave it the cores. */
export function viewsNeedCore(state: ViewsState): boolean {
  const cur = state.current;
  if (!cur) return false;
  // a pass just done is still current until the next one starts: busy
  return state.sessions[cur.viewId]?.runs[cur.run]?.passes[cur.pass]?.status !== 'paused';
}

/** Call `then` once, as soon as no view needs the cores (at once if none does); returns a cancel function. */
export function whenViewsIdle(then: () => void): () => void {
  if (!viewsNeedCore(useViews.getState())) {
    then();
    return () => {};
  }
  const unsubscribe = useViews.subscribe((s) => {
    if (viewsNeedCore(s)) return;
    unsubscribe();
    then();
  });
  return unsubscribe;
}
