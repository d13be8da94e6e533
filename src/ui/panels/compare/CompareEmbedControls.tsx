// What an embedded A/B compare panel brings instead of the lab's controls: which side is training and how far,
// or the verdict once both are done (the pair itself comes from the link).

import { useCompare } from '../../../state/compareStore.ts';
import { count } from '../../format.ts';

export function CompareEmbedControls() {
  const training = useCompare((s) => s.training);
  const run = useCompare((s) => (s.training ? s[s.training] : null));
  const total = useCompare((s) => (s.training && s.pair ? s.pair[s.training].steps : 0));
  const verdict = useCompare((s) => s.comparison?.verdict ?? null);
  return (
    <div className="embed-controls" role="status">
      <span className="panel-subtitle">
        {training ? `training ${training.toUpperCase()}: step ${count(run?.step ?? 0)} / ${count(total)}` : verdict ? `A → B: ${verdict}` : 'A/B compare'}
      </span>
    </div>
  );
}
