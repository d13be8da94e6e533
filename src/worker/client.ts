// The page's handle on a module's worker, one class for every module. It hides the Worker object:
// spawns it (on first use), speaks the module's typed protocol, watches a heartbeat, and when the
// worker throws, closes or goes silent it reports what happened and starts a new one with the
// last run that worked. It also tells the worker when a snapshot has been drawn (back-pressure).
// A module plugs in with a spawn function and the message that starts a run (see trainingClient.ts).

import type { ControlMessage, ControlReply, WorkerFault } from './sharedProtocol.ts';

export type WorkerHealth =
  | { state: 'starting' }
  | { state: 'running' }
  | { state: 'restarting'; reason: string }
  /** gave up after repeated failures; call restart() to try again */
  | { state: 'failed'; reason: string };

/** What the worker says: its own messages and the common replies; run-scoped ones carry their run id. */
type Reply = { type: string } | ControlReply;

export interface WorkerClientOptions<In, Out, Spec> {
  /** names the worker in health reports: "the <label> worker threw: …" */
  label: string;
  spawn(): Worker;
  /** The message that starts run `runId` of `spec` from scratch. */
  start(runId: number, spec: Spec, play: boolean): In;
  /** Messages of the current run only, and errors. */
  onMessage(msg: Out): void;
  /** The worker confirmed a run: a new one, or the same one again after a restart (its history starts over). */
  onRunStarted?(runId: number, spec: Spec): void;
  onHealth?(health: WorkerHealth): void;
  /** which run a message belongs to (default: its runId); undefined = not about a run */
  runIdOf?(msg: Out): number | null | undefined;
  heartbeatMs?: number;
  /** silence longer than this (and 4× a training step) means the worker is dead */
  silenceMs?: number;
  /** give up after this many crashes within crashWindowMs */
  maxCrashes?: number;
  crashWindowMs?: number;
}

interface Run<Spec> {
  id: number;
  spec: Spec;
}

const DEFAULTS = { heartbeatMs: 1000, silenceMs: 4000, maxCrashes: 3, crashWindowMs: 30_000 };

export class WorkerClient<In extends { type: string }, Out extends Reply, Spec> {
  private worker: Worker | null = null;
  private started = false;
  private disposed = false;
  private nextRunId = 1;
  /** the run most recently asked for */
  private requested: Run<Spec> | null = null;
  /** the last run a worker confirmed: the "last good" one */
  private lastGood: Run<Spec> | null = null;
  /** the run the current worker confirmed */
  private confirmed: number | null = null;
  /** the worker could not start the requested run, so the last good one goes on */
  private requestFailed = false;
  /** workers that died before confirming the requested run: after two, it is not tried again */
  private unconfirmedDeaths = 0;
  protected playing = false;
  private lastHeard = 0;
  private lastCheck = 0;
  private msPerStep = 0;
  private crashes: number[] = [];
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private drawScheduled = false;
  private readonly opts: WorkerClientOptions<In, Out, Spec> & typeof DEFAULTS;

  constructor(options: WorkerClientOptions<In, Out, Spec>) {
    this.opts = { ...DEFAULTS, ...options };
    this.opts.onHealth?.({ state: 'starting' });
  }

  /** Train `spec` from scratch; returns the run id its messages carry (it stays the same across restarts). */
  configure(spec: Spec, play: boolean): number {
    const run = { id: this.nextRunId++, spec };
    this.requested = run;
    this.requestFailed = false;
    this.unconfirmedDeaths = 0;
    this.playing = play;
    this.send(this.opts.start(run.id, spec, play));
    return run.id;
  }

  /** Back to step 0 with the same settings; returns the new run id. */
  reset(): number {
    const id = this.nextRunId++;
    const last = this.requestFailed ? this.lastGood : this.requested;
    if (last) this.requested = { id, spec: last.spec };
    this.requestFailed = false;
    this.send({ type: 'reset', runId: id });
    return id;
  }

  play(): void {
    this.playing = true;
    this.send({ type: 'play' });
  }

  pause(): void {
    this.playing = false;
    this.send({ type: 'pause' });
  }

  /** The current run needs no recovery any more (it finished or was stopped): a restart leaves the worker idle. */
  release(): void {
    this.requested = null;
    this.lastGood = null;
  }

  /** Start a fresh worker by hand (after the client gave up). */
  restart(): void {
    this.crashes = [];
    // a fresh start: whatever was said about the worker that gave up no longer holds
    this.opts.onHealth?.({ state: 'starting' });
    this.respawn();
  }

  /** Test hook: end the worker from outside without telling anyone ('terminate'), or make it throw, close itself or hang. */
  fault(kind: 'terminate' | WorkerFault): void {
    if (kind === 'terminate') this.worker?.terminate();
    else this.send({ type: 'fault', fault: kind });
  }

  dispose(): void {
    this.disposed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.worker?.terminate();
    this.worker = null;
  }

  /** A request of the module's own that is not about starting a run (e.g. 'sweep-stop'). */
  send(msg: In | ControlMessage): void {
    if (!this.started && !this.disposed) this.spawn();
    this.worker?.postMessage(msg);
  }

  /** A fresh worker is up, before the run starts again in it: re-send settings that outlive runs. */
  protected afterSpawn(): void {}

  private spawn(): void {
    this.started = true;
    const w = this.opts.spawn();
    w.onmessage = (e: MessageEvent<Out>) => this.receive(w, e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.died(w, `the ${this.opts.label} worker threw: ${e.message || 'an error without a message (it may have failed to load)'}`);
    };
    w.onmessageerror = () => this.died(w, `a message from the ${this.opts.label} worker could not be read`);
    this.worker = w;
    this.confirmed = null;
    this.lastHeard = this.lastCheck = performance.now();
    this.msPerStep = 0;
    this.heartbeat ??= setInterval(() => this.checkPulse(), this.opts.heartbeatMs);
    this.afterSpawn();
  }

  private receive(from: Worker, msg: Out): void {
    if (from !== this.worker) return; // a message from a worker we already replaced
    this.lastHeard = performance.now();
    if (msg.type === 'pong') return;
    const runId = this.opts.runIdOf ? this.opts.runIdOf(msg) : (msg as { runId?: number | null }).runId;
    if (msg.type === 'error') {
      if (this.requested && runId === this.requested.id) this.requestFailed = true;
      return this.opts.onMessage(msg);
    }
    const req = this.requested;
    if (runId === undefined) {
      // not about a run
    } else if (req && runId === req.id) {
      if (this.confirmed !== req.id) {
        this.confirmed = req.id;
        this.lastGood = req;
        this.unconfirmedDeaths = 0;
        this.opts.onHealth?.({ state: 'running' });
        this.opts.onRunStarted?.(req.id, req.spec);
      }
    } else if (!(this.requestFailed && runId === this.lastGood?.id)) {
      return; // from a run that has been replaced
    }
    if (msg.type === 'status' && 'msPerStep' in msg && typeof msg.msPerStep === 'number') this.msPerStep = msg.msPerStep;
    if (msg.type === 'snapshot') this.acknowledgeAfterDraw();
    this.opts.onMessage(msg);
  }

  /** Tell the worker once the page has drawn, so a slow page gets fewer snapshots. */
  private acknowledgeAfterDraw(): void {
    if (this.drawScheduled || typeof requestAnimationFrame === 'undefined') return;
    this.drawScheduled = true;
    requestAnimationFrame(() => {
      this.drawScheduled = false;
      this.send({ type: 'drawn' });
    });
  }

  private checkPulse(): void {
    if (!this.worker) return;
    const now = performance.now();
    // A hidden tab throttles our timer (to once a minute in Chrome), not the worker: when this
    // check comes late, judge nothing and give the worker a fresh ping to answer.
    if (now - this.lastCheck > 2.5 * this.opts.heartbeatMs) this.lastHeard = Math.max(this.lastHeard, now - this.opts.heartbeatMs);
    this.lastCheck = now;
    const silence = now - this.lastHeard;
    if (silence > Math.max(this.opts.silenceMs, 4 * this.msPerStep)) {
      this.died(this.worker, `the ${this.opts.label} worker stopped answering (silent for ${(silence / 1000).toFixed(1)} s)`);
      return;
    }
    this.send({ type: 'ping', t: now });
  }

  private died(w: Worker, reason: string): void {
    if (w !== this.worker) return;
    const now = performance.now();
    this.crashes = [...this.crashes.filter((t) => now - t < this.opts.crashWindowMs), now];
    w.terminate();
    this.worker = null;
    if (this.requested && this.confirmed !== this.requested.id) this.unconfirmedDeaths++;
    if (this.crashes.length > this.opts.maxCrashes) {
      this.opts.onHealth?.({ state: 'failed', reason: `${reason}. It failed ${this.crashes.length} times in a row, so it was not restarted.` });
      return;
    }
    this.opts.onHealth?.({ state: 'restarting', reason });
    this.respawn();
  }

  /**
   * A new worker, the same play state, and the run that was asked for under its own id — unless the
   * worker refused it or died twice before confirming it: then the last run that worked.
   */
  private respawn(): void {
    if (this.disposed) return;
    this.worker?.terminate();
    this.spawn();
    const fallBack = this.requestFailed || this.unconfirmedDeaths >= 2;
    const run = (fallBack ? this.lastGood : null) ?? this.requested;
    if (!run) return;
    if (fallBack) this.unconfirmedDeaths = 0;
    this.requested = run;
    this.requestFailed = false;
    this.send(this.opts.start(run.id, run.spec, this.playing));
  }
}
