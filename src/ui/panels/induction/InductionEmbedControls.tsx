// What an embedded induction panel brings instead of the lab's controls: play/pause and reset of
// the induction run, and where it stands.

import { getInductionController } from '../../../state/inductionController.ts';
import { useInduction } from '../../../state/inductionStore.ts';
import { useHidden } from '../../../state/uiStore.ts';
import { count } from '../../format.ts';

export function InductionEmbedControls() {
  const status = useInduction((s) => s.status);
  const hidePlay = useHidden('play');
  const hideReset = useHidden('reset');
  const c = getInductionController();
  if (hidePlay && hideReset) return null;
  return (
    <div className="embed-controls" role="group" aria-label="Run controls">
      {!hidePlay && (
        <button type="button" className="primary" onClick={() => c.togglePlay()} data-action="play-pause">
          {status?.playing ? '❚❚ Pause' : status?.done ? '↻ Train again' : '▶ Play'}
        </button>
      )}
      {!hideReset && <button type="button" onClick={() => c.reset()} data-action="reset">Reset</button>}
      <span className="panel-subtitle">{status ? `step ${count(status.step)} / ${count(status.totalSteps)}` : 'starting…'}</span>
    </div>
  );
}
