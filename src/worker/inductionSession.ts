// The induction worker's logic, engine-agnostic (the trainer comes from the host's factory, so this
// file imports no TF.js and runs in Node tests too). It trains in chunks on the shared scheduler and
// evaluates on the fixed eval set every evalEvery steps, as runInduction does: the curve points, the
// per-head scores and formedAtStep are the CLI's. Snapshots (at most ~30/s, and only after a new
// evaluation or a change of focus) carry the latest evaluation's patterns of the sequence the page
// looks at, the composition scores and, when heads are zeroed, the ablated per-position loss.

import type { InductionConfig } from '../engine/transformer/config.ts';
import { evalSet, sampleBatch, trainingRng, type EvalSet, type InductionDataSpec } from '../engine/transformer/data.ts';
import { compositions, evaluate, evaluateWithPatterns, finalEvaluation, type EvalSummary } from '../engine/transformer/evaluate.ts';
import { buildInductionRecord, curvePoint, findPhaseChange, type CurvePoint } from '../engine/transformer/induction.ts';
import { HEAD_THRESHOLD, type Composition } from '../engine/transformer/metrics.ts';
import type { TransformerTrainer } from '../engine/transformer/model.ts';
import type { Rng } from '../engine/shared/rng.ts';
import {
  snapshotTransferables,
  type AblationResult, type FromInductionWorker, type HeadRef, type InductionFocus, type InductionSnapshotMessage,
} from './inductionProtocol.ts';
import { ChunkLoop, RateMeter, RATE_WINDOW_MS, SnapshotPacer, StepTimer, type SchedulerHost } from './scheduler.ts';

export interface InductionSessionHost extends SchedulerHost {
  createTrainer(config: InductionConfig): TransformerTrainer;
  post(msg: FromInductionWorker, transfer?: Transferable[]): void;
}

interface Evaluation {
  step: number;
  summary: EvalSummary;
  /** per layer [B][H][T][T] of the whole eval set */
  patterns: Float32Array[];
}

interface Run {
  id: number;
  config: InductionConfig;
  trainer: TransformerTrainer;
  set: EvalSet;
  spec: InductionDataSpec;
  rng: Rng;
  batch: Int32Array<ArrayBuffer>;
  t0: number;
  trainMs: number;
  loss: number;
  latest: Evaluation;
  curve: CurvePoint[];
  /** [step, loss over all positions, then per head induction, previous-token] */
  headCurve: number[][];
  /** points of curve and headCurve already posted */
  sentCurve: number;
  sentHeads: number;
  formedAtStep: number | null;
  /** the ablation of the latest evaluation, cached by its heads */
  ablation: { key: string; step: number; result: AblationResult } | null;
  composition: { step: number; value: Composition[] } | null;
  /** an evaluation (or a focus change) the page has not seen yet */
  dirty: boolean;
  recordSent: boolean;
}

const headKey = (heads: readonly HeadRef[]) => heads.map(([l, h]) => `${l}.${h}`).sort().join(',');

export class InductionSession {
  private run: Run | null = null;
  private playing = false;
  private focus: InductionFocus = { sequence: 0, ablate: [] };
  private readonly loop: ChunkLoop;
  private readonly timer = new StepTimer();
  private readonly pacer = new SnapshotPacer();
  private readonly rate = new RateMeter();
  private lastStatusAt = -Infinity;

  constructor(private readonly host: InductionSessionHost) {
    this.loop = new ChunkLoop(host, () => this.tick(), () => this.hasWork());
  }

  configure(runId: number, config: InductionConfig, play: boolean, focus: InductionFocus): void {
    this.dispose();
    this.focus = this.cleanFocus(focus, config);
    const trainer = this.host.createTrainer(config);
    const set = evalSet(config.vocab, config.ctx);
    const run: Run = {
      id: runId, config, trainer, set,
      spec: { vocab: config.vocab, ctx: config.ctx, repeat: config.repeat },
      rng: trainingRng(config.seed),
      batch: new Int32Array(config.batch * config.ctx),
      t0: this.host.now(), trainMs: 0, loss: NaN,
      latest: { step: 0, summary: null!, patterns: [] },
      curve: [], headCurve: [], sentCurve: 0, sentHeads: 0, formedAtStep: null,
      ablation: null, composition: null, dirty: true, recordSent: false,
    };
    this.run = run;
    this.evaluateNow(run);
    this.playing = play;
    this.timer.restart();
    this.rate.restart(this.host.now(), 0);
    this.publish();
    this.loop.kick();
  }

  reset(runId: number): void {
    const r = this.run;
    if (r) this.configure(runId, r.config, true, this.focus);
  }

  play(): void {
    if (!this.run) return;
    if (this.isDone()) return this.postStatus();
    this.playing = true;
    this.rate.restart(this.host.now(), this.run.trainer.stepsDone);
    this.postStatus();
    this.loop.kick();
  }

  pause(): void {
    this.playing = false;
    if (this.run?.dirty) this.publish();
    else this.postStatus();
  }

  drawn(): void {
    this.pacer.drawn();
  }

  /** Another sequence or other heads to zero: answered at once, whether training or not. */
  setFocus(focus: InductionFocus): void {
    const r = this.run;
    this.focus = r ? this.cleanFocus(focus, r.config) : focus;
    if (!r) return;
    r.dirty = true;
    this.publish();
  }

  /** The CLI's record at the current weights (a final evaluation now). */
  record(requestId: number): void {
    const r = this.run;
    if (!r) throw new Error('there is no run to export yet');
    this.host.post({ type: 'record', runId: r.id, requestId, record: this.buildRecord(r) });
  }

  dispose(): void {
    this.run?.trainer.dispose();
    this.run = null;
  }

  // ───────────────────────────── training ─────────────────────────────

  private isDone(): boolean {
    const r = this.run;
    return !!r && r.trainer.stepsDone >= r.config.steps;
  }

  private hasWork(): boolean {
    return !!this.run && this.playing && !this.isDone();
  }

  private tick(): void {
    const r = this.run!;
    const { config, trainer } = r;
    const todo = Math.min(this.timer.chunkSteps(), config.steps - trainer.stepsDone);
    const t0 = this.host.now();
    for (let i = 0; i < todo; i++) {
      sampleBatch(r.spec, r.rng, config.batch, r.batch);
      const s0 = this.host.now();
      r.loss = trainer.trainStep(r.batch, config.batch);
      r.trainMs += this.host.now() - s0;
      const step = trainer.stepsDone;
      if (step % config.evalEvery === 0 || step === config.steps) this.evaluateNow(r);
    }
    this.timer.record(this.host.now() - t0, todo);
    const now = this.host.now();
    if (this.isDone()) {
      this.playing = false;
      this.publish();
      if (!r.recordSent) {
        r.recordSent = true;
        this.host.post({ type: 'record', runId: r.id, requestId: 0, record: this.buildRecord(r) });
      }
    } else if (r.dirty && this.pacer.due(now)) this.publish();
    else if (now - this.lastStatusAt >= RATE_WINDOW_MS) this.postStatus();
  }

  /** One evaluation on the eval set: the curve's point, every head's scores, the patterns kept for the snapshot. */
  private evaluateNow(r: Run): void {
    const { trainer, set } = r;
    const { layers } = trainer.shape;
    const { summary, patterns } = evaluateWithPatterns(trainer, set);
    const step = trainer.stepsDone;
    r.latest = { step, summary, patterns };
    r.curve.push(curvePoint(step, summary, layers));
    const all = summary.lossByPosition.reduce((a, x) => a + x, 0) / summary.lossByPosition.length;
    r.headCurve.push([step, all, ...summary.heads.flatMap((h) => [h.induction, h.prevToken])]);
    if (r.formedAtStep === null && step > 0 && r.curve[r.curve.length - 1][3] >= HEAD_THRESHOLD) r.formedAtStep = step;
    r.dirty = true;
  }

  // ───────────────────────────── what the page sees ─────────────────────────────

  private cleanFocus(focus: InductionFocus, config: InductionConfig): InductionFocus {
    const seen = new Set<string>();
    const ablate = focus.ablate.filter(([l, h]) => {
      const key = `${l}.${h}`;
      const ok = Number.isInteger(l) && Number.isInteger(h) && l >= 0 && l < config.layers && h >= 0 && h < config.heads && !seen.has(key);
      seen.add(key);
      return ok;
    });
    const sequence = Number.isInteger(focus.sequence) && focus.sequence >= 0 ? focus.sequence : 0;
    return { sequence, ablate };
  }

  private ablation(r: Run): AblationResult | null {
    const heads = this.focus.ablate;
    if (!heads.length) return null;
    const key = headKey(heads);
    if (r.ablation && r.ablation.key === key && r.ablation.step === r.latest.step) return r.ablation.result;
    const { set, trainer } = r;
    const losses = evaluate(trainer, set, heads.map(([layer, head]) => ({ layer, head, mode: 'zero' as const })));
    const result = { heads: heads.map(([l, h]) => [l, h] as HeadRef), lossByPosition: Float32Array.from(losses.lossByPosition), firstCopyLoss: losses.firstCopyLoss, secondCopyLoss: losses.secondCopyLoss };
    r.ablation = { key, step: r.latest.step, result };
    return result;
  }

  private compositions(r: Run): Composition[] {
    if (r.composition?.step === r.latest.step) return r.composition.value;
    const value = r.trainer.shape.layers >= 2 ? compositions(r.trainer.params()) : [];
    r.composition = { step: r.latest.step, value };
    return value;
  }

  private publish(): void {
    const r = this.run;
    if (!r) return;
    const t0 = this.host.now();
    const { set, latest } = r;
    const { layers, heads } = r.trainer.shape;
    const T = set.T;
    const sequence = Math.min(this.focus.sequence, set.B - 1);
    const block = heads * T * T;
    const patterns = new Float32Array(layers * block);
    latest.patterns.forEach((p, l) => patterns.set(p.subarray(sequence * block, (sequence + 1) * block), l * block));
    const ablation = this.ablation(r);
    const msg: InductionSnapshotMessage = {
      type: 'snapshot', runId: r.id, step: latest.step, layers, heads, T, L: set.L, sequences: set.B,
      curve: r.curve.slice(r.sentCurve), headCurve: r.headCurve.slice(r.sentHeads),
      scores: latest.summary.heads,
      sequence, tokens: set.tokens.slice(sequence * T, (sequence + 1) * T), patterns,
      lossByPosition: Float32Array.from(latest.summary.lossByPosition),
      firstCopyLoss: latest.summary.firstCopyLoss, secondCopyLoss: latest.summary.secondCopyLoss,
      ablation: ablation && { ...ablation, lossByPosition: ablation.lossByPosition.slice() },
      composition: this.compositions(r),
      formedAtStep: r.formedAtStep,
      phaseChange: findPhaseChange(r.curve, Math.log(r.config.vocab)),
    };
    r.sentCurve = r.curve.length;
    r.sentHeads = r.headCurve.length;
    r.dirty = false;
    this.host.post(msg, snapshotTransferables(msg));
    this.pacer.sent(t0, this.host.now());
    this.postStatus();
  }

  private postStatus(): void {
    const r = this.run;
    if (!r) return;
    const step = r.trainer.stepsDone;
    this.lastStatusAt = this.host.now();
    this.host.post({
      type: 'status', runId: r.id, step, totalSteps: r.config.steps, playing: this.playing, done: this.isDone(),
      stepsPerSecond: this.rate.read(this.host.now(), step, this.playing), msPerStep: this.timer.msPerStep,
      engine: r.trainer.engine, loss: r.loss, formedAtStep: r.formedAtStep,
    });
  }

  private buildRecord(r: Run) {
    const final = finalEvaluation(r.trainer, r.set);
    const curve = r.curve[r.curve.length - 1]?.[0] === r.trainer.stepsDone ? r.curve : [...r.curve, curvePoint(r.trainer.stepsDone, final, r.trainer.shape.layers)];
    return buildInductionRecord({
      config: r.config, engine: r.trainer.engine, seconds: (this.host.now() - r.t0) / 1000,
      steps: r.trainer.stepsDone, trainMs: r.trainMs, formedAtStep: r.formedAtStep, final, curve,
    });
  }
}
