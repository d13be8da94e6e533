// A visually hidden, politely announced summary of a panel. Training changes the figure ~30
// times a second; the summary is recomputed at most every SUMMARY_INTERVAL_MS while training,
// and at once when the run pauses or finishes, so a screen reader is not flooded.

import { useMemo } from 'react';
import { useThrottled } from '../hooks/useThrottled.ts';
import { instanceSparsities } from '../../engine/toy/config.ts';
import { useLab } from '../../state/labStore.ts';
import type { SnapshotMessage } from '../../worker/protocol.ts';
import { panelSummary } from './panelSummaries.ts';

export const SUMMARY_INTERVAL_MS = 8000;

/**
 * A view panel's summary (the views train outside the lab's store): the panel gives the text, this
 * announces it politely, at most every SUMMARY_INTERVAL_MS (the latest text always shows in the end).
 */
export function ViewPanelSummary({ id, text }: { id: string; text: string | null }) {
  const shown = useThrottled(text, SUMMARY_INTERVAL_MS, false);
  return (
    <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-summary={id}>
      {shown ?? ''}
    </p>
  );
}

export function PanelSummary({ id }: { id: string }) {
  const live = useLab((s) => s.snapshot);
  const playing = useLab((s) => s.run?.playing ?? false);
  const config = useLab((s) => s.runConfig);
  const instance = useLab((s) => s.selectedInstance);
  const snapshot: SnapshotMessage | null = useThrottled(live, SUMMARY_INTERVAL_MS, !playing);
  const text = useMemo(() => {
    if (!snapshot || !config || snapshot.K !== config.instances || snapshot.n !== config.n) return null;
    return panelSummary(id, { snapshot, sparsities: instanceSparsities(config), totalSteps: config.steps, instance });
  }, [id, snapshot, config, instance]);
  // The live region stays in the page (empty until there is something to say), or it would not be announced.
  return (
    <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-summary={id}>
      {text ?? ''}
    </p>
  );
}
