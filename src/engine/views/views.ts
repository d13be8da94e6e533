// The lab's views of the paper's results: for each, the runs it trains (preset configs) and the
// analysis that turns a run's parameters into the numbers its panels show. Pure and tfjs-free:
// the page, the CLI (--view), the benches and the tests all read the same definitions.

import { DEFAULT_CONFIG, validateConfig, type LabConfig } from '../toy/config';
import { dimensionalityAnalysis, type DimensionalityResult } from './analysis/dimensionality';
import { dynamicsAnalysis, type DynamicsResult } from './analysis/dynamics';
import { featureSetAngles, type FeatureSetResult } from './analysis/featureSets';
import { neuronAnalysis, type NeuronResult } from './analysis/neurons';
import { phaseGrid, type PhaseGridResult } from './analysis/phaseGrid';
import { sweepSummary, type SweepResult } from './analysis/sweep';
import type { Frame, ViewSnapshot } from './analysis/viewSnapshot';
import type { EngineName } from '../toy/trainer';
import type { ValidateOptions } from '../shared/fields';
import { gridPreset, phaseViewConfig } from '../grid/presets';

export type { Frame, ViewSnapshot } from './analysis/viewSnapshot';

export type AnalysisKind = 'sweep' | 'dimensionality' | 'phase' | 'feature-sets' | 'neurons' | 'dynamics';

export interface RecordSpec {
  /** keep the parameters every this many steps */
  every: number;
  /** at most this many frames */
  max: number;
}

export interface ViewRunSpec {
  /** unique across views; `npm run lab -- --view <id>` runs just this one */
  id: string;
  label: string;
  /** over DEFAULT_CONFIG */
  config: Partial<LabConfig>;
  analysis: AnalysisKind;
  /** train the whole run this many times with seeds seed, seed+1, …; analyses combine them (phase grids keep the lowest loss per cell) */
  passes?: number;
  /** keep snapshots during training (learning dynamics) */
  record?: RecordSpec;
  /** which trainer to build (default: the engine's own choice) */
  engine?: EngineName;
}

export interface ViewSpec {
  id: string;
  title: string;
  /** one line */
  description: string;
  runs: readonly ViewRunSpec[];
}

export const VIEW_SPECS: readonly ViewSpec[] = [
  {
    id: 'sweep',
    title: 'Sparsity sweep',
    description: 'The paper’s basic result: linear and ReLU-output models side by side, dense to very sparse.',
    runs: [
      // n=20, m=5, I=0.7^i; densities 1 → 0.001 log-spaced over 7 instances give S ≈ 0, 0.68, 0.9, 0.97, 0.99, 0.997, 0.999 (the paper's figure).
      // 3000 steps: represented/superposed per instance are the same as after 10 000 (ReLU 5/0 6/2 9/8 10/10 10/10 12/12 14/14,
      // linear 5/0 throughout; measured, seed 1) and settle by step 2000, where early stopping ends the pass.
      { id: 'sweep-relu', label: 'ReLU output', analysis: 'sweep', config: { model: 'relu-output', n: 20, m: 5, instances: 7, sparsityRange: [0, 0.999], importanceDecay: 0.7, steps: 3000 } },
      { id: 'sweep-linear', label: 'Linear', analysis: 'sweep', config: { model: 'linear', n: 20, m: 5, instances: 7, sparsityRange: [0, 0.999], importanceDecay: 0.7, steps: 3000 } },
    ],
  },
  {
    id: 'dimensionality',
    title: 'Dimensionality',
    description: 'Dimensions per feature against 1/(1−S): the plateau at 1/2, and every feature on its sticky fraction.',
    runs: [
      // The colab's n=200, m=20 costs ~170 ms a step here (28 min for 10k steps); n=50, m=5 keeps n/m = 10 at an
      // eighth of the work of n=100, m=10 (74 s), and batch 256 with lr 3e-3 settles in ~1500 steps (measured, seed 1:
      // dims per feature 1.02 dense → 0.18 at S = 0.95, three models on the 1/2 plateau over 1/(1−S) = 2.7–4.1, 36 digon features).
      { id: 'dimensionality', label: 'n = 50, m = 5', analysis: 'dimensionality', config: { n: 50, m: 5, instances: 16, sparsityRange: [0, 0.95], importanceDecay: 1, steps: 2000, batch: 256, lr: 3e-3 } },
    ],
  },
  {
    id: 'phase',
    title: 'Phase diagrams',
    description: 'What happens to an extra feature, by its importance and the density: not represented, its own dimension, or superposition.',
    runs: [
      // Presets of the grid (engine/grid/presets.ts): 20×20, three passes (seeds s, s+1, s+2), best per cell. lr 1e-1
      // for 150 steps: 380/400 cells agree with theory (was 374/400 with lr 1e-2 × 1000) at under a sixth of the work.
      // The fused trainer is forced: 'auto' estimates TF.js faster for 400 tiny instances at batch 512, but it
      // measured 5× slower (3.7 s vs 0.7 s per 200 steps).
      { id: 'phase-n2m1', label: 'n = 2, m = 1', analysis: 'phase', passes: gridPreset('phase-n2m1').restarts, engine: 'fused', config: phaseViewConfig(gridPreset('phase-n2m1')) },
      { id: 'phase-n3m2', label: 'n = 3, m = 2', analysis: 'phase', passes: gridPreset('phase-n3m2').restarts, engine: 'fused', config: phaseViewConfig(gridPreset('phase-n3m2')) },
    ],
  },
  {
    id: 'correlated',
    title: 'Correlated features',
    description: 'Features that fire together become orthogonal; features that never fire together share a direction, antipodally.',
    runs: [
      // ARENA's densities 400^−linspace(0.5, 1, 5): 5% → 0.25%. 3000 steps (measured, seed 1: correlated pairs at 86–90°,
      // anticorrelated at 180°, as after 5000).
      { id: 'correlated', label: '2 correlated pairs', analysis: 'feature-sets', config: { n: 4, m: 2, instances: 5, sparsityRange: [0.95, 0.9975], importanceDecay: 1, correlatedSets: 2, setSize: 2, steps: 3000 } },
      // Denser data: at the sparse end any pairing costs almost nothing and the model keeps whichever pairing it starts near.
      { id: 'anticorrelated', label: '2 anticorrelated pairs', analysis: 'feature-sets', config: { n: 4, m: 2, instances: 5, sparsityRange: [0, 0.5], importanceDecay: 1, anticorrelatedSets: 2, setSize: 2, steps: 3000 } },
    ],
  },
  {
    id: 'computation',
    title: 'Computation',
    description: 'ReLU hidden layers give neurons a privileged basis: they read one feature when data is dense and several when it is sparse, both computing |x| and storing x.',
    runs: [
      // §5.5, ARENA 3.0's privileged-basis sweep with the TIED storage model (§1.3): n=10, m=5, K=7, I=0.75^i,
      // p = 0.75 → 0.01 log-spaced (0.75, 0.37, 0.18, 0.087, 0.042, 0.021, 0.01 for ARENA's 0.75, 0.35, 0.15, 0.1,
      // 0.06, 0.02, 0.01). The fused trainer covers the tied model; batch 128 with lr 3e-3 for 4000 steps (a twentieth
      // of the work of batch 1024, lr 1e-3, 10 000 steps; measured, seed 1: 5/5 monosemantic at p = 0.75 on features
      // 0–4, 2/5 at 0.37, 0/5 from 0.18 on with 5.6–7.8 features per neuron). No early stopping: saddles (earlyStop.ts).
      { id: 'privileged-basis', label: 'privileged basis, n = 10, m = 5', analysis: 'neurons', config: { model: 'relu-hidden-tied', n: 10, m: 5, instances: 7, sparsityRange: [0.25, 0.99], importanceDecay: 0.75, steps: 4000, batch: 128, lr: 3e-3 } },
      // A6: the same tied model with five features, five neurons, dense data: every neuron monosemantic. It leaves a
      // saddle late (10k steps at batch 1024, lr 1e-3; 3000 at lr 1e-2 is not enough). 15k steps at batch 128 are a fifth
      // of that work (measured, seed 1: every neuron's top feature carries ≥ 0.999 of its Σw²; 10k at batch 128: 0.90–0.998).
      { id: 'monosemantic', label: 'n = 5, m = 5, dense', analysis: 'neurons', config: { model: 'relu-hidden-tied', n: 5, m: 5, instances: 1, sparsity: 0, sparsityRange: null, importanceDecay: 0.75, steps: 15_000, batch: 128 } },
      // §5.6: the untied |x| model (§1.4); 2000 steps at batch 256 (measured, seed 1: 90% monosemantic at S = 0, 0% from S = 0.94 on,
      // 1.2 → 5.1 features per neuron; 5000 steps at 1024 gave the same picture at 10× the work)
      { id: 'abs-sweep', label: '|x|, n = 20, m = 10', analysis: 'neurons', config: { model: 'relu-hidden', n: 20, m: 10, instances: 6, sparsityRange: [0, 0.99], importanceDecay: 0.8, steps: 2000, batch: 256 } },
    ],
  },
  {
    id: 'dynamics',
    title: 'Learning dynamics',
    description: 'Replay a training run: features jump between sticky fractions, and the loss drops when they do.',
    runs: [
      // The pentagon (seed 1): two antipodal pairs first (a plateau of the loss), then the jump to a pentagon.
      { id: 'dynamics', label: 'n = 5, m = 2, S = 0.95', analysis: 'dynamics', record: { every: 25, max: 400 }, config: { n: 5, m: 2, instances: 1, sparsity: 0.95, sparsityRange: null, importanceDecay: 0.9, steps: 5000 } },
    ],
  },
];

/** Bump when a change to training or to an analysis changes what a view's pass produces: cached results (state/viewCache.ts) of older code are then not used. */
export const VIEW_CODE_VERSION = 2;

export type ViewAnalysis =
  | { kind: 'sweep'; result: SweepResult }
  | { kind: 'dimensionality'; result: DimensionalityResult }
  | { kind: 'phase'; result: PhaseGridResult }
  | { kind: 'feature-sets'; result: FeatureSetResult }
  | { kind: 'neurons'; result: NeuronResult }
  | { kind: 'dynamics'; result: DynamicsResult };

export function findViewSpec(id: string): ViewSpec | undefined {
  return VIEW_SPECS.find((v) => v.id === id);
}

export function findRunSpec(id: string): { view: ViewSpec; run: ViewRunSpec } | undefined {
  for (const view of VIEW_SPECS) {
    const run = view.runs.find((r) => r.id === id);
    if (run) return { view, run };
  }
  return undefined;
}

/** Every id `--view` accepts: view ids and run ids. */
export function viewTargets(): string[] {
  return [...VIEW_SPECS.map((v) => v.id), ...VIEW_SPECS.flatMap((v) => (v.runs.length > 1 ? v.runs.map((r) => r.id) : []))];
}

/** The runs a view id or a run id stands for. */
export function runsOf(target: string): ViewRunSpec[] {
  const view = findViewSpec(target);
  if (view) return [...view.runs];
  const run = findRunSpec(target);
  return run ? [run.run] : [];
}

/** The validated config of a run (with overrides, e.g. a seed, applied the same way as any input). */
export function runConfig(run: ViewRunSpec, overrides: Partial<LabConfig> = {}, pass = 0, opts: ValidateOptions = {}): { ok: true; config: LabConfig } | { ok: false; errors: string[] } {
  const merged = validateConfig({ ...run.config, ...overrides }, DEFAULT_CONFIG, opts);
  if (!merged.ok) return { ok: false, errors: merged.errors };
  return { ok: true, config: { ...merged.config, seed: (merged.config.seed + pass) >>> 0 } };
}

export const passesOf = (run: ViewRunSpec): number => run.passes ?? 1;

/**
 * Every problem of every run and pass of a view (or run) with `overrides` over its presets, before
 * any training: one line per distinct problem, naming the view and the runs it hits.
 */
export function viewClashes(target: string, overrides: Partial<LabConfig>, opts: ValidateOptions = {}): string[] {
  const byMessage = new Map<string, string[]>();
  for (const run of runsOf(target)) {
    for (let pass = 0; pass < passesOf(run); pass++) {
      const made = runConfig(run, overrides, pass, opts);
      if (made.ok) continue;
      for (const e of made.errors) {
        const ids = byMessage.get(e) ?? [];
        if (!ids.includes(run.id)) ids.push(run.id);
        byMessage.set(e, ids);
      }
    }
  }
  const flag = opts.naming === 'flag' ? '--view ' : 'view ';
  return [...byMessage].map(([e, ids]) => `${flag}${target} with its presets${ids.length === 1 && ids[0] === target ? '' : ` (run ${ids.join(', ')})`}: ${e}`);
}

/** Frames to keep for a run (every·max ≥ steps by stretching `every`). */
export function recordPlan(run: ViewRunSpec, config: LabConfig): RecordSpec | null {
  if (!run.record) return null;
  const every = Math.max(run.record.every, Math.ceil(config.steps / run.record.max));
  return { every, max: run.record.max };
}

/**
 * The numbers a run's panels show. `passes`: the final snapshot of every finished pass (the last
 * may also be the pass in progress); `frames`: recorded snapshots (dynamics only).
 */
export function analyzeRun(run: ViewRunSpec, config: LabConfig, passes: readonly ViewSnapshot[], frames: readonly Frame[] = []): ViewAnalysis | null {
  const last = passes[passes.length - 1];
  if (run.analysis === 'dynamics') return frames.length ? { kind: 'dynamics', result: dynamicsAnalysis(frames, config.m, config.n) } : null;
  if (!last) return null;
  switch (run.analysis) {
    case 'sweep':
      return { kind: 'sweep', result: sweepSummary(config, last) };
    case 'dimensionality':
      return { kind: 'dimensionality', result: dimensionalityAnalysis(config, last) };
    case 'phase':
      return { kind: 'phase', result: phaseGrid(config, passes) };
    case 'feature-sets':
      return { kind: 'feature-sets', result: featureSetAngles(config, last) };
    case 'neurons':
      return { kind: 'neurons', result: neuronAnalysis(config, last) };
  }
}

export * from './analysis/dimensionality';
export * from './analysis/dynamics';
export * from './analysis/featureSets';
export * from './analysis/neurons';
export * from './analysis/phaseGrid';
export * from './analysis/sweep';
export { expectedLoss } from './analysis/expectedLoss';
