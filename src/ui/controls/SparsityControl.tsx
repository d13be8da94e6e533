// Sparsity: one log-scale slider on feature density 1 − S, or (sweep) a range across the instances.

import { useId, useState } from 'react';
import { useLab } from '../../state/labStore.ts';
import { useHidden } from '../../state/uiStore.ts';
import { densityLabel, num } from '../format.ts';
import { useController } from '../LabContext.tsx';
import { FieldErrors } from './FieldErrors.tsx';
import { NumberField } from './NumberField.tsx';
import { SLIDER_MAX, sliderToSparsity, sparsityToSlider } from './sparsityScale.ts';

interface DensitySliderProps {
  label: string;
  S: number;
  onChange(S: number): void;
}

function DensitySlider({ label, S, onChange }: DensitySliderProps) {
  const id = useId();
  return (
    <div className="density-slider">
      <label htmlFor={id}>
        {label}: density 1−S = <output>{densityLabel(S)}</output>
      </label>
      <input
        id={id}
        type="range"
        className="field-slider"
        min={0}
        max={SLIDER_MAX}
        step={1}
        value={sparsityToSlider(S)}
        aria-valuetext={`feature density ${densityLabel(S)}, sparsity ${num(S, 4)}`}
        onChange={(e) => onChange(sliderToSparsity(Number(e.target.value)))}
      />
      <div className="slider-ends" aria-hidden="true">
        <span>dense (1)</span>
        <span>sparse (0.001)</span>
      </div>
    </div>
  );
}

/** The density slider(s) alone: one for every instance, or the first and last of a sweep (embeds use this). */
export function SparsitySliders() {
  const id = useId();
  const controller = useController();
  const S = useLab((s) => s.config.sparsity);
  const range = useLab((s) => s.config.sparsityRange);
  const rangeErrors = useLab((s) => s.editErrors.sparsityRange);
  if (!range) return <DensitySlider label="sparsity" S={S} onChange={(v) => controller.edit('sparsity', v)} />;
  return (
    <>
      <DensitySlider label="first instance" S={range[0]} onChange={(a) => controller.edit('sparsityRange', [a, range[1]])} />
      <DensitySlider label="last instance" S={range[1]} onChange={(b) => controller.edit('sparsityRange', [range[0], b])} />
      <FieldErrors id={`${id}-range-error`} errors={rangeErrors} />
    </>
  );
}

export function SparsityControl() {
  if (useHidden('sparsity')) return null;
  return <SparsityFields />;
}

function SparsityFields() {
  const controller = useController();
  const S = useLab((s) => s.config.sparsity);
  const range = useLab((s) => s.config.sparsityRange);
  const instances = useLab((s) => s.config.instances);
  const errors = useLab((s) => s.editErrors.sparsity);
  // moving the slider replaces whatever was typed in the box: a new box starts from the value
  const [slid, setSlid] = useState(0);
  const toggleSweep = (on: boolean) => {
    if (on) controller.applyConfig({ sparsityRange: [0, Math.max(S, 0.9)], instances: Math.max(instances, 6) });
    else controller.applyConfig({ sparsityRange: null, sparsity: range ? range[1] : S });
  };

  return (
    <fieldset className="field sparsity-control" data-field="sparsity">
      <legend>Sparsity</legend>
      <p className="field-hint">Each feature is zero with probability S. Sparse features rarely collide, so the model can afford to share dimensions.</p>
      {range ? (
        <SparsitySliders />
      ) : (
        <>
          <DensitySlider label="all instances" S={S} onChange={(v) => { setSlid((k) => k + 1); controller.edit('sparsity', v); }} />
          <NumberField key={slid} inline label="sparsity S" value={S} errors={errors} edit={(raw) => controller.edit('sparsity', raw)} />
        </>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={!!range} onChange={(e) => toggleSweep(e.target.checked)} />
        sweep sparsity across the {instances > 1 ? instances : ''} instances
      </label>
    </fieldset>
  );
}
