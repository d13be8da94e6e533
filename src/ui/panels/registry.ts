// The panels that can stand alone: embedded (?embed=<id>), linked (#panel=<id>) and exported.
// Each panel draws itself inside <Panel id=…>, which adds the export tools and the screen-reader
// summary. Views (ui/views/registry.ts) can be embedded too; add a panel here to make it embeddable.

import type { ComponentType } from 'react';
import { DimensionalityPanel } from './DimensionalityPanel.tsx';
import { FeatureNormsPanel } from './FeatureNormsPanel.tsx';
import { GeometryPanel } from './GeometryPanel.tsx';
import { GramHeatmapPanel } from './GramHeatmapPanel.tsx';
import { LossCurvePanel } from './LossCurvePanel.tsx';

export interface PanelDef {
  id: string;
  title: string;
  Component: ComponentType;
}

export const PANELS: readonly PanelDef[] = [
  { id: 'geometry', title: 'Feature directions', Component: GeometryPanel },
  { id: 'gram', title: 'Interference WᵀW and bias', Component: GramHeatmapPanel },
  { id: 'norms', title: 'Feature norms', Component: FeatureNormsPanel },
  { id: 'dimensionality', title: 'Dimensions per feature', Component: DimensionalityPanel },
  { id: 'loss', title: 'Loss', Component: LossCurvePanel },
];

export function findPanel(id: string): PanelDef | undefined {
  return PANELS.find((p) => p.id === id);
}
