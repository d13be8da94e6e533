// The component of every panel that can stand alone (the list and titles are in ../catalog.ts).
// Each panel draws itself inside <Panel id=…>, which adds the export tools and the screen-reader
// summary. Add a panel to the catalog and here to make it embeddable.

import type { ComponentType } from 'react';
import { findPanel, type PanelId } from '../catalog.ts';
import { DimensionalityPanel } from './DimensionalityPanel.tsx';
import { FeatureNormsPanel } from './FeatureNormsPanel.tsx';
import { GeometryPanel } from './GeometryPanel.tsx';
import { GramHeatmapPanel } from './GramHeatmapPanel.tsx';
import { LossCurvePanel } from './LossCurvePanel.tsx';
import { InductionAblationPanel } from './induction/InductionAblationPanel.tsx';
import { InductionAttentionPanel } from './induction/InductionAttentionPanel.tsx';
import { InductionCompositionPanel } from './induction/InductionCompositionPanel.tsx';
import { InductionHeatmapPanel } from './induction/InductionHeatmapPanel.tsx';
import { InductionLossPanel } from './induction/InductionLossPanel.tsx';
import { InductionScoresPanel } from './induction/InductionScoresPanel.tsx';
import { LocateEditPanel } from './locate/LocateEditPanel.tsx';
import { LocateLayersPanel } from './locate/LocateLayersPanel.tsx';
import { LocateMethodsPanel } from './locate/LocateMethodsPanel.tsx';
import { LocateSequentialPanel } from './locate/LocateSequentialPanel.tsx';
import { LocateTracePanel } from './locate/LocateTracePanel.tsx';
import { MonitorAblationPanel } from './monitor/MonitorAblationPanel.tsx';
import { MonitorDetectorsPanel } from './monitor/MonitorDetectorsPanel.tsx';
import { MonitorLivePanel } from './monitor/MonitorLivePanel.tsx';
import { MonitorSteeringPanel } from './monitor/MonitorSteeringPanel.tsx';
import { CompareFeaturesPanel } from './compare/CompareFeaturesPanel.tsx';
import { CompareGeometryPanel } from './compare/CompareGeometryPanel.tsx';
import { CompareGramPanel } from './compare/CompareGramPanel.tsx';
import { CompareLossPanel } from './compare/CompareLossPanel.tsx';
import { GridMapPanel } from './grid/GridMapPanel.tsx';

const COMPONENTS: Record<PanelId, ComponentType> = {
  geometry: GeometryPanel,
  gram: GramHeatmapPanel,
  norms: FeatureNormsPanel,
  dimensionality: DimensionalityPanel,
  loss: LossCurvePanel,
  'induction-loss': InductionLossPanel,
  'induction-scores': InductionScoresPanel,
  'induction-heatmap': InductionHeatmapPanel,
  'induction-attention': InductionAttentionPanel,
  'induction-composition': InductionCompositionPanel,
  'induction-ablation': InductionAblationPanel,
  'locate-trace': LocateTracePanel,
  'locate-edit': LocateEditPanel,
  'locate-methods': LocateMethodsPanel,
  'locate-layers': LocateLayersPanel,
  'locate-sequential': LocateSequentialPanel,
  'monitor-detectors': MonitorDetectorsPanel,
  'monitor-live': MonitorLivePanel,
  'monitor-ablation': MonitorAblationPanel,
  'monitor-steering': MonitorSteeringPanel,
  'compare-geometry': CompareGeometryPanel,
  'compare-gram': CompareGramPanel,
  'compare-features': CompareFeaturesPanel,
  'compare-loss': CompareLossPanel,
  'grid-map': GridMapPanel,
};

/** The component that draws panel `id`, or undefined for an id that is not a standalone panel. */
export function panelComponent(id: string): ComponentType | undefined {
  const panel = findPanel(id);
  return panel && COMPONENTS[panel.id as PanelId];
}
