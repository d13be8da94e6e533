// Named starting points, after the paper's figures. Each is a partial config over the defaults.

import type { LabConfig } from '../engine/config.ts';

export interface Preset {
  id: string;
  label: string;
  /** one line: what to look for */
  hint: string;
  config: Partial<LabConfig>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'pentagon',
    label: 'Pentagon (5 features, 2 dims)',
    hint: 'At sparsity 0.95 the five features share two dimensions as a regular pentagon.',
    config: { n: 5, m: 2, instances: 1, sparsity: 0.95, sparsityRange: null, importanceDecay: 0.9, model: 'relu-output', seed: 1 },
  },
  {
    id: 'sweep',
    label: 'Sparsity sweep (6 instances)',
    hint: 'From dense (left) to sparse (right): the model goes from 2 features to a pentagon.',
    config: { n: 5, m: 2, instances: 6, sparsity: 0.95, sparsityRange: [0, 0.99], importanceDecay: 0.9, model: 'relu-output' },
  },
  {
    id: 'dense',
    label: 'Dense: no superposition',
    hint: 'With every feature always on, only the two most important features get a dimension.',
    config: { n: 5, m: 2, instances: 1, sparsity: 0, sparsityRange: null, importanceDecay: 0.9, model: 'relu-output' },
  },
  {
    id: 'linear',
    label: 'Linear model (sparse)',
    hint: 'Without the ReLU the model cannot filter interference: it keeps the top m features, like PCA.',
    config: { n: 5, m: 2, instances: 1, sparsity: 0.95, sparsityRange: null, importanceDecay: 0.9, model: 'linear' },
  },
  {
    id: 'three-d',
    label: '3-D: 6 features in 3 dims',
    hint: 'Drag the picture to rotate it: with equal importance, look for antipodal pairs on three axes.',
    config: { n: 6, m: 3, instances: 1, sparsity: 0.9, sparsityRange: null, importanceDecay: 1, model: 'relu-output' },
  },
  {
    id: 'paper-fig',
    label: 'Paper figure: 20 features, 5 dims',
    hint: 'As in the paper: more and more features are represented (and superposed) as sparsity grows.',
    config: { n: 20, m: 5, instances: 4, sparsity: 0.99, sparsityRange: [0, 0.99], importanceDecay: 0.7, model: 'relu-output', steps: 5000 },
  },
];
