// What an embedded grid brings instead of the lab's controls: what the cells show, and the run's progress.

import { GRID_CLASSIFY } from '../../../engine/grid/config.ts';
import { getGridController } from '../../../state/gridController.ts';
import { useGrid } from '../../../state/gridStore.ts';
import { useHidden } from '../../../state/uiStore.ts';
import { CLASSIFY_LABELS } from './GridControlsPanel.tsx';
import { useGridController } from './shared.ts';

export function GridEmbedControls() {
  useGridController();
  const hidePlay = useHidden('play');
  const classify = useGrid((s) => s.config.classify);
  const status = useGrid((s) => s.status);
  if (hidePlay) return null;
  return (
    <div className="embed-controls" role="group" aria-label="Grid">
      <label>
        colour cells by{' '}
        <select value={classify} onChange={(e) => getGridController().edit({ classify: e.target.value })}>
          {GRID_CLASSIFY.map((c) => <option key={c} value={c}>{CLASSIFY_LABELS[c]}</option>)}
        </select>
      </label>
      <span className="panel-subtitle">{status ? `${status.cellsDone} of ${status.cells} cells done` : 'starting…'}</span>
    </div>
  );
}
