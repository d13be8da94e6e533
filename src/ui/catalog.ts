// Which panels and views the lab has: ids, titles, what each view is about. Nothing here imports a
// component, so a panel's own tools, the link vocabulary and the shortcuts can all read it without
// importing every panel; panels/registry.ts and views/registry.ts pair each id with its component.

export interface PanelEntry {
  id: string;
  title: string;
  /** the view whose module feeds the panel, when it is not the live lab's (its embed brings that module's controls) */
  view?: string;
}

export interface ViewEntry {
  id: string;
  /** tab label */
  title: string;
  /** one line: what the view shows */
  description: string;
  /** the view brings its own controls: the lab's settings sidebar and run buttons are hidden */
  ownControls?: boolean;
}

/** The panels that can stand alone: embedded (?embed=<id>), linked (#panel=<id>) and exported. */
export const PANELS = [
  { id: 'geometry', title: 'Feature directions' },
  { id: 'gram', title: 'Interference WᵀW and bias' },
  { id: 'norms', title: 'Feature norms' },
  { id: 'dimensionality', title: 'Dimensions per feature' },
  { id: 'loss', title: 'Loss' },
  { id: 'induction-loss', title: 'Loss on repeated sequences', view: 'induction' },
  { id: 'induction-scores', title: 'Head scores over training', view: 'induction' },
  { id: 'induction-heatmap', title: 'Scores by layer and head', view: 'induction' },
  { id: 'induction-attention', title: 'Attention patterns on one sequence', view: 'induction' },
  { id: 'induction-composition', title: 'Composition between layers', view: 'induction' },
  { id: 'induction-ablation', title: 'Ablation: zero heads', view: 'induction' },
  { id: 'locate-trace', title: 'Causal traces', view: 'locate' },
  { id: 'locate-edit', title: 'Edit the fact with ROME', view: 'locate' },
  { id: 'locate-methods', title: 'Compare methods for this edit', view: 'locate' },
  { id: 'locate-layers', title: 'Edit at every layer', view: 'locate' },
  { id: 'locate-sequential', title: 'Sequential edits', view: 'locate' },
  { id: 'monitor-detectors', title: 'Detectors: ROC and false alarms', view: 'monitor' },
  { id: 'monitor-live', title: 'Live monitor', view: 'monitor' },
  { id: 'monitor-ablation', title: 'Ablation: what is removed, what else breaks', view: 'monitor' },
  { id: 'monitor-steering', title: 'Steering: switch the feature on', view: 'monitor' },
  { id: 'compare-geometry', title: 'A and B: feature directions', view: 'compare' },
  { id: 'compare-gram', title: 'Interference WᵀW: A, B and B − A', view: 'compare' },
  { id: 'compare-features', title: 'Per feature: norm ‖Wᵢ‖, dimensions Dᵢ and role', view: 'compare' },
  { id: 'compare-loss', title: 'Loss: A and B', view: 'compare' },
  { id: 'grid-map', title: 'Grid', view: 'grid' },
] as const satisfies readonly PanelEntry[];

export type PanelId = (typeof PANELS)[number]['id'];

/** The views, in tab order: each a page of panels about one of the paper's results. */
export const VIEWS = [
  { id: 'lab', title: 'Live lab', description: 'Train one config and watch its geometry form.' },
  { id: 'sae', title: 'Sparse autoencoder', description: 'Train an SAE on the toy model\'s activations and see whether its dictionary finds the true features.', ownControls: true },
  { id: 'sweep', title: 'Sparsity sweep', description: 'The paper’s basic result: linear and ReLU-output models from dense to very sparse.', ownControls: true },
  { id: 'dimensionality', title: 'Dimensionality', description: 'Dimensions per feature stick at 1/2; features sit on the fractions of uniform polytopes.', ownControls: true },
  { id: 'phase', title: 'Phase diagrams', description: 'Which of three solutions a model picks for an extra feature, by its importance and the density.', ownControls: true },
  { id: 'correlated', title: 'Correlated features', description: 'Features that fire together end up orthogonal; features that never do share a direction.', ownControls: true },
  { id: 'computation', title: 'Computation', description: 'Neurons behind a ReLU are a privileged basis: monosemantic when inputs are dense, polysemantic when sparse (storing x and computing |x|).', ownControls: true },
  { id: 'induction', title: 'Induction heads', description: 'Train a tiny transformer live and watch a previous-token head and an induction head form, in a phase change, into a copying circuit.', ownControls: true },
  { id: 'locate', title: 'Locate & edit', description: 'Find where a tiny GPT stores a fact with causal tracing, then rewrite it with ROME and see what else moves.', ownControls: true },
  { id: 'monitor', title: 'Monitor & ablate', description: 'Detect a feature from the hidden layer (neuron, SAE latent, probe), watch it live, ablate it and steer it: what superposition costs a safety monitor.', ownControls: true },
  { id: 'compare', title: 'A/B compare', description: 'Pin a run as A, change a setting, train B with the same seed: both geometries, WᵀW and their difference, per-feature deltas, both losses and a verdict of what changed.', ownControls: true },
  { id: 'grid', title: 'Grid', description: 'Any two settings over a grid of trained models, each classified by its geometry: find the boundaries for your own config.', ownControls: true },
  { id: 'dynamics', title: 'Learning dynamics', description: 'Replay a training run: features jump between sticky fractions as the loss drops.', ownControls: true },
] as const satisfies readonly ViewEntry[];

export type ViewId = (typeof VIEWS)[number]['id'];

export const DEFAULT_VIEW: ViewId = 'lab';

export function findPanel(id: string): PanelEntry | undefined {
  return PANELS.find((p) => p.id === id);
}

export function findView(id: string): ViewEntry | undefined {
  return VIEWS.find((v) => v.id === id);
}
