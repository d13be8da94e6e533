import { useId, useState } from 'react';
import { PRESETS } from '../../state/presets.ts';
import { useController } from '../LabContext.tsx';

export function PresetPicker() {
  const id = useId();
  const controller = useController();
  const [chosen, setChosen] = useState('');
  const hint = PRESETS.find((p) => p.id === chosen)?.hint;
  return (
    <div className="field preset-picker">
      <div className="field-head field-head-stacked">
        <label htmlFor={id}>Start from an example</label>
        <select
          id={id}
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            if (e.target.value) controller.applyPreset(e.target.value);
          }}
        >
          <option value="">choose…</option>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>{p.label}</option>
          ))}
        </select>
      </div>
      {hint && <p className="field-hint preset-hint">{hint}</p>}
    </div>
  );
}
