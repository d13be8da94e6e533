// The "Monitor & ablate" tab (issue 14): a base model and an SAE trained in their own worker
// (monitorController), then detectors of a target feature, a live monitor, ablations and steering.

import { useMonitor } from '../../state/monitorStore.ts';
import { MonitorAblationPanel } from '../panels/monitor/MonitorAblationPanel.tsx';
import { MonitorControlsPanel } from '../panels/monitor/MonitorControlsPanel.tsx';
import { MonitorDetectorsPanel } from '../panels/monitor/MonitorDetectorsPanel.tsx';
import { MonitorLivePanel } from '../panels/monitor/MonitorLivePanel.tsx';
import { MonitorSteeringPanel } from '../panels/monitor/MonitorSteeringPanel.tsx';
import '../panels/induction/induction.css';
import '../panels/sae/sae.css';
import '../panels/monitor/monitor.css';

export function MonitorView() {
  return (
    <>
      <MonitorNotice />
      <MonitorControlsPanel />
      <MonitorLivePanel />
      <MonitorDetectorsPanel />
      <MonitorAblationPanel />
      <MonitorSteeringPanel />
    </>
  );
}

export function MonitorNotice() {
  const notice = useMonitor((s) => s.notice);
  if (!notice) return null;
  return (
    <p className="notice notice-error panel-wide" role="alert" data-mon-notice>
      {notice}{' '}
      <button type="button" className="link-button" onClick={() => useMonitor.setState({ notice: null })}>dismiss</button>
    </p>
  );
}
