// Named starting points, one per figure of the paper or teaching moment. Each is a partial
// config over the defaults (the current seed is kept unless the preset sets one), and may
// switch the view. The menu, the 1–9 keys and the URL round-trip tests read this list.

import type { LabConfig } from '../engine/toy/config.ts';

export interface Preset {
  id: string;
  label: string;
  /** one line: what to look for */
  hint: string;
  config: Partial<LabConfig>;
  /** a view id (ui/views/registry.ts) to switch to; default: stay in the current view */
  view?: string;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'pentagon',
    label: 'Pentagon (5 features, 2 dims)',
    hint: 'At sparsity 0.95 the five features share two dimensions as a regular pentagon, 2/5 of a dimension each.',
    config: { n: 5, m: 2, instances: 1, sparsity: 0.95, sparsityRange: null, importanceDecay: 0.9, model: 'relu-output', seed: 1 },
  },
  {
    id: 'dense',
    label: 'Dense data = PCA',
    hint: 'With every feature always on, only the two most important features get a dimension: the model does PCA.',
    config: { n: 5, m: 2, instances: 1, sparsity: 0, sparsityRange: null, importanceDecay: 0.9, model: 'relu-output' },
  },
  {
    id: 'sweep',
    label: 'Sparsity sweep (6 instances)',
    hint: 'From dense (left) to sparse (right): two dedicated features, then more features squeezing in, then a pentagon.',
    config: { n: 5, m: 2, instances: 6, sparsity: 0.95, sparsityRange: [0, 0.99], importanceDecay: 0.9, model: 'relu-output' },
  },
  {
    id: 'linear',
    label: 'Linear model (sparse)',
    hint: 'Without the ReLU the model cannot filter out interference: even with sparse data it keeps the top m features, like PCA.',
    config: { n: 5, m: 2, instances: 1, sparsity: 0.95, sparsityRange: null, importanceDecay: 0.9, model: 'linear' },
  },
  {
    id: 'antipodal',
    label: 'Antipodal pairs (4 features, 2 dims)',
    hint: 'Four equally important features in two dimensions: two pairs pointing opposite ways, half a dimension each.',
    config: { n: 4, m: 2, instances: 1, sparsity: 0.9, sparsityRange: null, importanceDecay: 1, model: 'relu-output' },
  },
  {
    id: 'local-minimum',
    label: 'A local minimum (seed 0)',
    hint: 'The pentagon config with seed 0 gets stuck with antipodal pairs and a dropped feature; about one seed in three does.',
    config: { n: 5, m: 2, instances: 1, sparsity: 0.95, sparsityRange: null, importanceDecay: 0.9, model: 'relu-output', seed: 0 },
  },
  {
    id: 'three-d',
    label: '3-D: 6 features in 3 dims',
    hint: 'Drag the picture to rotate it: six equally important features form three antipodal pairs on three axes (an octahedron).',
    config: { n: 6, m: 3, instances: 1, sparsity: 0.9, sparsityRange: null, importanceDecay: 1, model: 'relu-output' },
  },
  {
    id: 'correlated',
    label: 'Correlated features',
    hint: 'Features 1+2 and 3+4 always fire together: correlated features are kept orthogonal and pair up antipodally with the other set.',
    config: { n: 4, m: 2, instances: 5, correlatedSets: 2, setSize: 2, sparsity: 0.99, sparsityRange: [0.95, 0.9975], importanceDecay: 1, model: 'relu-output' },
  },
  {
    id: 'anticorrelated',
    label: 'Anticorrelated features',
    hint: 'Features 1, 2 (and 3, 4) never fire together, so they can point opposite ways at no cost; some instances stop at a local minimum with them orthogonal.',
    config: { n: 4, m: 2, instances: 3, anticorrelatedSets: 2, setSize: 2, sparsity: 0.9, sparsityRange: [0.5, 0.9], importanceDecay: 1, model: 'relu-output', seed: 2 },
  },
  {
    id: 'abs',
    label: 'Computing |x| (ReLU hidden layer)',
    hint: 'The model computes y = |x| through 5 ReLU neurons: with dense data a few features get neurons of their own; sparse data lets more features share them.',
    config: { n: 10, m: 5, instances: 4, sparsity: 0.9, sparsityRange: [0, 0.97], importanceDecay: 0.8, model: 'relu-hidden' },
  },
  {
    id: 'privileged',
    label: 'Privileged basis (ReLU hidden layer)',
    hint: 'x′ = ReLU(Wᵀ ReLU(Wx) + b): the hidden ReLU makes each neuron meaningful. Dense data gives one feature per neuron; sparse data, neurons shared by several features.',
    config: { n: 10, m: 5, instances: 4, sparsity: 0.9, sparsityRange: [0.25, 0.99], importanceDecay: 0.75, model: 'relu-hidden-tied' },
  },
  {
    id: 'paper-fig',
    label: 'Paper figure: 20 features, 5 dims',
    hint: 'The paper\'s sweep S = 0 … 0.999 with importance 0.7ⁱ: more and more features are represented, and superposed, as sparsity grows.',
    config: { n: 20, m: 5, instances: 7, sparsity: 0.99, sparsityRange: [0, 0.999], importanceDecay: 0.7, model: 'relu-output' },
  },
  // Figures with views of their own (they bring their own controls; the lab's settings stay as they are).
  {
    id: 'figure-sweep',
    label: 'Figure: linear vs ReLU across sparsity',
    hint: 'The paper\'s basic result side by side: the linear model keeps m features at every sparsity; the ReLU model superposes more and more.',
    config: {},
    view: 'sweep',
  },
  {
    id: 'figure-dimensionality',
    label: 'Figure: dimensions per feature',
    hint: 'Many features in few dimensions: dimensions per feature stick at 1/2, and features sit on the fractions of uniform polytopes.',
    config: {},
    view: 'dimensionality',
  },
  {
    id: 'figure-phase',
    label: 'Figure: phase diagrams',
    hint: 'One extra feature, by its importance and density: dropped, given its own dimension, or put in superposition.',
    config: {},
    view: 'phase',
  },
  {
    id: 'figure-correlated',
    label: 'Figure: correlated and anticorrelated sets',
    hint: 'Features that fire together end up orthogonal; features that never do share a direction, pointing opposite ways.',
    config: {},
    view: 'correlated',
  },
  {
    id: 'figure-computation',
    label: 'Figure: computing |x| in superposition',
    hint: 'A ReLU hidden layer computing |x|: monosemantic neurons when the data is dense, polysemantic ones when it is sparse.',
    config: {},
    view: 'computation',
  },
  {
    id: 'figure-dynamics',
    label: 'Figure: learning dynamics',
    hint: 'Replay a training run: features jump between the sticky fractions, and the loss drops when they do.',
    config: {},
    view: 'dynamics',
  },
];

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
