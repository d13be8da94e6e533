// Play / pause / step / reset, the speed, and the live readout (step, steps/s, loss, backend).

import { useId } from 'react';
import { useLab } from '../../state/labStore.ts';
import { useHidden } from '../../state/uiStore.ts';
import type { EngineChoice, Speed } from '../../worker/protocol.ts';
import { count, num } from '../format.ts';
import { FINAL_LOSS_WORDS } from '../../engine/toy/runner.ts';
import { useController } from '../LabContext.tsx';

const ENGINES: { label: string; value: EngineChoice }[] = [
  { label: 'auto (fastest)', value: 'auto' },
  { label: 'fused (hand-written)', value: 'fused' },
  { label: 'TF.js', value: 'tfjs' },
];

const SPEEDS: { label: string; value: Speed }[] = [
  { label: 'full speed', value: null },
  { label: 'slow (200 steps/s)', value: 200 },
  { label: 'slow motion (20 steps/s)', value: 20 },
];

export function RunControls() {
  const controller = useController();
  const playing = useLab((s) => s.run?.playing ?? false);
  const done = useLab((s) => s.run?.done ?? false);
  const speed = useLab((s) => s.speed);
  const speedId = useId();
  const engineId = useId();
  const engineChoice = useLab((s) => s.engineChoice);
  const hide = { play: useHidden('play'), step: useHidden('step'), reset: useHidden('reset'), speed: useHidden('speed') };
  return (
    <div className="run-controls">
      <div className="button-row">
        {!hide.play && (
          <button type="button" className="primary" onClick={() => controller.togglePlay()} aria-keyshortcuts="Space" data-action="play-pause">
            {playing ? '❚❚ Pause' : done ? '↻ Train again' : '▶ Play'}
          </button>
        )}
        {!hide.step && (
          <>
            <button type="button" onClick={() => controller.step(1)} aria-keyshortcuts="S ArrowRight" title="One optimiser step (S or →)" data-action="step">
              Step
            </button>
            <button type="button" onClick={() => controller.step(100)} aria-keyshortcuts="Shift+S Shift+ArrowRight" aria-label="100 steps" title="100 optimiser steps (Shift+S or Shift+→)" data-action="step-100">
              +100
            </button>
          </>
        )}
        {!hide.reset && (
          <button type="button" onClick={() => controller.reset()} aria-keyshortcuts="R" title="Back to step 0, same seed (R)" data-action="reset">
            Reset
          </button>
        )}
      </div>
      <div className="field-head" hidden={hide.speed}>
        <label htmlFor={speedId}>Speed</label>
        <select id={speedId} value={speed === null ? 'max' : String(speed)} onChange={(e) => controller.setSpeed(e.target.value === 'max' ? null : Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s.label} value={s.value === null ? 'max' : String(s.value)}>{s.label}</option>
          ))}
        </select>
        <label htmlFor={engineId}>Engine</label>
        <select id={engineId} value={engineChoice} onChange={(e) => controller.setEngine(e.target.value as EngineChoice)} data-control="engine">
          {ENGINES.map((en) => (
            <option key={en.value} value={en.value}>{en.label}</option>
          ))}
        </select>
      </div>
    </div>
  );
}

export function RunReadout() {
  if (useHidden('readout')) return null;
  return <Readout />;
}

function Readout() {
  const run = useLab((s) => s.run);
  const health = useLab((s) => s.health);
  const latest = useLab((s) => s.snapshot?.losses);
  const finals = useLab((s) => s.snapshot?.finalLosses ?? null);
  // once finished: the run's final loss (mean over the last 1 % of steps), the number the Loss panel and the JSON give
  const losses = finals ?? latest;
  const meanLoss = losses && losses.length ? Array.from(losses).reduce((a, b) => a + b, 0) / losses.length : NaN;
  const state = health.state === 'running' ? (run?.playing ? 'training' : run?.done ? 'finished' : 'paused') : health.state;
  return (
    <dl className="readout" aria-live="off" data-state={state}>
      <div>
        <dt>step</dt>
        <dd data-readout="step">{run ? `${count(run.step)} / ${count(run.totalSteps)}` : '—'}</dd>
      </div>
      <div>
        <dt>steps/s</dt>
        <dd data-readout="steps-per-second">{run && run.playing ? (run.stepsPerSecond > 0 ? count(run.stepsPerSecond) : '…') : '—'}</dd>
      </div>
      <div>
        <dt title={finals ? FINAL_LOSS_WORDS : 'training loss, mean over the steps since the last picture'}>{finals ? 'final loss' : 'loss'}{losses && losses.length > 1 ? ' (mean)' : ''}</dt>
        <dd data-readout="loss" data-final={finals ? 'yes' : 'no'}>{Number.isFinite(meanLoss) ? num(meanLoss, 3) : '—'}</dd>
      </div>
      <div>
        <dt>status</dt>
        <dd data-readout="status">{state}</dd>
      </div>
      <div>
        <dt>engine</dt>
        <dd data-readout="backend" title={run?.backendFailures.length ? `tried and failed: ${run.backendFailures.join('; ')}` : undefined}>
          {run ? `${run.engine} · ${run.backend}` : '—'}
        </dd>
      </div>
    </dl>
  );
}
