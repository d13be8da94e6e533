// The SAE worker's logic, engine-agnostic (trainers come from the host's factories, so this file
// imports no tfjs and runs in Node tests too). Two jobs, both trained in chunks (scheduler.ts) so
// messages are handled in between:
//  * the live SAE: train the base toy model (once per base; cached), then K SAEs on its hidden
//    activations, posting snapshots at most ~30 per second (fewer if the page is slow to draw);
//  * the Sharkey sweep: dictionary ratio × λ, posting the grid as it fills.

import { activationSourceForBase, baseMessageFields, fileBaseMessage } from './saeBase.ts';
import { fileSource, type ActivationSource } from '../engine/sae/activations.ts';
import type { Rng } from '../engine/shared/rng.ts';
import { topActivatingRows } from '../engine/sae/topRows.ts';
import type { LabConfig } from '../engine/toy/config.ts';
import { createRng } from '../engine/shared/rng.ts';
import { evaluatedSnapshot, firingOn, type SaeEngine, type SaeSnapshot } from '../engine/sae/core.ts';
import type { SaeConfig } from '../engine/sae/config.ts';
import { latentHistograms } from '../engine/sae/metrics.ts';
import { SaeSweep } from '../engine/sae/sweep.ts';
import { saeKernelPath } from '../engine/kernels/saeKernel.ts';
import { SaeFusedTrainer } from '../engine/sae/fused.ts';
import { instanceW } from '../engine/toy/snapshot.ts';
import type { Trainer } from '../engine/toy/trainer.ts';
import {
  HIST_BINS, snapshotTransferables, sweepTransferables,
  type BaseMessage, type BaseSpec, type FileBaseSpec, type FromSaeWorker, type SaeEngineChoice, type SaeKernelPath, type SaePhase, type SaeSnapshotMessage, type SweepMessage,
} from './saeProtocol.ts';
import { ChunkLoop, RateMeter, RATE_WINDOW_MS, SnapshotPacer, StepTimer, type SchedulerHost } from './scheduler.ts';

const SWEEP_POST_INTERVAL_MS = 200;
/** points on the metric curves per run */
const CURVE_POINTS = 400;
/** inputs behind the activation histograms */
const EVAL_SIZE = 2048;
/**
 * File data can be wide (d up to 4096): its histograms use fewer rows when K·L·d is large, so a snapshot costs about
 * EVAL_MACS multiply-adds and the first one follows the first step within the second (at least 256 rows).
 */
const EVAL_MACS = 4e6;
export const fileEvalSize = (K: number, L: number, d: number) => Math.max(256, Math.min(EVAL_SIZE, Math.floor(EVAL_MACS / (K * L * d))));
/** file data: the top-activating rows pass over every row, so it runs about this often while training (and at the end) */
export const TOP_ROWS_INTERVAL_MS = 1500;
/** rows per latent in the top-activating-rows table */
export const TOP_ROWS_T = 5;

export interface SaeSessionHost extends SchedulerHost {
  createToyTrainer(config: LabConfig): Trainer;
  createSae(config: SaeConfig, source: ActivationSource, engine: SaeEngineChoice): SaeEngine;
  post(msg: FromSaeWorker, transfer?: Transferable[]): void;
}

interface BaseModel {
  key: string;
  /** a fresh activation stream of this base */
  source(rng: Rng): ActivationSource;
  /** file data: the rows, for the top-activating-rows table */
  file: FileBaseSpec | null;
  message: Omit<BaseMessage, 'runId'>;
}

interface Run {
  id: number;
  base: BaseSpec;
  sae: SaeConfig;
  engine: SaeEngineChoice;
  /** while the base model trains */
  toy: { trainer: Trainer; t0: number; loss: number } | null;
  trainer: SaeEngine | null;
  /** the trainer's kernel path (fused engine), reported in every status */
  kernel: SaeKernelPath | null;
  evalH: Float32Array | null;
  /** rows of evalH */
  evalSize: number;
  curveEvery: number;
  /** finished curve points not yet posted: step, then K mmcs, K l0, K dead */
  points: number[];
  /** when the top-activating rows were last measured (file data) */
  topRowsAt: number;
}

interface Sweep {
  id: number;
  sweep: SaeSweep;
  t0: number;
  lastPost: number;
  timer: StepTimer;
  rate: RateMeter;
  stopped: boolean;
}

export function baseKey(base: BaseSpec): string {
  if (base.kind === 'file') return `file:${base.fileId}`;
  return base.kind === 'train' ? `train:${JSON.stringify(base.config)}` : `given:${JSON.stringify(base.config)}:${base.instance}:${Array.from(base.W).join(',')}`;
}

/**
 * The kernel path the trainer runs on: null on the TF.js engine (it has no kernel); the fused trainer's
 * kernel build and threads, with the reason from the plan for its batch × d × L (saeKernelPath), or the
 * JavaScript pass when the trainer went without its kernel.
 */
export function kernelPathOf(trainer: SaeEngine, sae: SaeConfig): SaeKernelPath | null {
  if (!(trainer instanceof SaeFusedTrainer)) return null;
  const actual = trainer.kernelPath;
  const plan = saeKernelPath(sae.saeBatch, trainer.dIn, trainer.L);
  if (!actual) return { build: null, threads: 1, reason: plan.build ? "too large for the kernel's memory: the JavaScript pass" : plan.reason };
  return { build: actual.build, threads: actual.threads, reason: actual.threads === plan.threads ? plan.reason : 'the kernel could not take a second thread here' };
}

export class SaeSession {
  private run: Run | null = null;
  private base: BaseModel | null = null;
  private sweepJob: Sweep | null = null;
  private playing = false;
  private readonly loop: ChunkLoop;
  private readonly timer = new StepTimer();
  private readonly pacer = new SnapshotPacer();
  private readonly rate = new RateMeter();
  /** while the base model trains, statuses go out every RATE_WINDOW_MS */
  private lastStatusAt = -Infinity;
  /** alternate between the two jobs when both have work */
  private turn = 0;

  constructor(private readonly host: SaeSessionHost) {
    this.loop = new ChunkLoop(host, () => this.tick(), () => this.runHasWork() || this.sweepHasWork());
  }

  configure(runId: number, base: BaseSpec, sae: SaeConfig, play: boolean, engine: SaeEngineChoice): void {
    this.disposeRun();
    this.run = { id: runId, base, sae, engine, toy: null, trainer: null, kernel: null, evalH: null, evalSize: EVAL_SIZE, curveEvery: Math.max(1, Math.ceil(sae.saeSteps / CURVE_POINTS)), points: [], topRowsAt: -Infinity };
    this.playing = play;
    this.timer.restart();
    this.markRate();
    if (this.base?.key !== baseKey(base)) {
      this.base = null;
      if (base.kind === 'given') this.adoptBase(base.config, base.instance, base.W, NaN, 0);
      else if (base.kind === 'file') this.adoptFile(base);
      else this.run.toy = { trainer: this.host.createToyTrainer({ ...base.config }), t0: this.host.now(), loss: NaN };
    }
    if (this.base) this.startSae(this.run);
    this.postStatus();
    this.loop.kick();
  }

  reset(runId: number): void {
    const r = this.run;
    if (r) this.configure(runId, r.base, r.sae, this.playing || this.isDone(), r.engine);
  }

  play(): void {
    if (!this.run) return;
    if (this.isDone()) return this.postStatus();
    this.playing = true;
    this.markRate();
    this.postStatus();
    this.loop.kick();
  }

  pause(): void {
    this.playing = false;
    if (this.run?.trainer) this.publish();
    else this.postStatus();
  }

  drawn(): void {
    this.pacer.drawn();
  }

  startSweep(sweepId: number, ratios: number[], sae: SaeConfig, engine: SaeEngineChoice): void {
    this.sweepJob?.sweep.dispose();
    const now = this.host.now();
    const sweep = new SaeSweep({ ratios, sae }, (c, s) => this.host.createSae(c, s, engine), () => this.host.now());
    const rate = new RateMeter(2 * RATE_WINDOW_MS);
    rate.restart(now, 0);
    this.sweepJob = { id: sweepId, sweep, t0: now, lastPost: -Infinity, timer: new StepTimer(), rate, stopped: false };
    this.postSweep();
    this.loop.kick();
  }

  stopSweep(): void {
    const job = this.sweepJob;
    if (!job || job.sweep.done) return;
    job.stopped = true;
    job.sweep.dispose();
    this.postSweep();
    this.sweepJob = null;
  }

  dispose(): void {
    this.disposeRun();
    this.sweepJob?.sweep.dispose();
    this.sweepJob = null;
  }

  // ───────────────────────────── scheduling ─────────────────────────────

  private runHasWork(): boolean {
    return !!this.run && this.playing && !this.isDone();
  }

  private sweepHasWork(): boolean {
    return !!this.sweepJob && !this.sweepJob.sweep.done;
  }

  private tick(): void {
    const both = this.runHasWork() && this.sweepHasWork();
    this.turn++;
    if (this.runHasWork() && (!both || this.turn % 2 === 0)) this.tickRun();
    else if (this.sweepHasWork()) this.tickSweep();
  }

  private isDone(): boolean {
    const r = this.run;
    return !!r && !r.toy && !!r.trainer && r.trainer.stepsDone >= r.sae.saeSteps;
  }

  private phase(): SaePhase {
    const r = this.run;
    return !r ? 'idle' : r.toy ? 'base' : 'sae';
  }

  // ───────────────────────────── the live SAE ─────────────────────────────

  private tickRun(): void {
    const r = this.run!;
    const k = this.timer.chunkSteps();
    const t0 = this.host.now();
    if (r.toy) {
      const toy = r.toy;
      const todo = Math.min(k, toy.trainer.config.steps - toy.trainer.stepsDone);
      if (todo > 0) toy.loss = toy.trainer.step(todo)[0];
      this.timer.record(this.host.now() - t0, todo);
      if (toy.trainer.stepsDone >= toy.trainer.config.steps) {
        const W = instanceW(toy.trainer.snapshot(), 0).slice();
        const seconds = (this.host.now() - toy.t0) / 1000;
        toy.trainer.dispose();
        r.toy = null;
        this.adoptBase(toy.trainer.config, 0, W, toy.loss, seconds);
        this.startSae(r);
        this.publish();
      } else if (this.host.now() - this.lastStatusAt >= RATE_WINDOW_MS) {
        this.lastStatusAt = this.host.now();
        this.postStatus();
      }
      return;
    }
    const t = r.trainer!;
    const todo = Math.min(k, r.sae.saeSteps - t.stepsDone);
    for (let done = 0; done < todo; ) {
      const piece = Math.min(todo - done, r.curveEvery - (t.stepsDone % r.curveEvery));
      const end = t.stepsDone + piece;
      const point = end % r.curveEvery === 0 || end >= r.sae.saeSteps;
      // MMCS (L·G·d work) only where the curve takes a point
      const stats = t.step(piece, { mmcs: point });
      done += piece;
      if (point) {
        r.points.push(t.stepsDone, ...stats.map((s) => s.mmcs), ...stats.map((s) => s.l0), ...stats.map((s) => s.deadFraction));
      }
    }
    this.timer.record(this.host.now() - t0, todo);
    if (this.isDone()) this.playing = false;
    if (!this.playing || this.pacer.due(this.host.now())) this.publish();
  }

  private adoptBase(config: LabConfig, instance: number, W: Float32Array, loss: number, seconds: number): void {
    const run = this.run!;
    this.base = {
      key: baseKey(run.base),
      source: (rng) => activationSourceForBase(config, instance, W, rng),
      file: null,
      message: { type: 'base', ...baseMessageFields(config, instance, W), loss, seconds },
    };
  }

  private adoptFile(spec: FileBaseSpec): void {
    this.base = { key: baseKey(spec), source: (rng) => fileSource(spec, spec.truth, rng), file: spec, message: fileBaseMessage(spec) };
  }

  /** Build the run's SAE on the base model's activations; the page gets the base with this run's id. */
  private startSae(r: Run): void {
    const b = this.base!;
    const msg: BaseMessage = { ...b.message, runId: r.id, W: b.message.W.slice(), trueDirections: b.message.trueDirections.slice(), featureOf: b.message.featureOf.slice() };
    this.host.post(msg, [msg.W.buffer as ArrayBuffer, msg.trueDirections.buffer as ArrayBuffer, msg.featureOf.buffer as ArrayBuffer]);
    const source = b.source(createRng(r.sae.saeSeed).fork(13));
    r.trainer = this.host.createSae(r.sae, source, r.engine);
    r.kernel = kernelPathOf(r.trainer, r.sae);
    const evalSource = b.source(createRng(r.sae.saeSeed).fork(14));
    r.evalSize = b.file ? fileEvalSize(r.sae.saeInstances, r.sae.dictSize, evalSource.dIn) : EVAL_SIZE;
    r.evalH = new Float32Array(r.evalSize * evalSource.dIn);
    evalSource.sample(r.evalSize, r.evalH);
    // the first top-rows pass waits one interval: the first snapshot (training has started) goes out without it
    r.topRowsAt = this.host.now();
    this.markRate();
  }

  private markRate(): void {
    this.rate.restart(this.host.now(), this.currentStep());
  }

  private currentStep(): number {
    const r = this.run;
    return r?.toy ? r.toy.trainer.stepsDone : (r?.trainer?.stepsDone ?? 0);
  }

  /** Which latents fire on the evaluation set: in the fused trainer's kernel when it has one (core.ts firingOn otherwise). */
  private firing(trainer: SaeEngine, raw: SaeSnapshot, h: Float32Array, B: number): ReturnType<typeof firingOn> {
    return trainer instanceof SaeFusedTrainer ? trainer.firingOn(h, B) : firingOn(raw, h, B);
  }

  private publish(): void {
    const r = this.run;
    if (!r?.trainer) return this.postStatus();
    const t0 = this.host.now();
    const raw = r.trainer.snapshot();
    // once finished, dead latents, L0 and MMCS are those of the evaluation set (a latent is dead when it never fires there)
    const s = r.trainer.stepsDone >= r.sae.saeSteps ? evaluatedSnapshot(raw, this.firing(r.trainer, raw, r.evalH!, r.evalSize)) : raw;
    const { K, L, dIn } = s;
    const G = r.trainer.source.numTrue;
    const P = r.points.length / (1 + 3 * K);
    const curve = { steps: new Float64Array(P), mmcs: new Float32Array(P * K), l0: new Float32Array(P * K), deadFraction: new Float32Array(P * K) };
    for (let p = 0; p < P; p++) {
      const o = p * (1 + 3 * K);
      curve.steps[p] = r.points[o];
      for (let k = 0; k < K; k++) {
        curve.mmcs[p * K + k] = r.points[o + 1 + k];
        curve.l0[p * K + k] = r.points[o + 1 + K + k];
        curve.deadFraction[p * K + k] = r.points[o + 1 + 2 * K + k];
      }
    }
    r.points = [];
    const hist = latentHistograms(s, r.evalH!, r.evalSize, HIST_BINS);
    const bestFeature = new Int32Array(K * L);
    s.bestMatch.forEach((row, k) => row.forEach((m, l) => (bestFeature[k * L + l] = m.feature)));
    const per = (f: (i: number) => number) => Float32Array.from({ length: K }, (_, k) => f(k));
    const msg: SaeSnapshotMessage = {
      type: 'snapshot', runId: r.id, step: s.step, K, L, dIn, G,
      l1: Float32Array.from(s.l1), Wdec: s.Wdec, Wenc: s.Wenc, benc: s.benc, bdec: s.bdec, dead: s.dead, cosines: s.cosines, bestFeature,
      mmcs: per((k) => s.stats[k].mmcs), l0: per((k) => s.stats[k].l0), deadFraction: per((k) => s.stats[k].deadFraction),
      loss: per((k) => s.stats[k].loss), reconstruction: per((k) => s.stats[k].reconstruction), resampled: Int32Array.from(s.resampled),
      curve, hist: hist.hist, histMax: hist.max, fireRate: hist.fireRate, evalSize: r.evalSize,
    };
    const file = this.base?.file;
    const finished = r.trainer.stepsDone >= r.sae.saeSteps;
    if (file && (finished || !this.playing || t0 - r.topRowsAt >= TOP_ROWS_INTERVAL_MS)) {
      const top = topActivatingRows(s, file.values, file.rows, TOP_ROWS_T);
      msg.topRows = { step: s.step, ...top };
      r.topRowsAt = this.host.now();
    }
    this.host.post(msg, snapshotTransferables(msg));
    this.pacer.sent(t0, this.host.now());
    this.postStatus();
  }

  private postStatus(): void {
    const r = this.run;
    if (!r) return;
    const step = this.currentStep();
    const phase = this.phase();
    this.host.post({
      type: 'status', runId: r.id, phase, step, totalSteps: phase === 'base' ? r.toy!.trainer.config.steps : r.sae.saeSteps,
      playing: this.playing, done: this.isDone(), stepsPerSecond: this.rate.read(this.host.now(), step, this.playing), msPerStep: this.timer.msPerStep,
      engine: r.trainer?.engine ?? '', baseEngine: r.toy?.trainer.engine ?? '', kernel: r.kernel,
    });
  }

  private disposeRun(): void {
    const r = this.run;
    if (!r) return;
    r.toy?.trainer.dispose();
    r.trainer?.dispose();
    this.run = null;
  }

  // ───────────────────────────── the sweep ─────────────────────────────

  private tickSweep(): void {
    const job = this.sweepJob!;
    const t0 = this.host.now();
    const before = job.sweep.progress().steps;
    const finished = job.sweep.advance(job.timer.chunkSteps());
    job.timer.record(this.host.now() - t0, job.sweep.progress().steps - before);
    if (finished !== null) job.timer.restart(); // the next size costs more per step: measure afresh
    const now = this.host.now();
    if (finished !== null || job.sweep.done || now - job.lastPost >= SWEEP_POST_INTERVAL_MS) this.postSweep();
  }

  private postSweep(): void {
    const job = this.sweepJob;
    if (!job) return;
    const s = job.sweep;
    const now = this.host.now();
    const { steps, total } = s.progress();
    const stepsPerSecond = job.rate.read(now, steps);
    const flat = (g: number[][]) => Float32Array.from(g.flat());
    const live = s.current();
    const msg: SweepMessage = {
      type: 'sweep', sweepId: job.id, ratios: s.ratios, dictSizes: s.dictSizes, l1: s.l1,
      mmcs: flat(s.grid.mmcs), l0: flat(s.grid.l0), deadFraction: flat(s.grid.deadFraction), reconstruction: flat(s.grid.reconstruction),
      row: s.row, liveMmcs: Float32Array.from(live ? s.curves[s.row].at(-1)?.slice(1) ?? [] : []),
      steps, totalSteps: total, stepsPerSecond, done: s.done, stopped: job.stopped, engine: s.engine,
      seconds: (now - job.t0) / 1000,
    };
    this.host.post(msg, sweepTransferables(msg));
    job.lastPost = now;
  }
}
