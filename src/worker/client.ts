// The page's handle on the training worker. Hides the Worker object: spawns it, speaks the
// typed protocol, watches a heartbeat, and when the worker throws or goes silent it reports
// what happened and starts a new one with the last config the worker accepted.

import type { BackendName } from '../engine/shared/backend.ts';
import type { LabConfig } from '../engine/toy/config.ts';
import type { EngineChoice, FromWorker, RecordRequest, Speed, ToWorker } from './protocol.ts';

export type WorkerHealth =
  | { state: 'starting' }
  | { state: 'running' }
  | { state: 'restarting'; reason: string }
  /** gave up after repeated failures; call restart() to try again */
  | { state: 'failed'; reason: string };

export interface TrainingClientOptions {
  /** Snapshots and statuses of the current run only, and errors. */
  onMessage(msg: FromWorker): void;
  /** The worker confirmed a new run (after configure, reset or a restart): history starts over. */
  onRunStarted(runId: number, config: LabConfig): void;
  onHealth(health: WorkerHealth): void;
  /** backends to try, in order */
  backends?: readonly BackendName[];
  /** which trainer the worker builds (default 'auto') */
  engine?: EngineChoice;
  spawn?: () => Worker;
  heartbeatMs?: number;
  /** silence longer than this (and 4× a training step) means the worker is dead */
  silenceMs?: number;
  /** give up after this many crashes within crashWindowMs */
  maxCrashes?: number;
  crashWindowMs?: number;
}

const spawnTrainingWorker = () => new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'training' });

export class TrainingClient {
  private worker: Worker | null = null;
  private nextRunId = 1;
  /** the run most recently asked for */
  private requested: { runId: number; config: LabConfig; record?: RecordRequest | null; engine?: EngineChoice } | null = null;
  /** the last run the worker confirmed (its config is the "last good" one) */
  private accepted: { runId: number; config: LabConfig; record?: RecordRequest | null; engine?: EngineChoice } | null = null;
  /** the worker could not start the requested run, so the accepted one goes on */
  private requestFailed = false;
  private playing = false;
  private speed: Speed = null;
  private lastHeard = 0;
  private lastCheck = 0;
  private msPerStep = 0;
  private crashes: number[] = [];
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private readonly opts: Required<TrainingClientOptions>;

  constructor(options: TrainingClientOptions) {
    this.opts = {
      backends: ['wasm', 'cpu'],
      engine: 'auto',
      spawn: spawnTrainingWorker,
      heartbeatMs: 1000,
      silenceMs: 4000,
      maxCrashes: 3,
      crashWindowMs: 30_000,
      ...options,
    };
    this.start();
  }

  /** Use another trainer (auto / fused / TF.js) from the next run on. */
  setEngine(engine: EngineChoice): void {
    this.opts.engine = engine;
  }

  /** Train this config from scratch; returns the run id that its snapshots will carry. Optionally record frames, or force an engine. */
  configure(config: LabConfig, play: boolean, extra: { record?: RecordRequest | null; engine?: EngineChoice } = {}): number {
    const runId = this.nextRunId++;
    this.requested = { runId, config, ...extra };
    this.requestFailed = false;
    this.playing = play;
    this.send({ type: 'configure', runId, config, play, backends: this.opts.backends, engine: extra.engine ?? this.opts.engine, record: extra.record ?? null });
    return runId;
  }

  play(): void {
    this.playing = true;
    this.send({ type: 'play' });
  }

  pause(): void {
    this.playing = false;
    this.send({ type: 'pause' });
  }

  step(k: number): void {
    this.playing = false;
    this.send({ type: 'step', k });
  }

  /** Back to step 0 with the same config; returns the new run id. */
  reset(): number {
    const runId = this.nextRunId++;
    const last = this.requestFailed ? this.accepted : this.requested;
    if (last) this.requested = { ...last, runId };
    this.requestFailed = false;
    this.send({ type: 'reset', runId });
    return runId;
  }

  /** The page has drawn the latest snapshot; the worker may send another. */
  drawn(): void {
    this.send({ type: 'drawn' });
  }

  setSpeed(stepsPerSecond: Speed): void {
    this.speed = stepsPerSecond;
    this.send({ type: 'set-speed', stepsPerSecond });
  }

  /** Start a fresh worker by hand (after the client gave up). */
  restart(): void {
    this.crashes = [];
    this.replaceWorker();
  }

  /** Test hook: end the worker without telling anyone; the heartbeat must notice. */
  killSilently(): void {
    this.worker?.terminate();
  }

  /** Test hook: make the worker throw an uncaught error. */
  crash(): void {
    this.send({ type: 'crash' });
  }

  dispose(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.worker?.terminate();
    this.worker = null;
  }

  private start(): void {
    this.opts.onHealth({ state: 'starting' });
    this.spawn();
    this.lastCheck = performance.now();
    this.heartbeat = setInterval(() => this.checkPulse(), this.opts.heartbeatMs);
  }

  private spawn(): void {
    const w = this.opts.spawn();
    w.onmessage = (e: MessageEvent<FromWorker>) => this.receive(w, e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.died(w, `the training worker threw: ${e.message || 'an error without a message (it may have failed to load)'}`);
    };
    w.onmessageerror = () => this.died(w, 'a message from the training worker could not be read');
    this.worker = w;
    this.lastHeard = performance.now();
    this.msPerStep = 0;
  }

  private receive(from: Worker, msg: FromWorker): void {
    if (from !== this.worker) return; // a message from a worker we already replaced
    this.lastHeard = performance.now();
    if (msg.type === 'pong') return;
    if (msg.type === 'error') {
      if (this.requested && msg.runId === this.requested.runId) this.requestFailed = true;
      return this.opts.onMessage(msg);
    }
    const req = this.requested;
    if (req && msg.runId === req.runId) {
      if (this.accepted?.runId !== req.runId) {
        this.accepted = req;
        this.opts.onHealth({ state: 'running' });
        this.opts.onRunStarted(req.runId, req.config);
      }
    } else if (!(this.requestFailed && msg.runId === this.accepted?.runId)) {
      return; // from a run that has been replaced
    }
    if (msg.type === 'status') this.msPerStep = msg.msPerStep;
    this.opts.onMessage(msg);
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
      this.died(this.worker, `the training worker stopped answering (silent for ${(silence / 1000).toFixed(1)} s)`);
      return;
    }
    this.send({ type: 'ping', t: performance.now() });
  }

  private died(w: Worker, reason: string): void {
    if (w !== this.worker) return;
    const now = performance.now();
    this.crashes = [...this.crashes.filter((t) => now - t < this.opts.crashWindowMs), now];
    w.terminate();
    this.worker = null;
    if (this.crashes.length > this.opts.maxCrashes) {
      this.opts.onHealth({ state: 'failed', reason: `${reason}. It failed ${this.crashes.length} times in a row, so it was not restarted.` });
      return;
    }
    this.opts.onHealth({ state: 'restarting', reason });
    this.replaceWorker();
  }

  /** New worker, same speed, the last config that worked (or the one we were trying), same play state. */
  private replaceWorker(): void {
    this.worker?.terminate();
    this.spawn();
    if (this.speed !== null) this.send({ type: 'set-speed', stepsPerSecond: this.speed });
    const last = this.accepted ?? this.requested;
    if (last) this.configure(last.config, this.playing, { record: last.record, engine: last.engine });
  }

  private send(msg: ToWorker): void {
    this.worker?.postMessage(msg);
  }
}
