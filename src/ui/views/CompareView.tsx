// The "A/B compare" tab (issue 18 item 1): a pinned run A and a run B that differs in the settings you change,
// side by side, with a verdict of what changed. B (and A, from a link) trains in the tab's own worker.

import { useCompare } from '../../state/compareStore.ts';
import { CompareControlsPanel } from '../panels/compare/CompareControlsPanel.tsx';
import { CompareFeaturesPanel } from '../panels/compare/CompareFeaturesPanel.tsx';
import { CompareGeometryPanel } from '../panels/compare/CompareGeometryPanel.tsx';
import { CompareGramPanel } from '../panels/compare/CompareGramPanel.tsx';
import { CompareLossPanel } from '../panels/compare/CompareLossPanel.tsx';
import '../panels/compare/compare.css';

export function CompareView() {
  const pinned = useCompare((s) => s.pair !== null);
  return (
    <>
      <CompareNotice />
      <CompareControlsPanel />
      {pinned && (
        <>
          <CompareGeometryPanel />
          <CompareGramPanel />
          <CompareFeaturesPanel />
          <CompareLossPanel />
        </>
      )}
    </>
  );
}

function CompareNotice() {
  const notice = useCompare((s) => s.notice);
  if (!notice) return null;
  return (
    <p className="notice notice-error panel-wide" role="alert" data-compare-notice>
      {notice}{' '}
      <button type="button" className="link-button" onClick={() => useCompare.setState({ notice: null })}>dismiss</button>
    </p>
  );
}
