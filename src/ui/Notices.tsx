// Problems the student should know about: a bad URL, a worker that crashed and was restarted.

import { dismissNotice, useLab } from '../state/labStore.ts';
import { useController } from './LabContext.tsx';

export function Notices() {
  const controller = useController();
  const notice = useLab((s) => s.notice);
  const urlErrors = useLab((s) => s.urlErrors);
  const health = useLab((s) => s.health);
  if (!notice && !urlErrors.length) return null;
  return (
    <div className="notices" role="status">
      {urlErrors.map((e) => (
        <p key={e} className="notice notice-warning">{e}</p>
      ))}
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
