// One induction-heads run (transformers.md §1): train on repeated random segments, evaluate on the fixed
// eval set every evalEvery steps, and return the run as its JSON record (version 1).

import { inductionShape, type InductionConfig } from './config';
import { evalSet, sampleBatch, trainingRng } from './data';
import { evaluate, finalEvaluation, type EvalSummary, type FinalEvaluation } from './evaluate';
import { HEAD_THRESHOLD, type Composition, type HeadScores } from './metrics';
import type { TransformerEngineName, TransformerShape, TransformerTrainer } from './model';
import type { TransformerTrainerOptions } from './trainerOptions';

export type TransformerTrainerFactory = (shape: TransformerShape, opts: TransformerTrainerOptions) => TransformerTrainer;

/** [step, firstCopyLoss, secondCopyLoss, max induction score in the last layer, max previous-token score in layer 0] */
export type CurvePoint = [number, number, number, number, number];

export interface InductionRecord {
  version: 1;
  kind: 'induction';
  config: InductionConfig;
  engine: TransformerEngineName;
  /** wall time of the whole run, evaluations included */
  seconds: number;
  /** training steps per second of training time (evaluations excluded) */
  stepsPerSecond: number;
  /** ln of the content vocabulary: the loss of a uniform guess */
  lnV: number;
  /** first evaluated step at which a last-layer head has induction score ≥ 0.4, else null */
  formedAtStep: number | null;
  final: {
    firstCopyLoss: number;
    secondCopyLoss: number;
    heads: HeadScores[];
    ablation: { layer: number; head: number; secondCopyLoss: number }[];
    ablateInduction: { heads: [number, number][]; secondCopyLoss: number | null };
    kComposition: number[][];
    // extras
    composition: Composition[];
    copying: number[][];
    lossByPosition: number[];
  };
  /** one point per evaluation, step 0 (the untrained model) first */
  curve: CurvePoint[];
  /** extra: the cliff in the second-copy loss (I-4), null if there is none */
  phaseChange: PhaseChange | null;
}

export interface PhaseChange {
  fromStep: number;
  toStep: number;
  /** second-copy loss lost between the two steps (nats) */
  lossDrop: number;
  /** rise of the last layer's best induction score over the same steps */
  inductionRise: number;
  /** mean loss decrease per step before the window (the plateau) and inside it (the cliff) */
  plateauRate: number;
  cliffRate: number;
}

/**
 * The earliest-ending window of the curve in which the second-copy loss falls by at least half of ln V
 * within at most a fifth of the steps run so far (transformers.md I-4), narrowed to its latest start.
 */
export function findPhaseChange(curve: readonly CurvePoint[], lnV: number): PhaseChange | null {
  for (let b = 1; b < curve.length; b++) {
    const [toStep, , lossB, inductionB] = curve[b];
    for (let a = b - 1; a >= 0; a--) {
      const [fromStep, , lossA, inductionA] = curve[a];
      if (toStep - fromStep > 0.2 * toStep) break;
      if (lossA - lossB < 0.5 * lnV) continue;
      const [step0, , loss0] = curve[0];
      return {
        fromStep,
        toStep,
        lossDrop: round(lossA - lossB),
        inductionRise: round(inductionB - inductionA),
        plateauRate: fromStep > step0 ? round((loss0 - lossA) / (fromStep - step0), 6) : 0,
        cliffRate: round((lossA - lossB) / (toStep - fromStep), 6),
      };
    }
  }
  return null;
}

export interface InductionProgress {
  step: number;
  total: number;
  /** training loss of this step */
  loss: number;
  stepsPerSecond: number;
  /** the latest evaluation */
  latest: CurvePoint;
}

export interface InductionRunOptions {
  onProgress?: (p: InductionProgress) => void;
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** The curve's point for an evaluation at `step` (rounded as the record stores it). */
export function curvePoint(step: number, e: EvalSummary, layers: number): CurvePoint {
  const best = (layer: number, score: (h: HeadScores) => number) => Math.max(...e.heads.filter((h) => h.layer === layer).map(score));
  return [step, round(e.firstCopyLoss), round(e.secondCopyLoss), round(best(layers - 1, (h) => h.induction)), round(best(0, (h) => h.prevToken))];
}

function roundFinal(f: FinalEvaluation): InductionRecord['final'] {
  const grid = (m: number[][]) => m.map((row) => row.map((x) => round(x)));
  return {
    firstCopyLoss: round(f.firstCopyLoss),
    secondCopyLoss: round(f.secondCopyLoss),
    heads: f.heads.map((h) => ({ layer: h.layer, head: h.head, induction: round(h.induction), prevToken: round(h.prevToken), currentToken: round(h.currentToken), bos: round(h.bos) })),
    ablation: f.ablation.map((a) => ({ ...a, secondCopyLoss: round(a.secondCopyLoss) })),
    ablateInduction: { heads: f.ablateInduction.heads, secondCopyLoss: f.ablateInduction.secondCopyLoss === null ? null : round(f.ablateInduction.secondCopyLoss) },
    kComposition: grid(f.kComposition),
    composition: f.composition.map((c) => ({ ...c, k: grid(c.k), q: grid(c.q), v: grid(c.v) })),
    copying: grid(f.copying),
    lossByPosition: f.lossByPosition.map((x) => round(x)),
  };
}

/** Train a model for a validated config with the given engine factory and return its record. */
export function runInduction(config: InductionConfig, createTrainer: TransformerTrainerFactory, { onProgress }: InductionRunOptions = {}): InductionRecord {
  const t0 = performance.now();
  const trainer = createTrainer(inductionShape(config), { seed: config.seed, lr: config.lr, weightDecay: config.weightDecay });
  try {
    const { layers, batch: B, ctx: T, steps, evalEvery } = config;
    const spec = { vocab: config.vocab, ctx: T, repeat: config.repeat };
    const rng = trainingRng(config.seed);
    const tokens = new Int32Array(B * T);
    const set = evalSet(config.vocab, T);
    let latest = evaluate(trainer, set);
    const curve: CurvePoint[] = [curvePoint(0, latest, layers)];
    let formedAtStep: number | null = null;
    let trainMs = 0;
    for (let step = 1; step <= steps; step++) {
      sampleBatch(spec, rng, B, tokens);
      const s0 = performance.now();
      const loss = trainer.trainStep(tokens, B);
      trainMs += performance.now() - s0;
      if (step % evalEvery === 0 || step === steps) {
        latest = evaluate(trainer, set);
        curve.push(curvePoint(step, latest, layers));
        const maxInduction = curve[curve.length - 1][3];
        if (formedAtStep === null && maxInduction >= HEAD_THRESHOLD) formedAtStep = step;
      }
      onProgress?.({ step, total: steps, loss, stepsPerSecond: (1000 * step) / trainMs, latest: curve[curve.length - 1] });
    }
    const final = finalEvaluation(trainer, set, latest);
    return buildInductionRecord({ config, engine: trainer.engine, seconds: (performance.now() - t0) / 1000, steps, trainMs, formedAtStep, final, curve });
  } finally {
    trainer.dispose();
  }
}

export interface RecordParts {
  config: InductionConfig;
  engine: TransformerEngineName;
  /** wall time so far */
  seconds: number;
  /** steps trained and their training time (evaluations excluded) */
  steps: number;
  trainMs: number;
  formedAtStep: number | null;
  final: FinalEvaluation;
  curve: CurvePoint[];
}

/** The run record (version 1) from a run's parts: the CLI's JSON, and the page's export of a run in progress or done. */
export function buildInductionRecord(p: RecordParts): InductionRecord {
  return {
    version: 1,
    kind: 'induction',
    config: { ...p.config },
    engine: p.engine,
    seconds: round(p.seconds, 2),
    stepsPerSecond: p.trainMs > 0 ? round((1000 * p.steps) / p.trainMs, 1) : 0,
    lnV: round(Math.log(p.config.vocab)),
    formedAtStep: p.formedAtStep,
    final: roundFinal(p.final),
    curve: p.curve.map((c) => [...c] as CurvePoint),
    phaseChange: findPhaseChange(p.curve, Math.log(p.config.vocab)),
  };
}
