// The ? overlay: every keyboard shortcut, from the same list the key handler uses.

import { useUi } from '../state/uiStore.ts';
import { Modal } from './share/Modal.tsx';
import { FOCUS_KEYS, SHORTCUTS } from './shortcuts.ts';

const Keys = ({ keys }: { keys: string[] }) => (
  <>
    {keys.map((k, i) => (k === '…' ? <span key={i}> … </span> : <kbd key={i}>{k}</kbd>))}
  </>
);

export function HelpOverlay() {
  const open = useUi((s) => s.helpOpen);
  if (!open) return null;
  const close = () => useUi.setState({ helpOpen: false });
  return (
    <Modal title="Keyboard shortcuts" onClose={close} className="help-overlay">
      <table className="shortcut-table">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.label}>
              <th scope="row"><Keys keys={s.keys} /></th>
              <td>{s.label}</td>
            </tr>
          ))}
          {FOCUS_KEYS.map((s) => (
            <tr key={s.label}>
              <th scope="row"><Keys keys={s.keys} /></th>
              <td>{s.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="modal-note">Shortcuts are ignored while you type in a box. Presentation mode and the theme are also in the address: add <code>?present=1</code> or <code>?theme=dark</code>.</p>
    </Modal>
  );
}
