// The examples menu: one entry per figure of the paper or teaching moment, each with its
// one-line description. A disclosure button and a list of buttons (keys 1–9 load them too).

import { useEffect, useId, useRef, useState } from 'react';
import { availablePresets } from '../presetList.ts';
import { useHidden, useUi } from '../../state/uiStore.ts';
import { useController } from '../LabContext.tsx';

export function PresetPicker() {
  const id = useId();
  const controller = useController();
  const hidden = useHidden('presets');
  const [open, setOpen] = useState(false);
  const chosen = useUi((s) => s.preset);
  const list = useRef<HTMLUListElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) list.current?.querySelector('button')?.focus();
  }, [open]);
  if (hidden) return null;
  const presets = availablePresets();
  const preset = presets.find((p) => p.id === chosen);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div
      className="field preset-picker"
      data-presets
      onBlur={(e) => {
        if (open && !e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className="preset-button"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        onClick={() => setOpen(!open)}
        data-action="presets"
      >
        <span>Examples from the paper</span>
        <span aria-hidden="true">{open ? '▴' : '▾'}</span>
      </button>
      {open && (
        <ul
          id={`${id}-list`}
          ref={list}
          className="preset-list"
          aria-label="Examples"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              close();
            } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const items = Array.from(list.current?.querySelectorAll('button') ?? []);
              const at = items.indexOf(document.activeElement as HTMLButtonElement);
              items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
            }
          }}
        >
          {presets.map((p, i) => (
            <li key={p.id}>
              <button
                type="button"
                className="preset-item"
                data-preset={p.id}
                aria-current={p.id === chosen || undefined}
                onClick={() => {
                  useUi.setState({ preset: p.id });
                  controller.applyPreset(p.id);
                  close();
                }}
              >
                <span className="preset-label">
                  {i < 9 && <kbd aria-hidden="true">{i + 1}</kbd>} {p.label}
                </span>
                <span className="preset-description">{p.hint}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {preset && !open && <p className="field-hint preset-hint" data-preset-hint>{preset.hint}</p>}
    </div>
  );
}
