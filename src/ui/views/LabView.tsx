// The live lab: the five linked panels of one run.

import { DimensionalityPanel } from '../panels/DimensionalityPanel.tsx';
import { FeatureNormsPanel } from '../panels/FeatureNormsPanel.tsx';
import { GeometryPanel } from '../panels/GeometryPanel.tsx';
import { GramHeatmapPanel } from '../panels/GramHeatmapPanel.tsx';
import { LossCurvePanel } from '../panels/LossCurvePanel.tsx';
import { PhoneBar } from '../controls/PhoneBar.tsx';
import { PinAsA } from '../panels/compare/PinAsA.tsx';

export function LabView() {
  return (
    <>
      <PhoneBar />
      <GeometryPanel />
      <GramHeatmapPanel />
      <FeatureNormsPanel />
      <DimensionalityPanel />
      <LossCurvePanel />
      <PinAsA />
    </>
  );
}
