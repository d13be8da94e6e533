// What an embedded "Locate & edit" panel brings instead of the lab's controls: the fact picker (and, for the edit
// panels, the layer and the new object).

import { useHidden } from '../../../state/uiStore.ts';
import { useLocate } from '../../../state/locateStore.ts';
import { EditSettings } from './LocateEditPanel.tsx';
import { FactPicker } from './shared.tsx';

export function LocateEmbedControls() {
  const hidePlay = useHidden('play');
  const model = useLocate((s) => s.model);
  if (hidePlay) return null;
  return (
    <div className="embed-controls loc-embed-controls" role="group" aria-label="Fact">
      <FactPicker compact />
      <EditSettings />
      <span className="panel-subtitle">{model ? `model: ${model.source}, ${(100 * model.accuracy.all).toFixed(1)}% top-1` : 'loading the model…'}</span>
    </div>
  );
}
