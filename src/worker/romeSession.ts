// The "Locate & edit" worker's logic, engine-agnostic (the trainer and the model file come from the host, so this
// file imports no TF.js and runs in Node tests too). It holds one facts model — the shipped one, or one trained
// here in chunks on the shared scheduler — a RomeEditor on it, and the page's edit (at most one). Requests are
// tasks run one after another as generators, one unit of work (a trace, an edit, an evaluation: well under a
// second each) per chunk, so pings are answered in between and long tasks (average trace, edit at every layer,
// sequential edits) report progress and partial results as they go. Tracing, comparisons and the long tasks run
// on the original model: the page's edit is taken off first and put back after.

import { makeFacts } from '../engine/rome/facts.ts';
import { DEFAULT_FACTS_CONFIG, evaluateFacts, FactsTraining, type Accuracy, type FactsModelConfig, type TrainProgress } from '../engine/rome/factsModel.ts';
import { averageTraceSteps, compareLayerSteps, editProbes, factProbability, sequentialSteps, traceNoise } from '../engine/rome/locateSteps.ts';
import { editScores, untouchedAccuracy } from '../engine/rome/metrics.ts';
import { decodeModel } from '../engine/rome/modelFile.ts';
import { EDIT_METHODS, pickEdits, RomeEditor } from '../engine/rome/rome.ts';
import { traceFact } from '../engine/rome/trace.ts';
import type { FactSet } from '../engine/rome/facts.ts';
import type { TransformerTrainer } from '../engine/transformer/model.ts';
import type { FromRomeWorker, RomeEditRequest, RomeModelSpec, RomeResult, RomeTask, ToRomeWorker } from './romeProtocol.ts';
import { messageOf } from './sharedProtocol.ts';
import { ChunkLoop, StepTimer, type SchedulerHost } from './scheduler.ts';

export interface RomeSessionHost extends SchedulerHost {
  createTrainer(config: FactsModelConfig): TransformerTrainer;
  /** the shipped model file (JSON, checked by decodeModel) */
  loadModel(url: string): Promise<unknown>;
  post(msg: FromRomeWorker): void;
  /**
   * Run one unit of work inside a TF.js scope (tf.tidy) so tensors it leaves behind are freed: ROME's v*
   * optimisation and the fine-tuning baseline run on TF.js, and RomeEditor.prepare leaves the tensor it builds its
   * tf.variable from (one per edit). Optional: without it units run as they are.
   */
  scope?<T>(fn: () => T): T;
}

/** noise samples per trace, the trace's seed (as the CLI's defaults) */
export const TRACE_SAMPLES = 10;
const STATUS_EVERY_MS = 100;
/** what the heartbeat assumes one unit of work may take before any was measured */
export const INITIAL_UNIT_MS = 3000;
/** what it assumes before a task that estimates C of a layer (seconds on a busy machine, in one unit) */
export const HEAVY_UNIT_MS = 6000;

type Prepared = ReturnType<RomeEditor['prepare']>;

interface Model {
  runId: number;
  config: FactsModelConfig;
  trainer: TransformerTrainer;
  set: FactSet;
  editor: RomeEditor;
  accuracy: Accuracy;
  noise: number;
  /** the page's edit, applied on top of the original model */
  userEdit: Prepared | null;
}

interface Training {
  runId: number;
  spec: RomeModelSpec;
  config: FactsModelConfig;
  trainer: TransformerTrainer;
  training: FactsTraining;
  progress: TrainProgress | null;
}

type TaskMessage = Exclude<ToRomeWorker, { type: 'configure' | 'play' | 'pause' | 'reset' | 'drawn' | 'ping' | 'fault' }>;

interface Running {
  task: RomeTask;
  requestId: number;
  gen: Generator<void, void, void>;
}

export class RomeSession {
  private spec: RomeModelSpec | null = null;
  private runId = 0;
  private model: Model | null = null;
  private training: Training | null = null;
  private queue: TaskMessage[] = [];
  private running: Running | null = null;
  private readonly loop: ChunkLoop;
  private readonly timer = new StepTimer();
  private lastStatusAt = -Infinity;
  /**
   * The longest unit of work so far (ms), announced as the status's msPerStep so the page's heartbeat waits
   * 4× that long before it calls the worker dead (estimating C of a layer takes seconds on a slow machine).
   */
  private slowestUnitMs = INITIAL_UNIT_MS;

  constructor(private readonly host: RomeSessionHost) {
    this.loop = new ChunkLoop(host, () => this.tick(), () => this.hasWork());
  }

  async configure(runId: number, spec: RomeModelSpec): Promise<void> {
    this.dispose();
    this.runId = runId;
    this.spec = spec;
    if (spec.source === 'shipped') {
      this.postStatus('loading');
      const file = await this.host.loadModel(spec.modelUrl);
      if (this.runId !== runId) return;
      const { config, params, meta } = decodeModel(file);
      const trainer = this.host.createTrainer(config);
      trainer.setParams(params);
      this.ready(runId, config, trainer, 'shipped', meta.steps, meta.trainSeconds);
    } else {
      const config: FactsModelConfig = { ...DEFAULT_FACTS_CONFIG, seed: spec.seed };
      const trainer = this.host.createTrainer(config);
      this.training = { runId, spec, config, trainer, training: new FactsTraining(trainer, config), progress: null };
      this.timer.restart();
      this.postStatus('training');
      this.loop.kick();
    }
  }

  reset(runId: number): void {
    if (this.spec) void this.configure(runId, this.spec);
  }

  /** A request of the page: queued; a newer one of the same kind replaces a queued or running one. */
  request(msg: TaskMessage): void {
    const kind = msg.type;
    // tracing follows the fact the page shows: a new trace stops the old one; so do the averaged ones
    this.queue = this.queue.filter((q) => q.type !== kind || kind === 'edit' || kind === 'undo');
    if (this.running && this.running.task === kind && (kind === 'trace' || kind === 'average' || kind === 'layers' || kind === 'sequential' || kind === 'compare')) {
      this.running.gen.return();
      this.running = null;
    }
    this.queue.push(msg);
    this.loop.kick();
  }

  dispose(): void {
    this.running?.gen.return();
    this.running = null;
    this.queue = [];
    this.model?.trainer.dispose();
    this.model = null;
    this.training?.trainer.dispose();
    this.training = null;
  }

  private hasWork(): boolean {
    return !!this.training || (!!this.model && (!!this.running || this.queue.length > 0));
  }

  private tick(): void {
    if (this.training) return this.trainChunk(this.training);
    const t0 = this.host.now();
    do {
      if (!this.running) {
        const next = this.queue.shift();
        if (!next) return;
        this.running = { task: next.type, requestId: next.requestId, gen: this.start(next) };
      }
      const r = this.running;
      const u0 = this.host.now();
      try {
        const step = this.host.scope ? this.host.scope(() => r.gen.next()) : r.gen.next();
        if (step.done && this.running === r) this.running = null;
        const unit = this.host.now() - u0;
        if (unit > this.slowestUnitMs) {
          this.slowestUnitMs = unit;
          this.postStatus('ready');
        }
      } catch (e) {
        // the request failed, the worker goes on: the page hears which request it was
        if (this.running === r) this.running = null;
        this.host.post({ type: 'error', runId: null, message: `${r.task} (request ${r.requestId}): ${messageOf(e)}` });
      }
    } while (this.host.now() - t0 < 20);
  }

  // ───────────────────────────── the model ─────────────────────────────

  private trainChunk(t: Training): void {
    const steps = this.timer.chunkSteps();
    const t0 = this.host.now();
    const p = (t.progress = t.training.trainChunk(steps));
    this.timer.record(this.host.now() - t0, steps);
    if (p.done) {
      this.training = null;
      this.ready(t.runId, t.config, t.trainer, 'trained', p.step, t.training.trainSeconds);
    } else if (this.host.now() - this.lastStatusAt >= STATUS_EVERY_MS) this.postStatus('training');
  }

  private ready(runId: number, config: FactsModelConfig, trainer: TransformerTrainer, source: 'shipped' | 'trained', steps: number, trainSeconds: number): void {
    const set = makeFacts(config.seed);
    const accuracy = evaluateFacts(trainer, set);
    this.model = { runId, config, trainer, set, editor: new RomeEditor(trainer, set, config.seed), accuracy, noise: traceNoise(trainer, set), userEdit: null };
    const s = trainer.shape;
    this.host.post({
      type: 'model', runId, source, seed: config.seed, layers: s.layers, dModel: s.dModel, dMlp: s.dMlp, heads: s.heads,
      accuracy: { all: accuracy.all, rewrite: accuracy.rewrite, paraphrase: accuracy.paraphrase }, steps, trainSeconds, engine: trainer.engine,
    });
    this.postStatus('ready');
    this.loop.kick();
  }

  private postStatus(stage: 'loading' | 'training' | 'ready'): void {
    this.lastStatusAt = this.host.now();
    const t = this.training;
    const progress = t?.progress ?? null;
    this.host.post({
      type: 'status', runId: this.runId, stage, progress,
      step: progress?.step ?? 0, totalSteps: t?.config.steps ?? 0, playing: stage !== 'ready', done: stage === 'ready',
      stepsPerSecond: this.timer.msPerStep > 0 && t ? 1000 / this.timer.msPerStep : 0, msPerStep: t ? this.timer.msPerStep : this.slowestUnitMs,
      engine: (this.model?.trainer ?? t?.trainer)?.engine ?? '',
    });
  }

  // ───────────────────────────── tasks ─────────────────────────────

  private post(requestId: number, final: boolean, result: RomeResult): void {
    this.host.post({ type: 'result', runId: this.model!.runId, requestId, final, ...result });
  }

  private start(msg: TaskMessage): Generator<void, void, void> {
    const m = this.model!;
    switch (msg.type) {
      case 'trace':
        return this.onOriginal(m, this.traceTask(m, msg.requestId, msg.factId));
      case 'average':
        return this.onOriginal(m, this.averageTask(m, msg.requestId, msg.facts));
      case 'edit':
        return this.editTask(m, msg.requestId, msg);
      case 'undo':
        return this.undoTask(m, msg.requestId);
      case 'compare':
        return this.onOriginal(m, this.compareTask(m, msg.requestId, msg));
      case 'layers':
        return this.onOriginal(m, this.layersTask(m, msg.requestId, msg.edits, msg.seed));
      case 'sequential':
        return this.onOriginal(m, this.sequentialTask(m, msg.requestId, msg.edits, msg.layer, msg.seed));
    }
  }

  /** Run `inner` on the original model: the page's edit comes off first and goes back after (also when stopped). */
  private *onOriginal(m: Model, inner: Generator<void, void, void>): Generator<void, void, void> {
    const saved = m.userEdit;
    if (saved) m.editor.reset();
    try {
      yield* inner;
    } finally {
      if (saved && this.model === m && m.userEdit === saved) m.editor.apply(saved);
    }
  }

  /** A unit that may take seconds is coming (C of a layer): tell the heartbeat before it starts. */
  private expectSlow(): void {
    if (this.slowestUnitMs >= HEAVY_UNIT_MS) return;
    this.slowestUnitMs = HEAVY_UNIT_MS;
    this.postStatus('ready');
  }

  private checkEdit(m: Model, req: RomeEditRequest): void {
    const fact = m.set.facts[req.factId];
    if (!fact) throw new Error(`no fact ${req.factId}`);
    if (!(Number.isInteger(req.layer) && req.layer >= 0 && req.layer < m.trainer.shape.layers)) throw new Error(`layer ${req.layer} is not a layer of this ${m.trainer.shape.layers}-layer model`);
  }

  private *traceTask(m: Model, requestId: number, factId: number): Generator<void, void, void> {
    const fact = m.set.facts[factId];
    if (!fact) throw new Error(`no fact ${factId}`);
    const t0 = this.host.now();
    const trace = traceFact(m.trainer, m.set, fact, { noise: m.noise, samples: TRACE_SAMPLES, seed: m.config.seed });
    const ms = this.host.now() - t0;
    this.post(requestId, true, { task: 'trace', factId, trace, ms, p: factProbability(m.trainer, m.set, fact).p });
  }

  private *averageTask(m: Model, requestId: number, facts: number): Generator<void, void, void> {
    const t0 = this.host.now();
    for (const step of averageTraceSteps(m.trainer, m.set, facts, TRACE_SAMPLES, m.config.seed)) {
      this.post(requestId, step.done === step.total, { task: 'average', ...step, ms: this.host.now() - t0 });
      yield;
    }
  }

  private *editTask(m: Model, requestId: number, req: RomeEditRequest): Generator<void, void, void> {
    this.checkEdit(m, req);
    const fact = m.set.facts[req.factId];
    // the page's earlier edit goes: every edit starts from the original model
    m.editor.reset();
    m.userEdit = null;
    this.expectSlow();
    const before = editProbes(m.trainer, m.set, fact, req.newObject);
    yield;
    const c0 = this.host.now();
    m.editor.covariance(req.layer);
    const covarianceMs = this.host.now() - c0;
    yield;
    const t0 = this.host.now();
    const prepared = m.editor.prepare({ ...req, method: 'rome' });
    m.editor.apply(prepared);
    const ms = this.host.now() - t0;
    m.userEdit = prepared;
    yield;
    const after = editProbes(m.trainer, m.set, fact, req.newObject);
    const scores = editScores(m.trainer, m.set, fact, req.newObject);
    this.post(requestId, true, { task: 'edit', request: { ...req }, info: prepared.info, before, after, scores, ms, covarianceMs });
  }

  private *undoTask(m: Model, requestId: number): Generator<void, void, void> {
    const undone = m.userEdit !== null;
    m.editor.reset();
    m.userEdit = null;
    this.post(requestId, true, { task: 'undo', undone });
  }

  private *compareTask(m: Model, requestId: number, req: RomeEditRequest): Generator<void, void, void> {
    this.checkEdit(m, req);
    const fact = m.set.facts[req.factId];
    const methods: Extract<RomeResult, { task: 'compare' }>['methods'] = [];
    const total = EDIT_METHODS.length;
    const accuracyBefore = m.accuracy.all;
    const send = (final: boolean) => this.post(requestId, final, { task: 'compare', request: { ...req }, done: methods.length, total, methods: [...methods], accuracyBefore });
    this.expectSlow();
    yield;
    m.editor.covariance(req.layer);
    send(false);
    yield;
    for (const method of EDIT_METHODS) {
      // runOneEdit, with the probes of the edited model too
      const info = m.editor.apply({ ...req, method });
      try {
        yield;
        const scores = editScores(m.trainer, m.set, fact, req.newObject);
        const after = editProbes(m.trainer, m.set, fact, req.newObject);
        yield;
        const accuracyAfter = untouchedAccuracy(m.trainer, m.set, [req.factId]);
        methods.push({ method, info, scores, accuracyAfter, after });
      } finally {
        m.editor.undo();
      }
      send(methods.length === total);
      if (methods.length < total) yield;
    }
  }

  private *layersTask(m: Model, requestId: number, n: number, seed: number): Generator<void, void, void> {
    const edits = pickEdits(m.set, n, seed);
    const accuracyBefore = m.accuracy.all;
    this.expectSlow();
    yield;
    for (const step of compareLayerSteps(m.editor, edits, accuracyBefore)) {
      this.post(requestId, step.done === step.total && step.layers.length === m.trainer.shape.layers, { task: 'layers', ...step, edits: edits.length, accuracyBefore });
      yield;
    }
  }

  private *sequentialTask(m: Model, requestId: number, n: number, layer: number, seed: number): Generator<void, void, void> {
    this.checkEdit(m, { factId: 0, newObject: 1, layer });
    const edits = pickEdits(m.set, n, seed);
    this.expectSlow();
    yield;
    const gen = sequentialSteps(m.editor, edits, layer);
    try {
      for (;;) {
        const step = gen.next();
        this.post(requestId, !!step.done, { task: 'sequential', layer, accuracyBefore: m.accuracy.all, ...step.value });
        if (step.done) return;
        yield;
      }
    } finally {
      gen.return(undefined as never);
    }
  }
}
