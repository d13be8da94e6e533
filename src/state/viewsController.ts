// Trains the paper's views in a worker of their own (the live lab keeps its worker and its run):
// the runs of the open view one pass after another; snapshots, frames and statuses go into
// viewStore. One controller per page, created when a view first opens (getViewsController).

import type { LabConfig } from '../engine/toy/config.ts';
import { StabilityWatch, stopsEarly } from '../engine/views/earlyStop.ts';
import { classifyPass, findViewSpec, passesOf, recordPlan, runConfig, trackSettling, type Frame, type ViewSpec } from '../engine/views/views.ts';
import { snapshotMetrics } from '../worker/snapshotMetrics.ts';
import type { WorkerHealth } from '../worker/client.ts';
import type { FrameBatch, FromWorker, SnapshotMessage } from '../worker/protocol.ts';
import type { WorkerFault } from '../worker/sharedProtocol.ts';
import { TrainingClient } from '../worker/trainingClient.ts';
import { browserViewCache, curveBudget, passKey, thinCurve, type CachedPass, type ViewCache } from './viewCache.ts';
import { LossHistory } from './lossHistory.ts';
import { browserEstimateStore, estimateSession, recordPass, recordSession, secondsLeft } from './viewEstimate.ts';
import { sessionProgress, trainingSeconds, updatePass, updateRun, updateSession, useViews, type RunState, type ViewSession } from './viewStore.ts';

export interface ViewsController {
  /** Show this view: start (or resume) training its runs. */
  open(viewId: string): void;
  /** The view is no longer shown: its training goes on (it pauses only when asked, or when another view opens). */
  leave(viewId: string): void;
  /** Train the view again from scratch, with these settings over the presets (e.g. another seed). Returns validation errors. */
  restart(viewId: string, overrides?: Partial<LabConfig>): string[];
  pause(): void;
  play(): void;
  /**
   * Settings a link asks for (e.g. its seed): a session with other settings trains again with these;
   * a view not opened yet gets them when it opens.
   */
  setOverrides(viewId: string, overrides: Partial<LabConfig>): void;
  /** Pause or resume this view's training (the keyboard's Space); nothing when it is not the view training or it has finished. */
  togglePlay(viewId: string): void;
  /** Test hook: end the views' worker from outside, or make it throw, close itself or hang. */
  fault(kind: 'terminate' | WorkerFault): void;
  dispose(): void;
}

function newSession(view: ViewSpec, overrides: Partial<LabConfig>): ViewSession | string[] {
  const runs: RunState[] = [];
  for (const spec of view.runs) {
    const passes = [];
    for (let pass = 0; pass < passesOf(spec); pass++) {
      const made = runConfig(spec, overrides, pass);
      if (!made.ok) return made.errors;
      passes.push({ config: made.config, status: 'waiting' as const, step: 0, totalSteps: made.config.steps, stepsPerSecond: 0, seconds: 0, resumedAt: null, engine: '', snapshot: null, phase: null, cached: false, stoppedEarly: null });
    }
    runs.push({ spec, passes, history: new LossHistory(passes[0].config.instances), historyVersion: 0, frames: [], settling: null });
  }
  // settings as the validator read them (the seed box gives a string): the link and comparisons see numbers
  const checked = overrides.seed !== undefined && runs.length ? { ...overrides, seed: runs[0].passes[0].config.seed } : overrides;
  return { viewId: view.id, overrides: checked, runs, startedAt: null, finishedAt: null };
}

/** The passes of a new session that were trained before with the same settings, filled in from the cache. */
function fillFromCache(session: ViewSession, cache: ViewCache): ViewSession {
  const runs = session.runs.map((r): RunState => {
    let last: CachedPass | null = null;
    const passes = r.passes.map((p, i) => {
      const hit = cache.get(passKey(session.viewId, r.spec, i, p.config), p.config);
      if (!hit) return p;
      last = hit;
      const snapshot = snapshotOf(hit, p.config);
      const phase = r.spec.analysis === 'phase' ? classifyPass(p.config, snapshot, true) : null;
      return { ...p, status: 'done' as const, step: hit.step, engine: hit.engine, snapshot, phase, cached: true, stoppedEarly: hit.step < p.config.steps ? hit.step : null };
    });
    if (!last) return r;
    const hit: CachedPass = last;
    const history = new LossHistory(passes[0].config.instances);
    history.appendPoints(hit.curve.steps, hit.curve.losses);
    return { ...r, passes, history, historyVersion: history.version, frames: hit.frames };
  });
  return { ...session, runs };
}

/** A cached pass as the snapshot message the panels read. */
function snapshotOf(hit: CachedPass, config: LabConfig): SnapshotMessage {
  const { instances: K, n, m, model } = config;
  const base = { step: hit.step, model, K, n, m, W: hit.W, b: hit.b, W2: hit.W2 };
  return { ...base, type: 'snapshot', runId: -1, losses: hit.losses, finalLosses: hit.finalLosses, lossCurve: { steps: new Float64Array(0), losses: new Float32Array(0) }, metrics: snapshotMetrics(base), frames: null };
}

/** A finished pass as the cache keeps it. */
function cachedPassOf(key: string, run: RunState, pass: number, step: number, engine: string, seconds: number): CachedPass | null {
  const snap = run.passes[pass].snapshot;
  if (!snap || (engine !== 'fused' && engine !== 'tfjs')) return null;
  const K = run.history.instances;
  const flat = new Float32Array(run.history.steps.length * K);
  run.history.steps.forEach((_, p) => {
    for (let k = 0; k < K; k++) flat[p * K + k] = run.history.losses[k][p];
  });
  return {
    key, step, engine, seconds,
    W: snap.W, b: snap.b, W2: snap.W2, losses: snap.losses, finalLosses: snap.finalLosses ?? null,
    curve: thinCurve(run.history.steps, flat, K, curveBudget(K)),
    frames: run.frames,
  };
}

function framesOf(batch: FrameBatch, m: number, n: number): Frame[] {
  return Array.from(batch.steps, (step, i) => ({
    step,
    W: batch.W.slice(i * m * n, (i + 1) * m * n),
    b: batch.b.slice(i * n, (i + 1) * n),
    loss: batch.losses[i],
  }));
}

function createViewsController(cache: ViewCache): ViewsController {
  let client: TrainingClient | null = null;
  /** the current pass's early-stopping watch (null for runs that train all their steps) */
  let watch: StabilityWatch | null = null;
  /** the user paused the view's training: a pass that starts meanwhile (the one before just ended) starts paused too */
  let userPaused = false;

  const getClient = (): TrainingClient => {
    client ??= new TrainingClient({
      onMessage: receive,
      // a pass starts, or starts again in a new worker after a crash: its progress starts over
      onRunStarted: (runId) => {
        const cur = useViews.getState().current;
        if (cur?.runId === runId) startPass(cur.viewId, cur.run, cur.pass);
      },
      onHealth: (health: WorkerHealth) =>
        useViews.setState({
          health,
          notice: health.state === 'restarting' ? `${health.reason}. Restarted it; the pass in progress starts again.` : health.state === 'failed' ? health.reason : health.state === 'starting' ? null : useViews.getState().notice,
        }),
    });
    return client;
  };

  function receive(msg: FromWorker): void {
    const cur = useViews.getState().current;
    if (msg.type === 'error') {
      useViews.setState({ notice: `The training worker reported: ${msg.message}` });
      return;
    }
    if (msg.type === 'pong' || !cur || msg.runId !== cur.runId) return;
    const { viewId, run, pass } = cur;
    if (msg.type === 'snapshot') {
      updateRun(viewId, run, (r) => {
        const config = r.passes[pass].config;
        r.history.appendPoints(msg.lossCurve.steps, msg.lossCurve.losses);
        const frames = msg.frames ? [...r.frames, ...framesOf(msg.frames, msg.m, msg.n)] : r.frames;
        const settling = r.spec.analysis === 'phase' ? trackSettling(r.settling, classifyPass(config, msg, false).phases, msg.step) : null;
        return { ...r, historyVersion: r.history.version, frames, settling, passes: r.passes.map((p, i) => (i === pass ? { ...p, snapshot: msg, step: msg.step } : p)) };
      });
      if (watch?.observe(msg, msg.losses)) {
        // its analysis has settled: the pass ends here (the worker stops; the next pass reconfigures it)
        client?.pause();
        const passState = useViews.getState().sessions[viewId]?.runs[run]?.passes[pass];
        if (passState) finishPass(viewId, run, pass, msg.step, passState.engine, msg.step);
      }
      return;
    }
    // status: the pass's training time runs while the worker says it is playing
    const now = performance.now();
    const session = useViews.getState().sessions[viewId];
    const passState = session?.runs[run]?.passes[pass];
    if (!session || !passState) return;
    const running = msg.playing && !msg.done;
    const seconds = passState.seconds + (passState.resumedAt !== null ? Math.max(0, now - passState.resumedAt) / 1000 : 0);
    const clock = { seconds: running ? passState.seconds : seconds, resumedAt: running ? (passState.resumedAt ?? now) : null };
    if (msg.done) {
      finishPass(viewId, run, pass, msg.step, msg.engine, null);
      return;
    }
    updatePass(viewId, run, pass, { status: msg.playing ? 'training' : 'paused', step: msg.step, stepsPerSecond: msg.stepsPerSecond, ...clock, engine: msg.engine });
  }

  /** A pass is done (at its last step, or at `stoppedEarly`): classify it, cache it, start the next. */
  function finishPass(viewId: string, run: number, pass: number, step: number, engine: string, stoppedEarly: number | null): void {
    watch = null;
    const session = useViews.getState().sessions[viewId];
    const passState = session?.runs[run]?.passes[pass];
    if (!session || !passState) return;
    const now = performance.now();
    const seconds = passState.seconds + (passState.resumedAt !== null ? Math.max(0, now - passState.resumedAt) / 1000 : 0);
    const r = session.runs[run];
    const phase = r.spec.analysis === 'phase' && passState.snapshot ? classifyPass(passState.config, passState.snapshot, true) : null;
    updatePass(viewId, run, pass, { status: 'done', step, stepsPerSecond: 0, seconds, resumedAt: null, engine, phase, stoppedEarly });
    recordPass({ ...passState.config, steps: step }, seconds, browserEstimateStore()); // the rate over the steps it trained
    const entry = cachedPassOf(passKey(viewId, r.spec, pass, passState.config), useViews.getState().sessions[viewId]!.runs[run], pass, step, engine, seconds);
    if (entry) cache.put(entry);
    startNext(viewId); // the next pass becomes current (or none: the view is done), with no idle moment in between
  }

  /** Configure the worker with the first pass of the session that is not done. */
  function startNext(viewId: string): void {
    const session = useViews.getState().sessions[viewId];
    if (!session) return;
    for (let run = 0; run < session.runs.length; run++) {
      const r = session.runs[run];
      const pass = r.passes.findIndex((p) => p.status !== 'done');
      if (pass < 0) continue;
      const config = r.passes[pass].config;
      const runId = getClient().train(config, !userPaused, { record: recordPlan(r.spec, config), engine: r.spec.engine });
      useViews.setState({ current: { viewId, run, pass, runId } });
      startPass(viewId, run, pass);
      if (session.startedAt === null) updateSession(viewId, { startedAt: performance.now() });
      return;
    }
    useViews.setState({ current: null });
    if (session.finishedAt === null) {
      const now = performance.now();
      // all from the cache: finished as soon as it started
      updateSession(viewId, { finishedAt: now, startedAt: session.startedAt ?? now });
      // a session with cached passes took less than training it would: not an estimate for next time
      if (!session.runs.some((r) => r.passes.some((p) => p.cached))) recordSession(session, browserEstimateStore());
    }
  }

  /** The pass begins at step 0: a fresh loss history, no frames, the clock restarted. */
  function startPass(viewId: string, run: number, pass: number): void {
    const now = performance.now();
    const r = useViews.getState().sessions[viewId]?.runs[run];
    watch = r && stopsEarly(r.spec) ? new StabilityWatch(r.spec, r.passes[pass].config) : null;
    updateRun(viewId, run, (x) => {
      const history = new LossHistory(x.passes[pass].config.instances);
      return { ...x, history, historyVersion: history.version, frames: [], settling: null, passes: x.passes.map((p, i) => (i === pass ? { ...p, status: 'training', step: 0, seconds: 0, resumedAt: now, snapshot: null, phase: null, stoppedEarly: null } : p)) };
    });
  }

  /** A pass interrupted by another view starts again from step 0 when its view comes back. */
  function abandonCurrent(): void {
    const cur = useViews.getState().current;
    if (!cur) return;
    client?.pause();
    watch = null;
    updatePass(cur.viewId, cur.run, cur.pass, { status: 'waiting', step: 0, seconds: 0, resumedAt: null, stepsPerSecond: 0, snapshot: null, phase: null });
    useViews.setState({ current: null });
  }

  const controller: ViewsController = {
    open(viewId) {
      const view = findViewSpec(viewId);
      if (!view) return;
      if (!useViews.getState().sessions[viewId]) {
        const made = newSession(view, {});
        if (Array.isArray(made)) return void useViews.setState({ notice: made.join(' ') });
        useViews.setState((s) => ({ sessions: { ...s.sessions, [viewId]: fillFromCache(made, cache) } }));
      }
      // still training (its tab was left and the view kept going): nothing to do
      if (useViews.getState().current?.viewId === viewId) return;
      abandonCurrent();
      userPaused = false;
      startNext(viewId);
    },
    leave() {
      // the view keeps training in its worker; its tab shows the progress when it comes back
    },
    restart(viewId, overrides = {}) {
      const view = findViewSpec(viewId);
      if (!view) return [`unknown view ${viewId}`];
      const made = newSession(view, overrides);
      if (Array.isArray(made)) return made;
      if (useViews.getState().current?.viewId === viewId) {
        client?.pause();
        watch = null;
        useViews.setState({ current: null });
      }
      useViews.setState((s) => ({ sessions: { ...s.sessions, [viewId]: fillFromCache(made, cache) }, notice: null }));
      userPaused = false;
      startNext(viewId);
      return [];
    },
    pause() {
      const cur = useViews.getState().current;
      if (!cur) return;
      userPaused = true;
      client?.pause();
    },
    play() {
      const cur = useViews.getState().current;
      if (!cur) return;
      userPaused = false;
      client?.play();
    },
    setOverrides(viewId, overrides) {
      const view = findViewSpec(viewId);
      if (!view) return;
      const session = useViews.getState().sessions[viewId];
      if (!session) {
        // not opened yet: its session waits with these settings (open() starts it)
        const made = newSession(view, overrides);
        if (Array.isArray(made)) return void useViews.setState({ notice: made.join(' ') });
        return void useViews.setState((s) => ({ sessions: { ...s.sessions, [viewId]: fillFromCache(made, cache) } }));
      }
      if (JSON.stringify(session.overrides) !== JSON.stringify(overrides)) {
        const errors = controller.restart(viewId, overrides);
        if (errors.length) useViews.setState({ notice: errors.join(' ') });
      }
    },
    togglePlay(viewId) {
      const cur = useViews.getState().current;
      if (!cur || cur.viewId !== viewId) return;
      const status = useViews.getState().sessions[viewId]?.runs[cur.run]?.passes[cur.pass]?.status;
      if (status === 'paused') controller.play();
      else if (status === 'training') controller.pause();
    },
    fault: (kind) => client?.fault(kind),
    dispose() {
      client?.dispose();
      client = null;
    },
  };
  return controller;
}

let singleton: ViewsController | null = null;

/** The page's views controller (created, with its worker, on first use). */
export function getViewsController(): ViewsController {
  singleton ??= createViewsController(browserViewCache());
  exposeViewHooks(singleton);
  return singleton;
}

// ─── window.__views: for the e2e tests and the browser bench ───

export interface ViewHooks {
  controller: ViewsController;
  /** progress of a view's session: wall seconds from the first step to the last, and each pass */
  read(viewId: string): {
    finished: boolean;
    seconds: number | null;
    /** seconds spent training (paused time not counted) */
    trainingSeconds: number;
    /** the estimate of the whole session's training time, and the time left (null when finished) */
    estimateSeconds: number;
    secondsLeft: number | null;
    done: number;
    total: number;
    runs: { id: string; passes: { status: string; step: number; totalSteps: number; seconds: number; engine: string; cached: boolean; stoppedEarly: number | null }[] }[];
  } | null;
}

declare global {
  interface Window {
    __views?: ViewHooks;
  }
}

function exposeViewHooks(controller: ViewsController): void {
  if (typeof window === 'undefined' || window.__views) return;
  window.__views = {
    controller,
    read(viewId) {
      const session = useViews.getState().sessions[viewId];
      if (!session) return null;
      const progress = sessionProgress(session);
      return {
        finished: progress.finished,
        seconds: session.startedAt !== null && session.finishedAt !== null ? (session.finishedAt - session.startedAt) / 1000 : null,
        trainingSeconds: trainingSeconds(session, performance.now()),
        estimateSeconds: estimateSession(session, browserEstimateStore()).seconds,
        secondsLeft: secondsLeft(session, trainingSeconds(session, performance.now()), estimateSession(session, browserEstimateStore())),
        done: progress.done,
        total: progress.total,
        runs: session.runs.map((r) => ({ id: r.spec.id, passes: r.passes.map((p) => ({ status: p.status, step: p.step, totalSteps: p.totalSteps, seconds: p.seconds, engine: p.engine, cached: p.cached, stoppedEarly: p.stoppedEarly })) })),
      };
    },
  };
}
