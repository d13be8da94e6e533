// The component of every view (the list, titles and descriptions are in ../catalog.ts). App shows
// the active one (store.view); add a view with one entry in the catalog and one here.

import type { ComponentType } from 'react';
import { findView, type ViewId } from '../catalog.ts';
import { CompareView } from './CompareView.tsx';
import { CompareEmbedControls } from '../panels/compare/CompareEmbedControls.tsx';
import { ComputationView } from './ComputationView.tsx';
import { CorrelatedView } from './CorrelatedView.tsx';
import { DimensionalityView } from './DimensionalityView.tsx';
import { DynamicsView } from './DynamicsView.tsx';
import { InductionEmbedControls } from '../panels/induction/InductionEmbedControls.tsx';
import { InductionView } from './InductionView.tsx';
import { LabView } from './LabView.tsx';
import { LocateView } from './LocateView.tsx';
import { LocateEmbedControls } from '../panels/locate/LocateEmbedControls.tsx';
import { MonitorView } from './MonitorView.tsx';
import { PhaseView } from './PhaseView.tsx';
import { GridView } from './GridView.tsx';
import { GridEmbedControls } from '../panels/grid/GridEmbedControls.tsx';
import { SaeView } from './SaeView.tsx';
import { SweepView } from './SweepView.tsx';

const COMPONENTS: Record<ViewId, ComponentType> = {
  lab: LabView,
  sae: SaeView,
  sweep: SweepView,
  dimensionality: DimensionalityView,
  phase: PhaseView,
  correlated: CorrelatedView,
  computation: ComputationView,
  dynamics: DynamicsView,
  induction: InductionView,
  locate: LocateView,
  monitor: MonitorView,
  compare: CompareView,
  grid: GridView,
};

/** The component that draws view `id`, or undefined for an unknown id. */
export function viewComponent(id: string): ComponentType | undefined {
  const view = findView(id);
  return view && COMPONENTS[view.id as ViewId];
}

/** The run controls an embedded panel of view `id` shows instead of the live lab's (views with a module of their own). */
const EMBED_CONTROLS: Partial<Record<ViewId, ComponentType>> = {
  induction: InductionEmbedControls,
  locate: LocateEmbedControls,
  compare: CompareEmbedControls,
  grid: GridEmbedControls,
};

export function embedControls(id: string): ComponentType | undefined {
  const view = findView(id);
  return view && EMBED_CONTROLS[view.id as ViewId];
}
