// The live lab's way into the A/B compare tab: pin the finished run (its config, seed and weights) as A.

import { useState } from 'react';
import { getCompareController } from '../../../state/compareController.ts';
import { useLab } from '../../../state/labStore.ts';

export function PinAsA() {
  const done = useLab((s) => !!s.run?.done && !!s.snapshot && !!s.runConfig && s.snapshot.step >= s.runConfig.steps);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div className="pin-bar panel-wide">
      <button type="button" data-action="pin-a" disabled={!done} onClick={() => setProblem(getCompareController().pinFromLab())} title="Compare this run (A) with one whose settings you change (B), trained with the same seed">
        Pin as A to compare
      </button>
      <span className="field-hint">{problem ?? (done ? 'then change a setting in the A/B compare tab: B trains with the same seed' : 'available when the run has finished')}</span>
    </div>
  );
}
