// Wires the A/B compare tab: pin the live lab's finished run as A (its config, seed, weights and loss curve),
// validate B's edits with the toy validator over A, and train B in the tab's own worker (compareClient.ts), the
// same seed as A; a pair restored from a link trains A first, then B. The comparison is the engine's
// (engine/compare/compare.ts) of the two final snapshots. One controller per page, created when the tab (or an
// embedded panel of it) first mounts, or when the lab pins a run.

import { compareRuns } from '../engine/compare/compare.ts';
import { pairError, type ComparePair } from '../engine/compare/settings.ts';
import { validateConfig, type LabConfig } from '../engine/toy/config.ts';
import type { WorkerHealth } from '../worker/client.ts';
import { createCompareClient } from '../worker/compareClient.ts';
import type { FromWorker, SnapshotMessage } from '../worker/protocol.ts';
import type { WorkerFault } from '../worker/sharedProtocol.ts';
import { setView, useLab } from './labStore.ts';
import { sideInstance, useCompare, type SideRun } from './compareStore.ts';

export const COMPARE_DEBOUNCE_MS = 250;

export interface CompareController {
  /** Pin the live lab's finished run (its selected instance) as A; B starts as a copy. Returns why not, or null. */
  pinFromLab(): string | null;
  /** Validate one of B's settings over B (the toy validator's messages); on success B trains again. Returns the errors. */
  editB(key: keyof LabConfig, raw: unknown): string[];
  /** A pair from a link (null: no pair): retrains A unless it is the A the tab holds, then B. */
  restore(pair: ComparePair | null): void;
  /** Forget the pair. */
  clear(): void;
  fault(kind: 'terminate' | WorkerFault): void;
  dispose(): void;
}

export interface CompareTestHooks {
  controller: CompareController;
  read(): {
    pinned: boolean;
    training: 'a' | 'b' | null;
    /** the step of the run in progress (A's, then B's) */
    step: number;
    aDone: boolean;
    bDone: boolean;
    aSource: 'lab' | 'trained' | null;
    verdict: string | null;
    geometryA: string | null;
    geometryB: string | null;
    health: WorkerHealth['state'];
    pair: ComparePair | null;
  };
}

declare global {
  interface Window {
    __compare?: CompareTestHooks;
  }
}

const sameConfig = (x: LabConfig, y: LabConfig) => JSON.stringify(x) === JSON.stringify(y);

export function createCompareController(): CompareController {
  let debounce: ReturnType<typeof setTimeout> | null = null;
  /** the run the worker trains now, and for which side */
  let current: { runId: number; side: 'a' | 'b' } | null = null;
  /** the trainer the worker built for the current run (from its status) */
  let engine = 'auto';

  const client = createCompareClient({
    onMessage: receive,
    onHealth: (health) => {
      const notice = health.state === 'restarting' ? `${health.reason}. Restarted it; ${useCompare.getState().training === 'a' ? 'A' : 'B'} trains again from step 0.` : health.state === 'failed' ? health.reason : useCompare.getState().notice;
      useCompare.setState({ health, notice });
    },
    // a restarted worker starts the same run again: its curve starts over
    onRunStarted: (runId) => {
      if (current?.runId === runId) useCompare.setState({ [current.side]: null, comparison: null });
    },
  });

  function receive(msg: FromWorker): void {
    if (msg.type === 'error') {
      useCompare.setState({ notice: `The compare worker reported: ${msg.message}` });
      return;
    }
    if (!current || msg.type === 'pong' || msg.runId !== current.runId) return;
    if (msg.type === 'status') return void (engine = msg.engine);
    const side = current.side;
    const pair = useCompare.getState().pair;
    if (!pair) return;
    const run = mergeSnapshot(useCompare.getState()[side], pair[side], msg, engine);
    useCompare.setState({ [side]: run });
    if (!run.done) return;
    current = null;
    if (side === 'a' && !sameConfig(pair.a, pair.b)) return trainSide('b');
    client.release();
    useCompare.setState({ training: null });
    compareNow();
  }

  function trainSide(side: 'a' | 'b'): void {
    const pair = useCompare.getState().pair!;
    // the trainer the lab uses (auto unless the page forces one), so a link retrains A to the weights the lab had
    const runId = client.train(pair[side], true, { engine: useLab.getState().engineChoice });
    current = { runId, side };
    useCompare.setState({ training: side, [side]: null, comparison: null, ...(side === 'a' ? { b: null } : {}) });
  }

  /** The comparison once both sides are done (and differ). */
  function compareNow(): void {
    const { pair, a, b } = useCompare.getState();
    if (!pair || !a?.done || !b?.done) return useCompare.setState({ comparison: null });
    const k = pair.instance;
    const side = (r: SideRun) => {
      const inst = sideInstance(r, k);
      return { W: inst.W, m: r.m, n: r.n, loss: inst.loss };
    };
    useCompare.setState({ comparison: compareRuns(side(a), side(b)) });
  }

  /** B changed: train it (or, when it is A again, show nothing to compare). */
  function bChanged(): void {
    const { pair, a } = useCompare.getState();
    if (!pair) return;
    if (sameConfig(pair.a, pair.b)) {
      if (current?.side === 'b') (client.release(), client.pause(), (current = null));
      useCompare.setState({ b: null, comparison: null, training: current ? 'a' : null });
      return;
    }
    if (current?.side === 'a' || !a?.done) return; // B trains when A is done
    trainSide('b');
  }

  const controller: CompareController = {
    pinFromLab() {
      const lab = useLab.getState();
      const config = lab.runConfig;
      const snap = lab.snapshot;
      if (!config || !snap || !lab.run?.done || snap.step < config.steps) return 'Train the lab\'s run to the end first: A is a finished run.';
      if (debounce) clearTimeout(debounce);
      if (current) client.pause();
      current = null;
      client.release();
      const instance = Math.min(lab.selectedInstance, snap.K - 1);
      const a = fromLab(config, snap, lab.history.steps, lab.history.losses, lab.run.engine);
      useCompare.setState({ pair: { a: config, b: config, instance }, a, b: null, training: null, comparison: null, editErrors: {}, notice: null });
      setView('compare');
      return null;
    },
    editB(key, raw) {
      const { pair, editErrors } = useCompare.getState();
      if (!pair) return ['Pin a run as A first (the "Pin as A" button in the live lab).'];
      const result = validateConfig({ [key]: raw }, pair.b);
      const clash = result.ok ? pairError({ ...pair, b: result.config }) : null;
      const errors = result.ok ? (clash ? [clash] : []) : result.errors;
      if (errors.length) {
        useCompare.setState({ editErrors: { ...editErrors, [key]: errors } });
        return errors;
      }
      const { [key]: _cleared, ...rest } = editErrors;
      void _cleared;
      useCompare.setState({ pair: { ...pair, b: result.config! }, editErrors: rest });
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(() => ((debounce = null), bChanged()), COMPARE_DEBOUNCE_MS);
      return [];
    },
    restore(pair) {
      if (debounce) clearTimeout(debounce);
      const { a } = useCompare.getState();
      if (!pair) return controller.clear();
      useCompare.setState({ pair, editErrors: {}, notice: null });
      if (a?.done && sameConfig(a.config, pair.a) && current?.side !== 'a') {
        if (current) (client.pause(), (current = null));
        useCompare.setState({ b: null, comparison: null });
        bChanged();
      } else trainSide('a');
    },
    clear() {
      if (current) client.pause();
      current = null;
      client.release();
      useCompare.setState({ pair: null, a: null, b: null, training: null, comparison: null, editErrors: {} });
    },
    fault: (kind) => client.fault(kind),
    dispose() {
      if (debounce) clearTimeout(debounce);
      client.dispose();
    },
  };

  // a pair put in place before the controller existed (a link): train it
  const start = useCompare.getState().pair;
  if (start && !useCompare.getState().a?.done) trainSide('a');
  else if (start && !useCompare.getState().b?.done) bChanged();
  exposeHooks(controller);
  return controller;
}

/** A side from the live lab's finished run: its snapshot and its loss history (every instance). */
function fromLab(config: LabConfig, s: SnapshotMessage, steps: number[], losses: number[][], engine: string): SideRun {
  const curve = steps.map((step, t) => [step, ...losses.map((l) => l[t])]);
  return {
    config, source: 'lab', engine, step: s.step, done: true, K: s.K, m: s.m, n: s.n, W: s.W.slice(), b: s.b.slice(), W2: s.W2?.slice() ?? null,
    losses: Float32Array.from(s.finalLosses ?? s.losses), curve, geometry: [...s.metrics.geometry],
  };
}

/** A side after one more snapshot from the worker. */
function mergeSnapshot(prev: SideRun | null, config: LabConfig, s: SnapshotMessage, engine: string): SideRun {
  const K = s.K;
  const curve = prev ? prev.curve : [];
  for (let p = 0; p < s.lossCurve.steps.length; p++) curve.push([s.lossCurve.steps[p], ...Array.from(s.lossCurve.losses.subarray(p * K, (p + 1) * K))]);
  const done = s.step >= config.steps && !!s.finalLosses;
  return {
    config, source: 'trained', engine, step: s.step, done, K, m: s.m, n: s.n, W: s.W, b: s.b, W2: s.W2,
    losses: Float32Array.from(s.finalLosses ?? s.losses), curve: [...curve], geometry: [...s.metrics.geometry],
  };
}

function exposeHooks(controller: CompareController): void {
  if (typeof window === 'undefined') return;
  window.__compare = {
    controller,
    read() {
      const s = useCompare.getState();
      const running = s.training ? s[s.training] : null;
      return {
        pinned: s.pair !== null, training: s.training, step: running?.step ?? 0, aDone: !!s.a?.done, bDone: !!s.b?.done, aSource: s.a?.source ?? null,
        verdict: s.comparison?.verdict ?? null, geometryA: s.comparison?.geometryA ?? null, geometryB: s.comparison?.geometryB ?? null, health: s.health.state, pair: s.pair,
      };
    },
  };
}

let singleton: CompareController | null = null;

export const existingCompareController = (): CompareController | null => singleton;

export function getCompareController(): CompareController {
  singleton ??= createCompareController();
  return singleton;
}
