// Text to copy: a link or embed code the clipboard would not take, or embed code to review.
// For embed code, checkboxes choose which controls the embed shows.

import { useId, useState } from 'react';
import { embedSnippet } from '../../state/embedCode.ts';
import { HIDABLE_CONTROLS } from '../../state/hidableControls.ts';
import { useUi } from '../../state/uiStore.ts';
import { copyText, embedOptions } from './actions.ts';
import { Modal } from './Modal.tsx';

const EMBED_CONTROLS = HIDABLE_CONTROLS.filter((c) => c.inEmbed || c.name === 'open');

export function CopyDialog() {
  const dialog = useUi((s) => s.copyDialog);
  if (!dialog) return null;
  return <CopyDialogBody key={dialog.title + dialog.text} />;
}

function CopyDialogBody() {
  const dialog = useUi((s) => s.copyDialog)!;
  const id = useId();
  const [hide, setHide] = useState<string[]>([]);
  const [large, setLarge] = useState(useUi.getState().presentation);
  const embed = dialog.embed;
  const text = embed ? embedSnippet({ ...embedOptions(embed.id, embed.title, hide), presentation: large }) : dialog.text;
  const close = () => useUi.setState({ copyDialog: null });
  return (
    <Modal title={dialog.title} onClose={close} className="copy-dialog">
      {dialog.note && <p className="modal-note">{dialog.note}</p>}
      {embed && (
        <fieldset className="embed-options">
          <legend>The embed shows</legend>
          {EMBED_CONTROLS.map((c) => (
            <label key={c.name} className="checkbox">
              <input
                type="checkbox"
                checked={!hide.includes(c.name)}
                onChange={(e) => setHide((h) => (e.target.checked ? h.filter((n) => n !== c.name) : [...h, c.name]))}
                data-embed-control={c.name}
              />
              {c.label}
            </label>
          ))}
          <label className="checkbox">
            <input type="checkbox" checked={large} onChange={(e) => setLarge(e.target.checked)} />
            Large type (presentation mode)
          </label>
        </fieldset>
      )}
      <label htmlFor={id} className="visually-hidden">{dialog.title}</label>
      <textarea id={id} className="copy-text" readOnly value={text} rows={embed ? 5 : 3} onFocus={(e) => e.currentTarget.select()} data-copy-text />
      <div className="modal-actions">
        <button type="button" className="primary" onClick={() => void copyText(text, embed ? 'Embed code' : dialog.title).then((ok) => ok && close())}>
          Copy
        </button>
        <button type="button" onClick={close}>Close</button>
      </div>
    </Modal>
  );
}
