// One training run at a time, trained in time-sliced chunks (scheduler.ts) so the worker stays
// responsive; snapshots go out at most ~30 per second.
// No tfjs import here: the trainer comes from a factory, so this logic is engine-agnostic.

import type { LabConfig } from '../engine/toy/config.ts';
import type { Trainer } from '../engine/toy/trainer.ts';
import type { EngineChoice, FrameBatch, FromWorker, RecordRequest, SnapshotMessage, Speed, StatusMessage } from './protocol.ts';
import { transferablesOf } from './protocol.ts';
import { ChunkLoop, RateMeter, SnapshotPacer, StepTimer, type SchedulerHost } from './scheduler.ts';
import { messageOf } from './sharedProtocol.ts';
import { snapshotMetrics } from './snapshotMetrics.ts';
import { SettleTracker } from '../engine/toy/metrics.ts';
import { finalLossSteps } from '../engine/toy/runner.ts';

/** Points on a run's loss curve (one per steps/LOSS_POINTS steps). */
const LOSS_POINTS = 1000;

export interface SessionHost extends SchedulerHost {
  createTrainer(config: LabConfig, engine: EngineChoice): Trainer;
  post(msg: FromWorker, transfer?: Transferable[]): void;
  backend(): string;
  backendFailures(): string[];
}

interface Run {
  id: number;
  config: LabConfig;
  trainer: Trainer;
  /** loss × steps summed per instance since the last snapshot */
  lossSum: Float64Array;
  lossSteps: number;
  /** steps per loss-curve point */
  lossEvery: number;
  /** loss × steps summed per instance in the current loss-curve bucket */
  bucketSum: Float64Array;
  bucketSteps: number;
  /** finished loss-curve points not yet posted: step, then K losses */
  points: number[];
  /** learning dynamics: keep instance 0's parameters every record.every steps */
  record: RecordRequest | null;
  framesKept: number;
  /** frames not yet posted */
  frames: { step: number; W: Float32Array; b: Float32Array; loss: number }[];
  /** instance 0's loss × steps since the last frame */
  frameLossSum: number;
  frameLossSteps: number;
  /** loss × steps per instance over the last 1 % of the steps (the final loss) */
  tailSum: Float64Array;
  tailSteps: number;
  /** geometry names say "not yet settled" until they stop changing or the run ends */
  settle: SettleTracker;
}

export class TrainingSession {
  private run: Run | null = null;
  private engine: EngineChoice = 'auto';
  private playing = false;
  private speed: Speed = null;
  private readonly loop: ChunkLoop;
  private readonly timer = new StepTimer();
  private readonly pacer = new SnapshotPacer();
  private readonly rate = new RateMeter();
  /** slow-motion bookkeeping: steps allowed since speedMark */
  private speedMark = { t: 0, step: 0 };

  constructor(private readonly host: SessionHost) {
    this.loop = new ChunkLoop(host, () => this.tick(), () => this.playing && !!this.run);
  }

  /** Start a fresh run. If the new trainer cannot be built, the old run keeps going and an error is posted. */
  configure(runId: number, config: LabConfig, play: boolean, engine: EngineChoice = this.engine, record: RecordRequest | null = null): void {
    this.engine = engine;
    let trainer: Trainer;
    try {
      trainer = this.host.createTrainer(config, engine);
    } catch (e) {
      this.host.post({ type: 'error', runId, message: `could not start training: ${messageOf(e)}` });
      return;
    }
    this.run?.trainer.dispose();
    const K = config.instances;
    this.run = {
      id: runId, config, trainer, lossSum: new Float64Array(K), lossSteps: 0,
      lossEvery: Math.max(1, Math.ceil(config.steps / LOSS_POINTS)), bucketSum: new Float64Array(K), bucketSteps: 0, points: [],
      record: record && record.every >= 1 && record.max >= 1 ? record : null, framesKept: 0, frames: [], frameLossSum: 0, frameLossSteps: 0,
      settle: new SettleTracker(config.steps), tailSum: new Float64Array(K), tailSteps: 0,
    };
    if (this.run.record) this.keepFrame(this.run);
    this.timer.restart();
    this.resetRate();
    this.playing = play;
    this.publish();
    this.loop.kick();
  }

  reset(runId: number): void {
    if (!this.run) return;
    this.configure(runId, this.run.config, this.playing, this.engine, this.run.record);
  }

  play(): void {
    if (!this.run || this.isDone()) return this.postStatus();
    this.playing = true;
    this.resetRate();
    this.postStatus();
    this.loop.kick();
  }

  pause(): void {
    this.playing = false;
    if (this.run) this.publish();
  }

  /** k steps now (capped at config.steps), then paused. */
  step(k: number): void {
    this.playing = false;
    const run = this.run;
    if (!run) return;
    const todo = Math.min(k, run.config.steps - run.trainer.stepsDone);
    if (todo > 0) this.train(run, todo);
    this.publish();
  }

  setSpeed(stepsPerSecond: Speed): void {
    this.speed = stepsPerSecond;
    this.resetRate();
  }

  /** The page drew the last snapshot. */
  drawn(): void {
    this.pacer.drawn();
  }

  dispose(): void {
    this.run?.trainer.dispose();
    this.run = null;
    this.playing = false;
  }

  private isDone(): boolean {
    return !!this.run && this.run.trainer.stepsDone >= this.run.config.steps;
  }

  private resetRate(): void {
    const t = this.host.now();
    const step = this.run?.trainer.stepsDone ?? 0;
    this.rate.restart(t, step);
    this.speedMark = { t, step };
  }

  private tick(): void {
    const run = this.run;
    if (!run || !this.playing) return;
    if (this.isDone()) {
      this.playing = false;
      this.publish();
      return;
    }
    const k = this.chunkSteps(run);
    if (k === 0) return this.loop.waitFor(Math.max(4, 1000 / (this.speed ?? 1000))); // slow motion: the next step is not due yet
    this.train(run, k);
    if (this.isDone()) this.playing = false;
    if (!this.playing || this.pacer.due(this.host.now())) this.publish();
  }

  /** How many steps fit in the time budget (and, in slow motion, are due). 0 = wait. */
  private chunkSteps(run: Run): number {
    const remaining = run.config.steps - run.trainer.stepsDone;
    let k = this.timer.chunkSteps();
    if (this.speed !== null) {
      const due = Math.floor(((this.host.now() - this.speedMark.t) * this.speed) / 1000) - (run.trainer.stepsDone - this.speedMark.step);
      k = Math.min(k, due);
    }
    return Math.max(0, Math.min(k, remaining));
  }

  /** k steps, in pieces that end on loss-curve bucket boundaries. */
  private train(run: Run, k: number): void {
    const t0 = this.host.now();
    for (let done = 0; done < k; ) {
      const toFrame = run.record && run.framesKept < run.record.max ? run.record.every - (run.trainer.stepsDone % run.record.every) : Infinity;
      const tailFrom = run.config.steps - finalLossSteps(run.config.steps);
      const toTail = run.trainer.stepsDone < tailFrom ? tailFrom - run.trainer.stepsDone : Infinity;
      const piece = Math.min(k - done, run.lossEvery - (run.trainer.stepsDone % run.lossEvery), toFrame, toTail);
      const inTail = run.trainer.stepsDone >= tailFrom;
      const losses = run.trainer.step(piece);
      done += piece;
      if (inTail) {
        for (let i = 0; i < losses.length; i++) run.tailSum[i] += losses[i] * piece;
        run.tailSteps += piece;
      }
      for (let i = 0; i < losses.length; i++) {
        run.lossSum[i] += losses[i] * piece;
        run.bucketSum[i] += losses[i] * piece;
      }
      run.lossSteps += piece;
      run.bucketSteps += piece;
      if (run.record) {
        run.frameLossSum += losses[0] * piece;
        run.frameLossSteps += piece;
        if (piece === toFrame) this.keepFrame(run);
      }
      const step = run.trainer.stepsDone;
      if (step % run.lossEvery === 0 || step >= run.config.steps) {
        run.points.push(step, ...Array.from(run.bucketSum, (s) => s / run.bucketSteps));
        run.bucketSum.fill(0);
        run.bucketSteps = 0;
      }
    }
    this.timer.record(this.host.now() - t0, k);
  }

  /** Keep instance 0's parameters now (learning dynamics). */
  private keepFrame(run: Run): void {
    const snap = run.trainer.snapshot();
    const size = snap.m * snap.n;
    const loss = run.frameLossSteps ? run.frameLossSum / run.frameLossSteps : NaN;
    run.frames.push({ step: snap.step, W: snap.W.slice(0, size), b: snap.b.slice(0, snap.n), loss });
    run.framesKept++;
    run.frameLossSum = 0;
    run.frameLossSteps = 0;
  }

  /** The frames not yet posted, as arrays to transfer; clears them. */
  private takeFrames(run: Run): FrameBatch | null {
    if (!run.record || !run.frames.length) return null;
    const { m, n } = run.config;
    const F = run.frames.length;
    const batch: FrameBatch = { steps: new Float64Array(F), W: new Float32Array(F * m * n), b: new Float32Array(F * n), losses: new Float32Array(F) };
    run.frames.forEach((f, i) => {
      batch.steps[i] = f.step;
      batch.W.set(f.W, i * m * n);
      batch.b.set(f.b, i * n);
      batch.losses[i] = f.loss;
    });
    run.frames = [];
    return batch;
  }

  /** The finished loss-curve points, as arrays to transfer; clears them. */
  private takeLossPoints(run: Run): { steps: Float64Array; losses: Float32Array } {
    const K = run.config.instances;
    const P = run.points.length / (K + 1);
    const steps = new Float64Array(P);
    const losses = new Float32Array(P * K);
    for (let p = 0; p < P; p++) {
      steps[p] = run.points[p * (K + 1)];
      for (let k = 0; k < K; k++) losses[p * K + k] = run.points[p * (K + 1) + 1 + k];
    }
    run.points = [];
    return { steps, losses };
  }

  /** Post a snapshot and a status. */
  private publish(): void {
    const run = this.run;
    if (!run) return;
    const t0 = this.host.now();
    const snap = run.trainer.snapshot();
    const losses = new Float32Array(run.config.instances);
    for (let i = 0; i < losses.length; i++) losses[i] = run.lossSteps ? run.lossSum[i] / run.lossSteps : snap.losses[i];
    run.lossSum.fill(0);
    run.lossSteps = 0;
    const metrics = snapshotMetrics(snap);
    const finished = snap.step >= run.config.steps;
    metrics.geometry = metrics.geometry.map((g, k) => run.settle.name(k, g, snap.step, finished));
    const msg: SnapshotMessage = {
      type: 'snapshot', runId: run.id, step: snap.step, model: snap.model, K: snap.K, n: snap.n, m: snap.m,
      W: snap.W, b: snap.b, losses, lossCurve: this.takeLossPoints(run), metrics,
      finalLosses: finished && run.tailSteps ? Float32Array.from(run.tailSum, (x) => x / run.tailSteps) : null,
      W2: snap.W2, frames: this.takeFrames(run),
    };
    this.host.post(msg, transferablesOf(msg));
    this.pacer.sent(t0, this.host.now());
    this.postStatus();
  }

  private postStatus(): void {
    const run = this.run;
    if (!run) return;
    const step = run.trainer.stepsDone;
    const status: StatusMessage = {
      type: 'status', runId: run.id, step, totalSteps: run.config.steps, playing: this.playing, done: this.isDone(),
      stepsPerSecond: this.rate.read(this.host.now(), step, this.playing), msPerStep: this.timer.msPerStep, backend: this.host.backend(),
      engine: run.trainer.engine, backendFailures: this.host.backendFailures(),
    };
    this.host.post(status);
  }
}
