// The "Locate & edit" tab: a tiny GPT that memorised synthetic facts (its own worker, locateController): causal
// tracing of one fact or 50, ROME edits with before/after probabilities, the naive update and fine-tuning beside
// it, ROME at every layer and sequential edits. The live lab keeps running beside it.

import { useLocate } from '../../state/locateStore.ts';
import { LocateControlsPanel } from '../panels/locate/LocateControlsPanel.tsx';
import { LocateEditPanel } from '../panels/locate/LocateEditPanel.tsx';
import { LocateLayersPanel } from '../panels/locate/LocateLayersPanel.tsx';
import { LocateMethodsPanel } from '../panels/locate/LocateMethodsPanel.tsx';
import { LocateSequentialPanel } from '../panels/locate/LocateSequentialPanel.tsx';
import { LocateTracePanel } from '../panels/locate/LocateTracePanel.tsx';
import '../panels/induction/induction.css';
import '../panels/sae/sae.css';
import '../panels/locate/locate.css';

export function LocateView() {
  return (
    <>
      <LocateNotice />
      <LocateControlsPanel />
      <LocateTracePanel />
      <LocateEditPanel />
      <LocateMethodsPanel />
      <LocateLayersPanel />
      <LocateSequentialPanel />
    </>
  );
}

/** The tab's last problem, in words, with a way to dismiss it. */
export function LocateNotice() {
  const notice = useLocate((s) => s.notice);
  if (!notice) return null;
  return (
    <p className="notice notice-error panel-wide" role="alert" data-loc-notice>
      {notice}{' '}
      <button type="button" className="link-button" onClick={() => useLocate.setState({ notice: null })}>dismiss</button>
    </p>
  );
}
