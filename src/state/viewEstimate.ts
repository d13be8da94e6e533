// How long a paper view will take on this machine, before it starts and while it trains (issue 15, 2b).
//
// Before: the training seconds the same view with the same settings took last time here (kept in localStorage),
// else its work (a cost model: optimiser steps × instances × batch × (n·m + n), plus a fixed cost per step) over the
// rate this machine last reached on a view pass, else over a default rate. While training: the share of the work
// done and the training seconds so far give the time left. Pure apart from the store handed in.

import type { LabConfig } from '../engine/toy/config.ts';
import { findViewSpec, passesOf, runConfig } from '../engine/views/views.ts';
import { trainingSeconds, type ViewSession } from './viewStore.ts';

/** What the estimate is read from and written to (window.localStorage on the page, a Map in tests). */
export interface EstimateStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Work units of one optimiser step beyond the arithmetic (scheduling, loss, bookkeeping). */
const STEP_OVERHEAD = 50_000;
/** Work units per second before this machine has finished a pass (a middle-of-the-road laptop in Chromium). */
export const DEFAULT_RATE = 1e8;
const PREFIX = 'superposition-lab.view-estimate.';
const RATE_KEY = `${PREFIX}rate`;

/** The work of training one pass of this config, in the cost model's units. */
export function passWork(config: Pick<LabConfig, 'steps' | 'instances' | 'batch' | 'n' | 'm'>): number {
  return config.steps * (config.instances * config.batch * (config.n * config.m + config.n) + STEP_OVERHEAD);
}

/** Work done and planned over every pass of a session (a pass in progress counts by its share of steps). */
export function sessionWork(session: ViewSession): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const r of session.runs)
    for (const p of r.passes) {
      const w = passWork(p.config);
      total += w;
      done += p.status === 'done' ? w : (w * p.step) / Math.max(1, p.totalSteps);
    }
  return { done, total };
}

/** The key of a view with these settings (its seed and other overrides). */
export function estimateKey(session: Pick<ViewSession, 'viewId' | 'overrides'>): string {
  const overrides = Object.fromEntries(Object.entries(session.overrides).sort(([a], [b]) => a.localeCompare(b)));
  return `${PREFIX}${session.viewId}.${JSON.stringify(overrides)}`;
}

function readNumber(store: EstimateStore | null, key: string): number | null {
  try {
    const v = Number(store?.getItem(key) ?? NaN);
    return Number.isFinite(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

export interface Estimate {
  seconds: number;
  /** 'last': measured on this view and settings; 'rate': the cost model at this machine's rate; 'guess': at the default rate */
  source: 'last' | 'rate' | 'guess';
}

function estimateOf(key: string, work: number, store: EstimateStore | null): Estimate {
  const last = readNumber(store, key);
  if (last !== null) return { seconds: last, source: 'last' };
  const rate = readNumber(store, RATE_KEY);
  return { seconds: work / (rate ?? DEFAULT_RATE), source: rate !== null ? 'rate' : 'guess' };
}

/** Seconds of training the whole session should take on this machine. */
export function estimateSession(session: ViewSession, store: EstimateStore | null): Estimate {
  return estimateOf(estimateKey(session), sessionWork(session).total, store);
}

/** The same for a view that has no session yet (its tab, before it is opened); null for an unknown view or bad settings. */
export function estimateView(viewId: string, overrides: Partial<LabConfig>, store: EstimateStore | null): Estimate | null {
  const view = findViewSpec(viewId);
  if (!view) return null;
  let work = 0;
  for (const spec of view.runs)
    for (let pass = 0; pass < passesOf(spec); pass++) {
      const made = runConfig(spec, overrides, pass);
      if (!made.ok) return null;
      work += passWork(made.config);
    }
  return estimateOf(estimateKey({ viewId, overrides }), work, store);
}

/** A pass finished after `seconds` of training: remember this machine's rate. */
export function recordPass(config: LabConfig, seconds: number, store: EstimateStore | null): void {
  if (!store || !(seconds > 0.05)) return;
  const rate = passWork(config) / seconds;
  const before = readNumber(store, RATE_KEY);
  try {
    store.setItem(RATE_KEY, String(before === null ? rate : Math.sqrt(before * rate))); // geometric mean with the last: the views differ
  } catch {
    // storage full or refused: the estimate stays a guess
  }
}

/** The session finished: remember its training time for the next visit with the same settings. */
export function recordSession(session: ViewSession, store: EstimateStore | null): void {
  const seconds = trainingSeconds(session, 0);
  if (!store || !(seconds > 0)) return;
  try {
    store.setItem(estimateKey(session), seconds.toFixed(2));
  } catch {
    // as above
  }
}

/**
 * Seconds left: from the share of work done and the training time so far once there is enough of either to go on,
 * else the estimate less the time spent. Null when finished.
 */
export function secondsLeft(session: ViewSession, elapsed: number, estimate: Estimate): number | null {
  const { done, total } = sessionWork(session);
  if (total <= 0 || done >= total) return null;
  const share = done / total;
  if (share >= 0.02 && elapsed >= 1) return (elapsed * (1 - share)) / share;
  return Math.max(0, estimate.seconds - elapsed);
}

/** "about 40 s", "about 3 min" (rounded as an estimate should be). */
export function aboutSeconds(seconds: number): string {
  if (seconds < 10) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90) return `about ${Math.round(seconds / 5) * 5} s`;
  return `about ${Math.round(seconds / 60)} min`;
}

/** The page's store, when there is one. */
export function browserEstimateStore(): EstimateStore | null {
  try {
    return typeof window !== 'undefined' && window.localStorage ? window.localStorage : null;
  } catch {
    return null;
  }
}
