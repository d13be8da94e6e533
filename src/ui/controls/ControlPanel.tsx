// All the settings, grouped the way a student thinks about them: the model, the data, the training.

import { useLab } from '../../state/labStore.ts';
import { useHidden } from '../../state/uiStore.ts';
import { shortNumber } from '../format.ts';
import { useController } from '../LabContext.tsx';
import { ConfigField } from './ConfigField.tsx';
import { ModelSelect } from './ModelSelect.tsx';
import { PresetPicker } from './PresetPicker.tsx';
import { SparsityControl } from './SparsityControl.tsx';

export function ControlPanel() {
  const formEpoch = useLab((s) => s.formEpoch);
  return (
    <div className="controls">
      <PresetPicker />
      <SettingsForm key={formEpoch} />
    </div>
  );
}

function SettingsForm() {
  const controller = useController();
  const seedHidden = useHidden('seed');
  return (
    <form className="settings" onSubmit={(e) => e.preventDefault()} aria-label="Model and training settings">
      <section>
        <h2>Model</h2>
        <ModelSelect />
        <ConfigField field="n" label="features n" slider={{ min: 1, max: 32, step: 1 }} hint="Inputs the model must reconstruct." />
        <ConfigField field="m" label="hidden dims m" slider={{ min: 1, max: 10, step: 1 }} hint="Dimensions the n features are squeezed through." />
        <ConfigField
          field="importanceDecay"
          label="importance decay r"
          slider={{ min: 0.5, max: 1, step: 0.01 }}
          format={shortNumber}
          keyStep={0.01}
          hint="Feature i matters rᶦ as much as feature 1 (r = 1: all equal)."
        />
      </section>
      <section>
        <h2>Data</h2>
        <SparsityControl />
        <ConfigField field="instances" label="instances K" slider={{ min: 1, max: 16, step: 1 }} hint="Models trained side by side, one small picture each." />
      </section>
      <section>
        <h2>Training</h2>
        <ConfigField field="lr" label="learning rate" slider={{ min: 1e-4, max: 1e-1, step: 0.1, scale: 'log' }} format={shortNumber} />
        <ConfigField field="batch" label="batch size" keyStep={64} />
        <ConfigField field="steps" label="steps" keyStep={1000} />
        {!seedHidden && (
          <div className="seed-row">
            <ConfigField field="seed" label="seed" />
            <button type="button" className="dice" title="Try another random seed" onClick={() => controller.edit('seed', Math.floor(Math.random() * 10_000))}>
              new seed
            </button>
          </div>
        )}
      </section>
    </form>
  );
}
