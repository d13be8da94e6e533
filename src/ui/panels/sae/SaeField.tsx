// One SAE setting: label, optional slider, a text box for exact values. Every change goes through
// validateSaeConfig (via the SAE controller); rejected text stays with the validator's message under
// it, and the running SAE is left alone.

import { useId, useState } from 'react';
import { SAE_FIELDS, type SaeConfig } from '../../../engine/sae/config.ts';
import { getSaeController } from '../../../state/saeController.ts';
import { useSae } from '../../../state/saeStore.ts';
import type { SliderSpec } from '../../controls/ConfigField.tsx';
import { FieldErrors } from '../../controls/FieldErrors.tsx';

type NumericKey = { [K in keyof SaeConfig]: SaeConfig[K] extends number ? K : never }[keyof SaeConfig];

interface SaeFieldProps {
  field: NumericKey;
  label: string;
  slider?: SliderSpec;
  format?: (v: number) => string;
  hint?: string;
}

export function SaeField({ field, label, slider, format = (v) => String(Number(v.toPrecision(4))), hint }: SaeFieldProps) {
  const id = useId();
  const value = useSae((s) => s.sae[field]);
  const errors = useSae((s) => s.editErrors[field]);
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? format(value);
  const help = hint ?? SAE_FIELDS.find((f) => f.key === field)?.help ?? '';
  const log = slider?.scale === 'log';
  const toSlider = (v: number) => (log ? Math.log10(v) : v);
  const fromSlider = (p: number) => (log ? Number(Math.pow(10, p).toPrecision(2)) : p);
  const errorId = `${id}-error`;
  const edit = (raw: unknown) => getSaeController().edit(field, raw);
  return (
    <div className={`field ${errors?.length ? 'field-invalid' : ''}`} data-sae-field={field}>
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
          onChange={(e) => {
            setDraft(e.target.value);
            edit(e.target.value);
          }}
          onBlur={() => !errors?.length && setDraft(null)}
        />
      </div>
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
      <p id={`${id}-hint`} className="field-hint">{help}</p>
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}
