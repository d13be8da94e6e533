// View 6: learning dynamics (science.md §5.7): record the run, scrub or replay it, see the jumps.

import { useCallback, useMemo, useState } from 'react';
import { featureImportance } from '../../engine/toy/config.ts';
import { dynamicsAnalysis } from '../../engine/views/views.ts';
import { DynamicsLossPanel } from '../panels/views/DynamicsLossPanel.tsx';
import { DynamicsReplayPanel } from '../panels/views/DynamicsReplayPanel.tsx';
import { DynamicsTracePanel } from '../panels/views/DynamicsTracePanel.tsx';
import { ViewToolbar } from './ViewToolbar.tsx';
import { useRun, useViewSession } from './viewSession.ts';
import './views.css';

export function DynamicsView() {
  useViewSession('dynamics');
  const run = useRun('dynamics', 'dynamics');
  const [selected, setSelected] = useState<number | null>(null);
  const onSelect = useCallback((f: number | null) => setSelected(f), []);
  const config = run?.passes[0].config;
  const frames = run?.frames ?? [];
  const analysis = useMemo(() => (config && frames.length ? dynamicsAnalysis(frames, config.m, config.n) : null), [frames, config]);
  const importance = useMemo(() => (config ? featureImportance(config) : []), [config]);
  const index = selected === null ? Math.max(0, frames.length - 1) : Math.min(selected, frames.length - 1);
  return (
    <>
      <ViewToolbar viewId="dynamics">
        <p>
          The pentagon of the live lab (five features, two dimensions, S = 0.95), with its parameters kept every 25 steps so you can
          scrub back and forth through training. The paper's finding: learning is not a smooth slide into the final geometry.
          Features sit in one arrangement for a while (here first <strong>two antipodal pairs</strong>, the fifth feature dropped),
          then <strong>jump</strong> to the next (the pentagon), and the loss drops at the jump.
        </p>
        <p className="muted">Look for: the plateau in the loss while Dᵢ sits at 1/2, then every line moving to 2/5 at once.</p>
      </ViewToolbar>
      <DynamicsReplayPanel frames={frames} analysis={analysis} selected={selected} onSelect={onSelect} importance={importance} m={config?.m ?? 2} n={config?.n ?? 5} totalSteps={config?.steps ?? 1} />
      <DynamicsTracePanel analysis={analysis} index={index} onSelect={onSelect} importance={importance} totalSteps={config?.steps ?? 1} />
      <DynamicsLossPanel analysis={analysis} index={index} onSelect={onSelect} totalSteps={config?.steps ?? 1} />
    </>
  );
}
