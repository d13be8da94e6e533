// Replay a recorded training run: a scrubber over the recorded frames, play/pause, and the
// weight geometry at the chosen moment.

import { useEffect, useState } from 'react';
import type { DynamicsResult, Frame } from '../../../engine/views/views.ts';
import { count, fixed, num } from '../../format.ts';
import { FeatureArrows, pictureRadius } from '../geometry/FeatureArrows.tsx';
import { columns2d, principalPlane, project } from '../geometry/projection.ts';
import { Panel } from '../Panel.tsx';

interface ReplayProps {
  frames: readonly Frame[];
  analysis: DynamicsResult | null;
  /** selected frame, or null = follow the newest */
  selected: number | null;
  onSelect: (frame: number | null) => void;
  importance: number[];
  m: number;
  n: number;
  totalSteps: number;
}

/** Frames per second of the replay. */
const REPLAY_FPS = 20;

export function DynamicsReplayPanel({ frames, analysis, selected, onSelect, importance, m, n, totalSteps }: ReplayProps) {
  const [playing, setPlaying] = useState(false);
  const last = frames.length - 1;
  const index = selected === null ? last : Math.min(selected, last);
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => {
      const next = (selected ?? last) + 1;
      if (next > last) {
        setPlaying(false);
        onSelect(null);
      } else onSelect(next);
    }, 1000 / REPLAY_FPS);
    return () => clearInterval(t);
  }, [playing, selected, last, onSelect]);
  if (!frames.length || !analysis) return <Panel id="dynamics-replay" title="Replay" summary={null} waiting />;
  const frame = frames[index];
  const facts = analysis.frames[index];
  const points = m === 2 ? columns2d(frame.W, m, n) : project(frame.W, m, n, principalPlane(frame.W, m, n));
  const jumpHere = analysis.jumps.find((j) => j.frame === index);
  // the settled arrangement this moment belongs to (features on sticky fractions, held for a while), if any
  const state = analysis.states.find((st) => st.from <= index && index <= st.to);
  return (
    <Panel
      id="dynamics-replay"
      summary={facts ? `Replay at step ${facts.step.toLocaleString('en-US')}: ${facts.geometry}.` : null}
      title="Replay"
      subtitle={`step ${count(frame.step)} of ${count(totalSteps)}`}
      caption={
        <>
          Drag the slider (or use the arrow keys on it) to any moment of training, or press play to watch it again. The arrows
          are the feature directions Wᵢ at that step, darker = more important.{' '}
          <strong>At step {count(frame.step)}: {state ? `settled as ${state.geometry}` : `in transit (${facts.geometry})`}.</strong>
        </>
      }
    >
      <div className="replay" data-frame={index} data-step={frame.step} data-geometry={facts.geometry} data-state={state?.geometry ?? ''}>
        <div className="replay-controls">
          <button
            type="button"
            className="primary"
            onClick={() => {
              if (!playing && index >= last) onSelect(0);
              setPlaying(!playing);
            }}
            data-action="replay"
          >
            {playing ? '❚❚ Pause' : index >= last ? '▶ Replay' : '▶ Play'}
          </button>
          <input
            type="range"
            className="replay-slider"
            min={0}
            max={last}
            value={index}
            onChange={(e) => {
              setPlaying(false);
              const v = Number(e.target.value);
              onSelect(v >= last ? null : v);
            }}
            aria-label="Moment of training"
            aria-valuetext={`step ${frame.step}`}
          />
        </div>
        <FeatureArrows points={points} importance={importance} instance={0} size={300} highlighted={null} radius={pictureRadius(facts.norms)} hoverable={false} svgProps={{ role: 'img', 'aria-label': `Feature directions at step ${frame.step}: ${facts.geometry}` }} />
        <div className="replay-facts">
          <div>loss {Number.isFinite(frame.loss) ? num(frame.loss, 3) : '—'}</div>
          <div>Dᵢ: {facts.D.map((d) => fixed(d, 2)).join(', ')}</div>
          <div>{state ? `settled: ${state.geometry} (steps ${count(frames[state.from].step)}–${count(frames[state.to].step)})` : 'between settled arrangements'}</div>
          {jumpHere && <div className="jump-note">Jump: {jumpHere.from} → {jumpHere.to}</div>}
        </div>
      </div>
    </Panel>
  );
}
