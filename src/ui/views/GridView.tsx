// The "Grid" tab (issue 18): any two of the toy model's settings over a grid of trained models, each
// classified by its geometry, filling in live (gridController, its own worker).

import { useGrid } from '../../state/gridStore.ts';
import { GridControlsPanel } from '../panels/grid/GridControlsPanel.tsx';
import { GridMapPanel } from '../panels/grid/GridMapPanel.tsx';
import '../panels/grid/grid.css';

export function GridView() {
  return (
    <>
      <GridNotice />
      <GridControlsPanel />
      <GridMapPanel />
    </>
  );
}

function GridNotice() {
  const notice = useGrid((s) => s.notice);
  if (!notice) return null;
  return (
    <p className="notice notice-error panel-wide" role="alert" data-grid-notice>
      {notice}{' '}
      <button type="button" className="link-button" onClick={() => useGrid.setState({ notice: null })}>dismiss</button>
    </p>
  );
}
