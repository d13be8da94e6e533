// Layout: header with the run controls and readout; settings on the left; panels in a grid.
// App itself subscribes to nothing that changes while training.

import { ControlPanel } from './controls/ControlPanel.tsx';
import { RunControls, RunReadout } from './controls/RunControls.tsx';
import { FeatureTooltip } from './FeatureTooltip.tsx';
import { useController } from './LabContext.tsx';
import { Notices } from './Notices.tsx';
import { LabToolbar } from './share/LabToolbar.tsx';
import { useLab } from '../state/labStore.ts';
import { useKeyboardShortcuts } from './useKeyboardShortcuts.ts';
import { DEFAULT_VIEW, findView } from './catalog.ts';
import { viewComponent } from './views/registry.ts';
import { ViewTabs } from './views/ViewTabs.tsx';

export function App() {
  useKeyboardShortcuts(useController());
  const view = findView(useLab((s) => s.view)) ?? findView(DEFAULT_VIEW)!;
  const ViewComponent = viewComponent(view.id)!;
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
        {!view.ownControls && <RunControls />}
        {!view.ownControls && <RunReadout />}
        <LabToolbar />
      </header>
      <ViewTabs />
      <Notices />
      <div className={view.ownControls ? 'workspace workspace-full' : 'workspace'}>
        {!view.ownControls && (
          <aside className="sidebar" aria-label="Settings">
            <ControlPanel />
          </aside>
        )}
        <main className="panels" data-view={view.id}>
          <ViewComponent />
        </main>
      </div>
      <FeatureTooltip />
    </div>
  );
}
