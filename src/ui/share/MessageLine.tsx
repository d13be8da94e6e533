// The outcome of the last share / export / import action, in words. Errors are announced at once.

import { useEffect } from 'react';
import { showMessage, useUi } from '../../state/uiStore.ts';

/** Confirmations fade after this long; errors stay until dismissed. */
const INFO_MS = 7000;

export function MessageLine() {
  const message = useUi((s) => s.message);
  useEffect(() => {
    if (message?.kind !== 'info') return;
    const t = setTimeout(() => useUi.getState().message === message && showMessage(null), INFO_MS);
    return () => clearTimeout(t);
  }, [message]);
  return (
    <div className="message-line" role={message?.kind === 'error' ? 'alert' : 'status'} aria-live={message?.kind === 'error' ? 'assertive' : 'polite'}>
      {message && (
        <div className={`notice ${message.kind === 'error' ? 'notice-error' : 'notice-info'}`} data-message={message.kind}>
          <span>{message.text}</span>
          {message.details && (
            <ul className="message-details">
              {message.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
          <button type="button" className="link-button" onClick={() => showMessage(null)}>dismiss</button>
        </div>
      )}
    </div>
  );
}
