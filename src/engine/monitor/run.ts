// A whole "Monitor & ablate" run, in chunks: train the base (the privileged-basis toy model on the lab's
// toy trainer, or the induction transformer), then (toy) an SAE on its hidden activations with the lab's
// SAE engine, then analyse each target feature. The worker's session advances it between yields; the CLI
// and the tests run it to the end. `monitorRecord` is the CLI's JSON (issue 14).

import { DEFAULT_SAE_CONFIG, type SaeConfig } from '../sae/config';
import { toyModelSource } from '../sae/activations';
import { createSaeTrainer } from '../sae/engine';
import type { SaeEngine } from '../sae/core';
import { createRng, type Rng } from '../shared/rng';
import { featureImportance, instanceImportance, instanceSparsities, validateConfig, type LabConfig } from '../toy/config';
import { createTrainer } from '../toy/createTrainer';
import type { Trainer } from '../toy/trainer';
import { DEFAULT_INDUCTION_CONFIG, inductionShape, type InductionConfig } from '../transformer/config';
import { sampleBatch as sampleTokens, trainingRng } from '../transformer/data';
import { createTransformerTrainer } from '../transformer/index';
import type { TransformerTrainer } from '../transformer/model';
import { baseSteps, givenBaseError, type GivenToyBase, type MonitorConfig } from './config';
import type { Probe } from './detect';
import { analyseInduction, type InductionAnalysis } from './induction';
import { analyseFeature, evaluationSet, monosemanticity, trainProbe, type FeatureResult, type ToyBase, type ToyEvaluation, type ToySae } from './toy';

/** Fresh inputs the detectors and ablations are measured on, and those each probe is fitted on. */
export const EVAL_INPUTS = 50_000;
export const PROBE_INPUTS = 20_000;
/** Sequences (half repeating) the induction detectors are measured on. */
export const INDUCTION_SEQUENCES = 512;

export type MonitorPhase = 'base' | 'sae' | 'analyse' | 'done';

export { GIVEN_MODELS, givenBaseError, type GivenToyBase } from './config';

/** The toy base's training config: the tied ReLU-hidden (privileged-basis) storage model, one instance. */
export function toyLabConfig(c: MonitorConfig): LabConfig {
  const r = validateConfig({ model: 'relu-hidden-tied', n: c.n, m: c.m, instances: 1, sparsity: c.sparsity, importanceDecay: c.importanceDecay, steps: baseSteps(c), seed: c.seed });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
}

/** The SAE's config: the lab's defaults (Adam 1e-3, batch 1024, resampling) with the run's latents, λ, steps and seed. */
export function monitorSaeConfig(c: MonitorConfig): SaeConfig {
  return { ...DEFAULT_SAE_CONFIG, data: 'toy', dictSize: c.saeLatents, l1: c.l1, l1Range: null, saeInstances: 1, saeSteps: c.saeSteps, saeSeed: c.seed };
}

export function inductionBaseConfig(c: MonitorConfig): InductionConfig {
  return { ...DEFAULT_INDUCTION_CONFIG, seed: c.seed, steps: baseSteps(c) };
}

export interface SaeSummary {
  L: number;
  /** latents dead at the end */
  dead: number;
  resampled: number;
  /** mean active latents per input, reconstruction MSE and MMCS to the represented features (last chunk) */
  l0: number;
  reconstruction: number;
  mmcs: number;
}

export interface MonitorResult {
  config: MonitorConfig;
  seconds: number;
  /** toy base (null for the induction base) */
  toy: { base: ToyBase; loss: number; monosemanticity: number[]; sae: ToySae; saeSummary: SaeSummary; probes: { target: number; probe: Probe }[] } | null;
  features: FeatureResult[];
  induction: InductionAnalysis | null;
}

export interface MonitorProgress {
  phase: MonitorPhase;
  /** steps (or features) done in this phase and its total */
  done: number;
  total: number;
}

/** The run, advanced chunk by chunk. Owns its trainers: call dispose() (done() does it too). */
export class MonitorRun {
  readonly config: MonitorConfig;
  phase: MonitorPhase;
  private readonly t0 = performance.now();
  private readonly rng: Rng;
  private toyTrainer: Trainer | null = null;
  private saeTrainer: SaeEngine | null = null;
  private transformer: TransformerTrainer | null = null;
  private tokenRng: Rng | null = null;
  private tokens: Int32Array<ArrayBuffer> | null = null;
  private base: ToyBase | null = null;
  private baseLoss = NaN;
  private sae: ToySae | null = null;
  private saeSummary: SaeSummary | null = null;
  private evalSet: ToyEvaluation | null = null;
  private targets: number[] = [];
  private readonly features: FeatureResult[] = [];
  private readonly probes: { target: number; probe: Probe }[] = [];
  private inductionResult: InductionAnalysis | null = null;
  private resultCache: MonitorResult | null = null;

  constructor(config: MonitorConfig, given: GivenToyBase | null = null) {
    this.config = config;
    this.rng = createRng(config.seed).fork(1414);
    this.phase = 'base';
    if (config.base === 'lab') {
      const problem = givenBaseError(given);
      if (problem) throw new Error(problem);
      const g = given!;
      const { n, m } = g.lab;
      const sparsity = instanceSparsities(g.lab)[g.instance];
      this.base = {
        n, m, W: g.W.slice(), b: g.b.slice(), importance: Float32Array.from(instanceImportance(g.lab)[g.instance]), sparsity,
        hiddenRelu: g.lab.model === 'relu-hidden-tied', outputRelu: g.lab.model !== 'linear',
      };
      this.targets = config.target !== null && config.target < n ? [config.target] : Array.from({ length: n }, (_, i) => i);
      const source = toyModelSource(g.lab, g.instance, this.base.W, createRng(config.seed).fork(13));
      this.saeTrainer = createSaeTrainer(monitorSaeConfig(config), source, 'auto');
      this.phase = 'sae';
    } else if (config.base === 'toy') {
      this.toyTrainer = createTrainer(toyLabConfig(config), 'auto');
      this.targets = config.target === null ? Array.from({ length: config.n }, (_, i) => i) : [config.target];
    } else {
      const ic = inductionBaseConfig(config);
      this.transformer = createTransformerTrainer(inductionShape(ic), { seed: ic.seed, lr: ic.lr, weightDecay: ic.weightDecay });
      this.tokenRng = trainingRng(ic.seed);
      this.tokens = new Int32Array(ic.batch * ic.ctx);
    }
  }

  progress(): MonitorProgress {
    switch (this.phase) {
      case 'base':
        return { phase: 'base', done: this.toyTrainer?.stepsDone ?? this.transformer?.stepsDone ?? 0, total: baseSteps(this.config) };
      case 'sae':
        return { phase: 'sae', done: this.saeTrainer?.stepsDone ?? 0, total: this.config.saeSteps };
      case 'analyse':
        return { phase: 'analyse', done: this.features.length, total: this.config.base === 'induction' ? 1 : this.targets.length };
      case 'done':
        return { phase: 'done', done: 1, total: 1 };
    }
  }

  /** Advance by up to `k` training steps, or one analysis unit (one target feature); returns the phase after. */
  advance(k: number): MonitorPhase {
    const c = this.config;
    if (this.phase === 'base' && this.toyTrainer) {
      const t = this.toyTrainer;
      const losses = t.step(Math.max(1, Math.min(k, baseSteps(c) - t.stepsDone)));
      if (t.stepsDone >= baseSteps(c)) {
        const s = t.snapshot();
        this.baseLoss = losses[0];
        this.base = { n: c.n, m: c.m, W: s.W.slice(0, c.m * c.n), b: s.b.slice(0, c.n), importance: Float32Array.from(featureImportance(c)), sparsity: c.sparsity };
        t.dispose();
        this.toyTrainer = null;
        const source = toyModelSource(toyLabConfig(c), 0, this.base.W, createRng(c.seed).fork(13));
        this.saeTrainer = createSaeTrainer(monitorSaeConfig(c), source, 'auto');
        this.phase = 'sae';
      }
    } else if (this.phase === 'base' && this.transformer) {
      const ic = inductionBaseConfig(c);
      const tr = this.transformer;
      const end = Math.min(ic.steps, tr.stepsDone + Math.max(1, k));
      while (tr.stepsDone < end) {
        sampleTokens({ vocab: ic.vocab, ctx: ic.ctx, repeat: ic.repeat }, this.tokenRng!, ic.batch, this.tokens!);
        tr.trainStep(this.tokens!, ic.batch);
      }
      if (tr.stepsDone >= ic.steps) this.phase = 'analyse';
    } else if (this.phase === 'sae') {
      const st = this.saeTrainer!;
      const stats = st.step(Math.max(1, Math.min(k, c.saeSteps - st.stepsDone)));
      if (st.stepsDone >= c.saeSteps) {
        const s = st.snapshot();
        const { L, dIn } = s;
        this.sae = { L, dIn, Wenc: s.Wenc.slice(0, L * dIn), benc: s.benc.slice(0, L), Wdec: s.Wdec.slice(0, dIn * L), bdec: s.bdec.slice(0, dIn), dead: s.dead.slice(0, L) };
        this.saeSummary = { L, dead: this.sae.dead.reduce((a, d) => a + d, 0), resampled: s.resampled[0], l0: stats[0].l0, reconstruction: stats[0].reconstruction, mmcs: stats[0].mmcs };
        st.dispose();
        this.saeTrainer = null;
        this.evalSet = evaluationSet(this.base!, this.sae, EVAL_INPUTS, this.rng.fork(1));
        this.phase = 'analyse';
      }
    } else if (this.phase === 'analyse') {
      if (this.config.base !== 'induction') {
        const t = this.targets[this.features.length];
        const probe = trainProbe(this.base!, t, PROBE_INPUTS, this.rng.fork(100 + t));
        this.probes.push({ target: t, probe });
        this.features.push(analyseFeature(this.base!, this.sae!, this.evalSet!, t, probe));
        if (this.features.length === this.targets.length) this.finish();
      } else {
        this.inductionResult = analyseInduction(this.transformer!, DEFAULT_INDUCTION_CONFIG.vocab, this.rng.fork(2), INDUCTION_SEQUENCES);
        this.finish();
      }
    }
    return this.phase;
  }

  private finish(): void {
    this.phase = 'done';
    this.evalSet = null;
    this.resultCache = {
      config: this.config,
      seconds: (performance.now() - this.t0) / 1000,
      toy: this.base && this.sae && this.saeSummary
        ? { base: this.base, loss: this.baseLoss, monosemanticity: monosemanticity(this.base.W, this.base.m, this.base.n), sae: this.sae, saeSummary: this.saeSummary, probes: this.probes }
        : null,
      features: this.features,
      induction: this.inductionResult,
    };
  }

  /** The trained transformer (induction base), kept until dispose() for the live monitor's sequences. */
  get inductionModel(): TransformerTrainer | null {
    return this.transformer;
  }

  result(): MonitorResult | null {
    return this.resultCache;
  }

  dispose(): void {
    this.toyTrainer?.dispose();
    this.saeTrainer?.dispose();
    this.transformer?.dispose();
    this.toyTrainer = this.saeTrainer = this.transformer = null;
  }
}

/** Run to the end (the CLI and tests). */
export function runMonitor(config: MonitorConfig, onProgress?: (p: MonitorProgress) => void): MonitorResult {
  const run = new MonitorRun(config);
  try {
    while (run.phase !== 'done') {
      run.advance(500);
      onProgress?.(run.progress());
    }
    return run.result()!;
  } finally {
    run.dispose();
  }
}

// ---- the CLI's JSON (issue 14) ----

const round = (x: number, digits = 4): number | null => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);

export interface MonitorRecord {
  version: 1;
  kind: 'monitor';
  config: MonitorConfig;
  seconds: number | null;
  base: { model: 'privileged-basis' | 'induction' | 'lab'; n: number | null; m: number | null; monosemanticity: (number | null)[] };
  features: {
    target: number;
    represented: boolean;
    detectors: {
      neuron: { index: number; auroc: number | null; falseAlarms: number | null };
      sae: { index: number; auroc: number | null; falseAlarms: number | null };
      probe: { auroc: number | null; falseAlarms: number | null };
    };
    ablations: Record<'neuron' | 'sae' | 'direction', { removed: number | null; collateral: number | null }>;
  }[];
  /** induction base only */
  induction?: {
    detectors: Record<'induction' | 'prevToken', { layer: number; head: number; auroc: number | null; falseAlarms: number | null }>;
    ablation: { heads: [number, number][]; removed: number | null; collateral: number | null };
  };
}

export function monitorRecord(r: MonitorResult): MonitorRecord {
  const c = r.config;
  const record: MonitorRecord = {
    version: 1,
    kind: 'monitor',
    config: { ...c },
    seconds: round(r.seconds, 2),
    base: r.toy
      ? { model: c.base === 'lab' ? 'lab' : 'privileged-basis', n: r.toy.base.n, m: r.toy.base.m, monosemanticity: r.toy.monosemanticity.map((x) => round(x)) }
      : { model: 'induction', n: null, m: null, monosemanticity: [] },
    features: r.features.map((f) => ({
      target: f.target,
      represented: f.represented,
      detectors: {
        neuron: { index: f.detectors.neuron.index, auroc: round(f.detectors.neuron.auroc), falseAlarms: round(f.detectors.neuron.falseAlarms) },
        sae: { index: f.detectors.sae.index, auroc: round(f.detectors.sae.auroc), falseAlarms: round(f.detectors.sae.falseAlarms) },
        probe: { auroc: round(f.detectors.probe.auroc), falseAlarms: round(f.detectors.probe.falseAlarms) },
      },
      ablations: {
        neuron: { removed: round(f.ablations.neuron.removed), collateral: round(f.ablations.neuron.collateral) },
        sae: { removed: round(f.ablations.sae.removed), collateral: round(f.ablations.sae.collateral) },
        direction: { removed: round(f.ablations.direction.removed), collateral: round(f.ablations.direction.collateral) },
      },
    })),
  };
  if (r.induction) {
    const d = r.induction.detectors;
    const det = (x: typeof d.induction) => ({ layer: x.layer, head: x.head, auroc: round(x.auroc), falseAlarms: round(x.falseAlarms) });
    record.induction = {
      detectors: { induction: det(d.induction), prevToken: det(d.prevToken) },
      ablation: { heads: r.induction.ablatedHeads, removed: round(r.induction.ablation.removed), collateral: round(r.induction.ablation.collateral) },
    };
  }
  return record;
}
