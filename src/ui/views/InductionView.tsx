// The "Induction heads" tab: a tiny transformer trained live in its own worker (inductionController),
// its losses, head scores, attention patterns, composition and ablations. The live lab keeps running beside it.

import { useInduction } from '../../state/inductionStore.ts';
import { InductionAblationPanel } from '../panels/induction/InductionAblationPanel.tsx';
import { InductionAttentionPanel } from '../panels/induction/InductionAttentionPanel.tsx';
import { InductionCompositionPanel } from '../panels/induction/InductionCompositionPanel.tsx';
import { InductionControlsPanel } from '../panels/induction/InductionControlsPanel.tsx';
import { InductionHeatmapPanel } from '../panels/induction/InductionHeatmapPanel.tsx';
import { InductionLossPanel } from '../panels/induction/InductionLossPanel.tsx';
import { InductionScoresPanel } from '../panels/induction/InductionScoresPanel.tsx';
import '../panels/induction/induction.css';
import '../panels/sae/sae.css';

export function InductionView() {
  return (
    <>
      <InductionNotice />
      <InductionControlsPanel />
      <InductionLossPanel />
      <InductionScoresPanel />
      <InductionHeatmapPanel />
      <InductionAttentionPanel />
      <InductionCompositionPanel />
      <InductionAblationPanel />
    </>
  );
}

/** The tab's last problem, in words, with a way to dismiss it. */
export function InductionNotice() {
  const notice = useInduction((s) => s.notice);
  if (!notice) return null;
  return (
    <p className="notice notice-error panel-wide" role="alert" data-ind-notice>
      {notice}{' '}
      <button type="button" className="link-button" onClick={() => useInduction.setState({ notice: null })}>dismiss</button>
    </p>
  );
}
