// On a phone the settings come after the panels, so the key controls would be thousands of pixels away from the
// picture they change. This compact bar (shown only on narrow screens, see theme.css) sticks to the top of the panels:
// play/pause and the sparsity slider stay next to the geometry while the student scrolls and drags.

import { useLab } from '../../state/labStore.ts';
import { useHidden } from '../../state/uiStore.ts';
import { useController } from '../LabContext.tsx';
import { SparsitySliders } from './SparsityControl.tsx';

export function PhoneBar() {
  const controller = useController();
  const playing = useLab((s) => s.run?.playing ?? false);
  const done = useLab((s) => s.run?.done ?? false);
  const hideSparsity = useHidden('sparsity');
  return (
    <div className="phone-bar" role="group" aria-label="Quick controls">
      <button type="button" className="primary" onClick={() => controller.togglePlay()} data-action="phone-play-pause">
        {playing ? '❚❚' : done ? '↻' : '▶'}<span className="visually-hidden">{playing ? ' Pause' : done ? ' Train again' : ' Play'}</span>
      </button>
      {!hideSparsity && (
        <div className="phone-bar-sparsity" data-field="phone-sparsity">
          <SparsitySliders />
        </div>
      )}
    </div>
  );
}
