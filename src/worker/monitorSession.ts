// The monitor worker's logic: a MonitorRun (engine/monitor/run.ts) advanced in chunks on the shared
// scheduler — the base's training steps, the SAE's, then one target feature per chunk — with status
// reports while it runs, the result when it is done, and the live monitor's stream for the target the
// page looks at (again at once when the target changes). The run's trainers come from the engine
// (the toy base uses TF.js: the host starts a backend first).

import type { MonitorConfig } from '../engine/monitor/config.ts';
import { inductionStream } from '../engine/monitor/induction.ts';
import { MonitorRun, type GivenToyBase } from '../engine/monitor/run.ts';
import { monitorStream, topSquaredShare } from '../engine/monitor/toy.ts';
import { STRONG_ACTIVATION } from '../engine/monitor/detect.ts';
import { DEFAULT_INDUCTION_CONFIG } from '../engine/transformer/config.ts';
import { createRng } from '../engine/shared/rng.ts';
import { streamTransferables, type FromMonitorWorker, type MonitorResultMessage, type MonitorStreamMessage } from './monitorProtocol.ts';
import { ChunkLoop, RateMeter, RATE_WINDOW_MS, StepTimer, type SchedulerHost } from './scheduler.ts';

export interface MonitorSessionHost extends SchedulerHost {
  post(msg: FromMonitorWorker, transfer?: Transferable[]): void;
  /** build the run (tests may substitute a smaller one) */
  createRun?(config: MonitorConfig, given: GivenToyBase | null): MonitorRun;
}

/** Inputs in one live-monitor stream. */
export const STREAM_LENGTH = 240;

export class MonitorSession {
  private run: MonitorRun | null = null;
  private runId = 0;
  private playing = false;
  private target = 0;
  private streams = 0;
  private readonly loop: ChunkLoop;
  private readonly timer = new StepTimer();
  private readonly rate = new RateMeter();
  private lastStatusAt = -Infinity;

  constructor(private readonly host: MonitorSessionHost) {
    this.loop = new ChunkLoop(host, () => this.tick(), () => !!this.run && this.playing && this.run.phase !== 'done');
  }

  private given: GivenToyBase | null = null;

  configure(runId: number, config: MonitorConfig, play: boolean, target: number, given: GivenToyBase | null = null): void {
    this.dispose();
    this.runId = runId;
    this.target = target;
    this.given = given;
    this.run = this.host.createRun ? this.host.createRun(config, given) : new MonitorRun(config, given);
    this.playing = play;
    this.timer.restart();
    this.rate.restart(this.host.now(), 0);
    this.postStatus();
    this.loop.kick();
  }

  reset(runId: number): void {
    if (this.run) this.configure(runId, this.run.config, true, this.target, this.given);
  }

  play(): void {
    if (!this.run) return;
    this.playing = this.run.phase !== 'done';
    this.rate.restart(this.host.now(), this.progressStep());
    this.postStatus();
    this.loop.kick();
  }

  pause(): void {
    this.playing = false;
    this.postStatus();
  }

  drawn(): void {}

  /** The live monitor follows another target. */
  setTarget(target: number): void {
    this.target = target;
    if (this.run?.phase === 'done') this.postStream();
  }

  dispose(): void {
    this.run?.dispose();
    this.run = null;
  }

  private progressStep(): number {
    const p = this.run?.progress();
    return p ? p.done : 0;
  }

  private tick(): void {
    const run = this.run!;
    const before = run.phase;
    const k = before === 'analyse' ? 1 : this.timer.chunkSteps();
    const t0 = this.host.now();
    const doneBefore = run.progress().done;
    run.advance(k);
    if (before !== 'analyse' && run.phase === before) this.timer.record(this.host.now() - t0, Math.max(1, run.progress().done - doneBefore));
    if (run.phase !== before) {
      this.timer.restart();
      this.rate.restart(this.host.now(), 0);
    }
    if (run.phase === 'done') {
      this.playing = false;
      this.postResult();
      this.postStream();
      this.postStatus();
    } else if (run.phase !== before || this.host.now() - this.lastStatusAt >= RATE_WINDOW_MS) this.postStatus();
  }

  private postStatus(): void {
    const run = this.run;
    if (!run) return;
    const p = run.progress();
    this.lastStatusAt = this.host.now();
    this.host.post({
      type: 'status', runId: this.runId, step: p.done, totalSteps: p.total, playing: this.playing, done: run.phase === 'done',
      stepsPerSecond: p.phase === 'analyse' || p.phase === 'done' ? 0 : this.rate.read(this.host.now(), p.done, this.playing), msPerStep: this.timer.msPerStep,
      engine: run.config.base === 'toy' && p.phase === 'base' ? 'tfjs' : 'fused',
      phase: p.phase, phaseDone: p.done, phaseTotal: p.total,
    });
  }

  private postResult(): void {
    const r = this.run!.result()!;
    const t = r.toy;
    const msg: MonitorResultMessage = {
      type: 'result', runId: this.runId, config: r.config, seconds: r.seconds,
      toy: t ? { n: t.base.n, m: t.base.m, hiddenRelu: t.base.hiddenRelu !== false, W: t.base.W.slice(), monosemanticity: t.monosemanticity, topShare: topSquaredShare(t.base.W, t.base.m, t.base.n), loss: t.loss, sae: t.saeSummary } : null,
      features: r.features,
      induction: r.induction,
    };
    this.host.post(msg);
  }

  private postStream(): void {
    const run = this.run;
    const r = run?.result();
    if (!run || !r) return;
    const rng = createRng(r.config.seed).fork(5000 + this.streams++);
    let msg: MonitorStreamMessage;
    if (r.toy) {
      const f = r.features.find((x) => x.target === this.target) ?? r.features[0];
      const probe = r.toy.probes.find((p) => p.target === f.target)!.probe;
      const s = monitorStream(r.toy.base, r.toy.sae, f.target, { neuron: f.detectors.neuron.index, latent: f.detectors.sae.index, probe }, STREAM_LENGTH, rng);
      const det = (id: 'neuron' | 'sae' | 'probe', label: string) => ({ id, label, threshold: f.detectors[id].threshold, nonNegative: id !== 'probe', scores: s.scores[id] });
      msg = {
        type: 'stream', runId: this.runId, target: f.target, count: s.count, width: r.toy.base.n, inputs: s.x, truth: s.truth, strongAbove: STRONG_ACTIVATION,
        detectors: [det('neuron', `neuron ${f.detectors.neuron.index}`), det('sae', `SAE latent ${f.detectors.sae.index}`), det('probe', 'linear probe')],
      };
    } else {
      const ind = r.induction!;
      const s = inductionStream(run.inductionModel!, ind, DEFAULT_INDUCTION_CONFIG.vocab, STREAM_LENGTH, rng);
      const d = ind.detectors;
      msg = {
        type: 'stream', runId: this.runId, target: 0, count: STREAM_LENGTH, width: 0, inputs: new Float32Array(0), truth: Float32Array.from(s.repeated), strongAbove: 0.5,
        detectors: [
          { id: 'induction', label: `induction head L${d.induction.layer}H${d.induction.head}`, threshold: d.induction.threshold, nonNegative: true, scores: s.scores.induction },
          { id: 'prevToken', label: `previous-token head L${d.prevToken.layer}H${d.prevToken.head}`, threshold: d.prevToken.threshold, nonNegative: true, scores: s.scores.prevToken },
        ],
      };
    }
    this.host.post(msg, streamTransferables(msg));
  }
}
