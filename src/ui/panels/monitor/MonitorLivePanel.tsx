// The live monitor: fresh inputs scroll by (newest on the right); under them each detector's score over
// time with its alarm threshold, and every alarm marked true (the target is there) or false (it is not).

import * as d3 from 'd3';
import { useEffect, useState } from 'react';
import { alarms } from '../../../engine/monitor/detect.ts';
import { useMonitor } from '../../../state/monitorStore.ts';
import type { MonitorStreamMessage } from '../../../worker/monitorProtocol.ts';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { DETECTOR_COLORS, pct, useMonitorController } from './shared.ts';

/** Inputs visible at once, and the scroll speed. */
const WINDOW = 80;
const TICK_MS = 180;

function tally(s: MonitorStreamMessage) {
  return s.detectors.map((d) => {
    let trueAlarms = 0, falseAlarms = 0, missed = 0;
    for (let i = 0; i < s.count; i++) {
      const on = alarms(d.scores[i], d.threshold, d.nonNegative);
      const present = s.truth[i] > 0;
      if (on && present) trueAlarms++;
      else if (on) falseAlarms++;
      else if (s.truth[i] > s.strongAbove) missed++;
    }
    return { id: d.id, trueAlarms, falseAlarms, missed };
  });
}

export function MonitorLivePanel() {
  useMonitorController();
  const stream = useMonitor((s) => s.stream);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(640);
  const [offset, setOffset] = useState(0);
  const [running, setRunning] = useState(true);
  useEffect(() => {
    if (!running || !stream) return;
    const id = setInterval(() => setOffset((o) => (o + 1) % Math.max(1, stream.count - WINDOW)), TICK_MS);
    return () => clearInterval(id);
  }, [running, stream]);
  if (!stream) return <Panel id="monitor-live" className="panel-wide" title="Live monitor" waiting={<p className="panel-waiting">The stream starts when the detectors are measured…</p>} bodyRef={bodyRef} />;
  const toy = stream.width > 0;
  const start = Math.min(offset, Math.max(0, stream.count - WINDOW));
  const shown = Array.from({ length: Math.min(WINDOW, stream.count) }, (_, k) => start + k);
  const margin = { left: 172, right: 12 };
  const innerW = Math.max(120, width - margin.left - margin.right);
  const x = d3.scaleBand<number>().domain(shown).range([0, innerW]).paddingInner(0.08);
  const cell = x.bandwidth();
  const inputH = toy ? Math.max(50, stream.width * 8) : 18;
  const rowH = 56;
  const height = inputH + 12 + stream.detectors.length * (rowH + 10) + 6;
  const color = d3.scaleSequential(d3.interpolateBlues).domain([0, 1]);
  const counts = tally(stream);
  const eventWord = toy ? `feature ${stream.target}` : 'a repeat';
  return (
    <Panel
      id="monitor-live"
      className="panel-wide"
      title="Live monitor"
      subtitle={`${toy ? `feature ${stream.target}` : 'repeats'} · ${stream.count} inputs`}
      summary={counts.map((c, i) => `${stream.detectors[i].label}: ${c.trueAlarms} true and ${c.falseAlarms} false alarms`).join('; ')}
      legend={
        <div className="mon-live-legend">
          <ul className="swatches">
            {stream.detectors.map((d) => <li key={d.id}><span className="swatch" style={{ background: DETECTOR_COLORS[d.id] }} />{d.label}</li>)}
            <li><span className="mon-mark mon-mark-true" aria-hidden>▲</span>true alarm</li>
            <li><span className="mon-mark mon-mark-false" aria-hidden>✕</span>false alarm</li>
            <li><span className="swatch mon-threshold-swatch" />threshold</li>
          </ul>
          <button type="button" className="tool-button" aria-pressed={!running} onClick={() => setRunning((r) => !r)} data-mon-action="stream">{running ? '❚❚ pause stream' : '▶ play stream'}</button>
        </div>
      }
      caption={
        <>
          Fresh inputs scroll by, newest on the right{toy ? ` (one column per input, one row per feature; the target row is framed)` : ' (a band marks the sequences with a repeated segment)'}.
          Below, each detector's score with the threshold that catches 90% of {toy ? `the target's activations above 0.1` : 'the repeats'}; a
          ▲ is an alarm with {eventWord} present, a ✕ an alarm without it. Over these {stream.count} inputs:{' '}
          {counts.map((c, i) => (
            <span key={c.id}>{i ? '; ' : ''}<strong>{stream.detectors[i].label}</strong> {c.trueAlarms} true, {c.falseAlarms} false alarms{c.missed ? `, ${c.missed} strong events missed` : ''}</span>
          ))}.
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={width} height={height} role="img" aria-label="Live monitor: inputs, detector scores, thresholds and alarms" data-mon-stream={stream.target} data-mon-counts={counts.map((c) => `${c.id}:${c.trueAlarms}/${c.falseAlarms}`).join(' ')}>
          <g transform={`translate(${margin.left},4)`}>
            <text className="mon-row-label" x={-8} y={inputH / 2} textAnchor="end">{toy ? 'inputs (features ↓)' : 'repeat?'}</text>
            {shown.map((i) =>
              toy ? (
                <g key={i} transform={`translate(${x(i)},0)`}>
                  {Array.from({ length: stream.width }, (_, f) => (
                    <rect key={f} y={(f * inputH) / stream.width} width={cell} height={inputH / stream.width - 0.5} fill={stream.inputs[i * stream.width + f] > 0 ? color(0.25 + 0.75 * stream.inputs[i * stream.width + f]) : '#f3f4f6'} />
                  ))}
                </g>
              ) : (
                <rect key={i} x={x(i)} width={cell} height={inputH} fill={stream.truth[i] > 0 ? '#fde68a' : '#f3f4f6'} />
              ),
            )}
            {toy && <rect className="mon-target-frame" x={-2} y={(stream.target * inputH) / stream.width - 1} width={innerW + 4} height={inputH / stream.width + 1} />}
            {stream.detectors.map((d, r) => {
              const top = inputH + 12 + r * (rowH + 10);
              const max = Math.max(d.threshold * 1.6, d3.max(shown, (i) => d.scores[i]) ?? 0, 1e-6);
              const min = d.nonNegative ? 0 : Math.min(d3.min(shown, (i) => d.scores[i]) ?? 0, d.threshold - 1);
              const y = d3.scaleLinear().domain([min, max]).range([rowH, 12]);
              const line = d3.line<number>().x((i) => (x(i) ?? 0) + cell / 2).y((i) => y(d.scores[i]));
              return (
                <g key={d.id} transform={`translate(0,${top})`} data-mon-detector={d.id}>
                  <rect width={innerW} height={rowH} className="mon-row-bg" />
                  <text className="mon-row-label" x={-8} y={rowH / 2} textAnchor="end">{d.label}</text>
                  <text className="mon-row-sub" x={-8} y={rowH / 2 + 13} textAnchor="end">threshold {num(d.threshold, 2)}</text>
                  {shown.map((i) => (stream.truth[i] > 0 ? <rect key={i} x={x(i)} width={cell} y={12} height={rowH - 12} className="mon-present" /> : null))}
                  <line className="mon-threshold" x1={0} x2={innerW} y1={y(d.threshold)} y2={y(d.threshold)} />
                  <path d={line(shown) ?? ''} fill="none" stroke={DETECTOR_COLORS[d.id]} strokeWidth={1.8} />
                  {shown.map((i) => {
                    if (!alarms(d.scores[i], d.threshold, d.nonNegative)) return null;
                    const ok = stream.truth[i] > 0;
                    return <text key={i} x={(x(i) ?? 0) + cell / 2} y={10} textAnchor="middle" className={ok ? 'mon-mark-true' : 'mon-mark-false'}>{ok ? '▲' : '✕'}</text>;
                  })}
                </g>
              );
            })}
          </g>
        </svg>
        <p className="mon-live-rates">{counts.map((c, i) => `${stream.detectors[i].label}: ${pct(c.falseAlarms / Math.max(1, c.falseAlarms + c.trueAlarms))} of its alarms false`).join(' · ')}</p>
      </div>
    </Panel>
  );
}
