// One config setting: a label, an optional slider, and a text box for exact values.
// Every change goes through the validator (via the controller); rejected text stays in the
// box with the validator's message under it, and the running model is left alone.

import { useId, useState } from 'react';
import { FIELDS } from '../../engine/toy/config.ts';
import { useLab, type ConfigKey } from '../../state/labStore.ts';
import { useHidden } from '../../state/uiStore.ts';
import { useController } from '../LabContext.tsx';
import { FieldErrors } from './FieldErrors.tsx';

export interface SliderSpec {
  min: number;
  max: number;
  step: number;
  /** 'log': the slider moves log10 of the value */
  scale?: 'linear' | 'log';
}

interface ConfigFieldProps {
  field: ConfigKey;
  label: string;
  slider?: SliderSpec;
  /** how the value is written in the text box */
  format?: (v: number) => string;
  /** step for the ↑/↓ keys in the text box */
  keyStep?: number;
  /** shown under the label; defaults to the field's help text */
  hint?: string;
}

export function ConfigField({ field, label, slider, format = String, keyStep = 1, hint }: ConfigFieldProps) {
  const id = useId();
  const controller = useController();
  const value = useLab((s) => s.config[field]) as number;
  const errors = useLab((s) => s.editErrors[field]);
  const [draft, setDraft] = useState<string | null>(null);
  const hidden = useHidden(field);
  const text = draft ?? format(value);
  const help = hint ?? FIELDS.find((f) => f.key === field)?.help ?? '';
  const errorId = `${id}-error`;
  const log = slider?.scale === 'log';
  const toSlider = (v: number) => (log ? Math.log10(v) : v);
  const fromSlider = (p: number) => (log ? Number(Math.pow(10, p).toPrecision(2)) : p);

  const typed = (t: string) => {
    setDraft(t);
    controller.edit(field, t);
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    const sign = e.key === 'ArrowUp' ? 1 : -1;
    const next = log ? value * Math.pow(10, sign * 0.1) : value + sign * keyStep;
    typed(format(Number(next.toPrecision(6))));
  };

  if (hidden) return null;
  return (
    <div className={`field ${errors?.length ? 'field-invalid' : ''}`} data-field={field}>
      <div className="field-head">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          className="field-input"
          type="text"
          inputMode="decimal"
          spellCheck={false}
          autoComplete="off"
          value={text}
          aria-invalid={!!errors?.length}
          aria-describedby={errors?.length ? errorId : `${id}-hint`}
          onChange={(e) => typed(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => !errors?.length && setDraft(null)}
        />
      </div>
      {slider && (
        <label htmlFor={`${id}-slider`} className="visually-hidden">
          {label} (slider)
        </label>
      )}
      {slider && (
        <input
          id={`${id}-slider`}
          type="range"
          className="field-slider"
          min={toSlider(slider.min)}
          max={toSlider(slider.max)}
          step={slider.step}
          value={Math.min(toSlider(slider.max), Math.max(toSlider(slider.min), toSlider(value)))}
          onChange={(e) => {
            setDraft(null);
            controller.edit(field, fromSlider(Number(e.target.value)));
          }}
        />
      )}
      <p id={`${id}-hint`} className="field-hint">{help}</p>
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}
