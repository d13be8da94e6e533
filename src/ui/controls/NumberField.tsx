// The one number field: a label and a text box for exact values, optionally a slider, a hint and
// the validator's messages. It knows no store: `edit` hands raw text (or a slider value) to the
// validator behind it. Rejected text stays in the box with the message under it; text that was
// accepted gives way to the formatted value when the box loses focus.

import { useId, useState } from 'react';
import { FieldErrors } from './FieldErrors.tsx';

export interface SliderSpec {
  min: number;
  max: number;
  step: number;
  /** 'log': the slider moves log10 of the value */
  scale?: 'linear' | 'log';
}

export interface NumberFieldProps {
  label: string;
  value: number;
  /** the validator's messages for this field, if the last edit was rejected */
  errors: string[] | undefined;
  edit(raw: unknown): void;
  slider?: SliderSpec;
  /** how the value is written in the text box */
  format?: (v: number) => string;
  /** with a step, ↑/↓ in the text box change the value by it (a log slider's field by a tenth of a decade) */
  keyStep?: number;
  /** shown under the field */
  hint?: string;
  /** attributes of the field's element, e.g. { 'data-field': 'n' } */
  attributes?: Record<`data-${string}`, string>;
  /** inside a fieldset that is the field already: just the text box and its messages */
  inline?: boolean;
}

export function NumberField({ label, value, errors, edit, slider, format = String, keyStep, hint, attributes, inline }: NumberFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const invalid = !!errors?.length;
  const errorId = `${id}-error`;
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const log = slider?.scale === 'log';
  const toSlider = (v: number) => (log ? Math.log10(v) : v);
  const fromSlider = (p: number) => (log ? Number(Math.pow(10, p).toPrecision(2)) : p);

  const typed = (text: string) => {
    setDraft(text);
    edit(text);
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (keyStep === undefined || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    const sign = e.key === 'ArrowUp' ? 1 : -1;
    const next = log ? value * Math.pow(10, sign * 0.1) : value + sign * keyStep;
    typed(format(Number(next.toPrecision(6))));
  };

  const box = (
    <div className="field-head">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="field-input"
        type="text"
        inputMode="decimal"
        spellCheck={false}
        autoComplete="off"
        value={draft ?? format(value)}
        aria-invalid={invalid}
        aria-describedby={invalid ? errorId : hintId}
        onChange={(e) => typed(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => !invalid && setDraft(null)}
      />
    </div>
  );
  if (inline) {
    return (
      <>
        {box}
        <FieldErrors id={errorId} errors={errors} />
      </>
    );
  }
  return (
    <div className={`field ${invalid ? 'field-invalid' : ''}`} {...attributes}>
      {box}
      {slider && (
        <>
          <label htmlFor={`${id}-slider`} className="visually-hidden">{label} (slider)</label>
          <input
            id={`${id}-slider`}
            type="range"
            className="field-slider"
            min={toSlider(slider.min)}
            max={toSlider(slider.max)}
            step={slider.step}
            value={Math.min(toSlider(slider.max), Math.max(toSlider(slider.min), toSlider(value || slider.min)))}
            onChange={(e) => {
              setDraft(null);
              edit(fromSlider(Number(e.target.value)));
            }}
          />
        </>
      )}
      <p id={hintId} className="field-hint">{hint}</p>
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}
