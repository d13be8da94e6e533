// The lab's views: each is a page of panels about one of the paper's results. App shows the
// active one (store.view); the tab bar, the URL and embeds read this list. Add a view with one entry.

import type { ComponentType } from 'react';
import { LabView } from './LabView.tsx';
import { SaeView } from './SaeView.tsx';
import { ComputationView } from './ComputationView.tsx';
import { CorrelatedView } from './CorrelatedView.tsx';
import { DimensionalityView } from './DimensionalityView.tsx';
import { DynamicsView } from './DynamicsView.tsx';
import { PhaseView } from './PhaseView.tsx';
import { SweepView } from './SweepView.tsx';

export interface ViewDef {
  id: string;
  /** tab label */
  title: string;
  /** one line: what the view shows */
  description: string;
  Component: ComponentType;
  /** the view brings its own controls: the lab's settings sidebar and run buttons are hidden */
  ownControls?: boolean;
}

export const VIEWS: readonly ViewDef[] = [
  { id: 'lab', title: 'Live lab', description: 'Train one config and watch its geometry form.', Component: LabView },
  { id: 'sae', title: 'Sparse autoencoder', description: 'Train an SAE on the toy model\'s activations and see whether its dictionary finds the true features.', Component: SaeView, ownControls: true },
  { id: 'sweep', title: 'Sparsity sweep', description: 'The paper’s basic result: linear and ReLU-output models from dense to very sparse.', Component: SweepView, ownControls: true },
  { id: 'dimensionality', title: 'Dimensionality', description: 'Dimensions per feature stick at 1/2; features sit on the fractions of uniform polytopes.', Component: DimensionalityView, ownControls: true },
  { id: 'phase', title: 'Phase diagrams', description: 'Which of three solutions a model picks for an extra feature, by its importance and the density.', Component: PhaseView, ownControls: true },
  { id: 'correlated', title: 'Correlated features', description: 'Features that fire together end up orthogonal; features that never do share a direction.', Component: CorrelatedView, ownControls: true },
  { id: 'computation', title: 'Computation', description: 'Neurons behind a ReLU are a privileged basis: monosemantic when inputs are dense, polysemantic when sparse (storing x and computing |x|).', Component: ComputationView, ownControls: true },
  { id: 'dynamics', title: 'Learning dynamics', description: 'Replay a training run: features jump between sticky fractions as the loss drops.', Component: DynamicsView, ownControls: true },
];

export const DEFAULT_VIEW = 'lab';

export function findView(id: string): ViewDef | undefined {
  return VIEWS.find((v) => v.id === id);
}
