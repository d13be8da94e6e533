// Layout: header with the run controls and readout; settings on the left; panels in a grid.
// App itself subscribes to nothing that changes while training.

import { ControlPanel } from './controls/ControlPanel.tsx';
import { RunControls, RunReadout } from './controls/RunControls.tsx';
import { FeatureTooltip } from './FeatureTooltip.tsx';
import { useController } from './LabContext.tsx';
import { Notices } from './Notices.tsx';
import { DimensionalityPanel } from './panels/DimensionalityPanel.tsx';
import { FeatureNormsPanel } from './panels/FeatureNormsPanel.tsx';
import { GeometryPanel } from './panels/GeometryPanel.tsx';
import { GramHeatmapPanel } from './panels/GramHeatmapPanel.tsx';
import { LossCurvePanel } from './panels/LossCurvePanel.tsx';
import { useKeyboardShortcuts } from './useKeyboardShortcuts.ts';

export function App() {
  useKeyboardShortcuts(useController());
  return (
    <div className="app">
      <header className="app-header">
        <div className="title">
          <h1>Superposition Lab</h1>
          <p className="tagline">
            Train the toy models of <a href="https://transformer-circuits.pub/2022/toy_model/index.html">Toy Models of Superposition</a> live:
            n features squeezed through m dimensions, x′ = ReLU(WᵀW x + b).
          </p>
        </div>
        <RunControls />
        <RunReadout />
      </header>
      <Notices />
      <div className="workspace">
        <aside className="sidebar" aria-label="Settings">
          <ControlPanel />
        </aside>
        <main className="panels">
          <GeometryPanel />
          <GramHeatmapPanel />
          <FeatureNormsPanel />
          <DimensionalityPanel />
          <LossCurvePanel />
        </main>
      </div>
      <FeatureTooltip />
    </div>
  );
}
