import { useId } from 'react';
import { useLab } from '../../state/labStore.ts';
import { useHidden } from '../../state/uiStore.ts';
import { useController } from '../LabContext.tsx';

const CHOICES = [
  { value: 'relu-output', label: 'ReLU output: x′ = ReLU(WᵀW x + b)' },
  { value: 'linear', label: 'linear: x′ = WᵀW x + b' },
  { value: 'relu-hidden', label: 'ReLU hidden layer, computes |x|' },
  { value: 'relu-hidden-tied', label: 'ReLU hidden layer (privileged basis)' },
] as const;

export function ModelSelect() {
  const id = useId();
  const controller = useController();
  const model = useLab((s) => s.config.model);
  if (useHidden('model')) return null;
  return (
    <div className="field" data-field="model">
      <div className="field-head field-head-stacked">
        <label htmlFor={id}>Model</label>
        <select id={id} value={model} onChange={(e) => controller.edit('model', e.target.value)}>
          {CHOICES.map((c) => (
            <option key={c.value} value={c.value}>{c.label}</option>
          ))}
        </select>
      </div>
      <p className="field-hint">The ReLU lets the model filter out small interference; the linear model cannot, so it never superposes.</p>
    </div>
  );
}
