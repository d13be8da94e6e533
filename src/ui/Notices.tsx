// Problems the student should know about: a bad URL, a worker that crashed and was restarted.

import { useState } from 'react';
import { backendNotice } from '../state/backendNotice.ts';
import { dismissNotice, useLab } from '../state/labStore.ts';
import { useController } from './LabContext.tsx';

export function Notices() {
  const controller = useController();
  const notice = useLab((s) => s.notice);
  const urlErrors = useLab((s) => s.urlErrors);
  const health = useLab((s) => s.health);
  const backend = useLab((s) => backendNotice(s.run));
  const [dismissedBackend, setDismissedBackend] = useState<string | null>(null);
  const showBackend = backend !== null && backend !== dismissedBackend;
  if (!notice && !urlErrors.length && !showBackend) return null;
  return (
    <div className="notices" role="status">
      {urlErrors.map((e) => (
        <p key={e} className="notice notice-warning">{e}</p>
      ))}
      {showBackend && (
        <p className="notice notice-warning" data-notice="backend">
          {backend}{' '}
          <button type="button" className="link-button" onClick={() => setDismissedBackend(backend)}>dismiss</button>
        </p>
      )}
      {notice && (
        <p className={`notice ${health.state === 'failed' ? 'notice-error' : 'notice-warning'}`} data-notice="worker">
          {notice}{' '}
          {health.state === 'failed' ? (
            <button type="button" onClick={() => controller.restartWorker()}>Restart the worker</button>
          ) : (
            <button type="button" className="link-button" onClick={dismissNotice}>dismiss</button>
          )}
        </p>
      )}
    </div>
  );
}
