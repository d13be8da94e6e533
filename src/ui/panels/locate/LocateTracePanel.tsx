// The fact's three causal-tracing heatmaps (hidden state, MLP output, attention output; token rows × layer
// columns; subject tokens starred; colour from the corrupted run's low score up), where the MLP effect peaks, and
// the maps averaged over 50 facts, filling in fact by fact as the worker traces them.

import { TRACE_KINDS, type TraceKind } from '../../../engine/rome/trace.ts';
import { tracePeaks } from '../../../engine/rome/locate.ts';
import { getLocateController, AVERAGE_FACTS } from '../../../state/locateController.ts';
import { currentFact, useLocate } from '../../../state/locateStore.ts';
import { ProgressBar } from '../../charts/ProgressBar.tsx';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { pct, TRACE_COLORS, TRACE_TITLES, useLocateController } from './shared.tsx';

/** an indirect effect below this (restored − corrupted P(o)) is called weak in the peak sentence */
const WEAK_EFFECT = 0.05;

interface Maps {
  labels: string[];
  hidden: number[][];
  mlp: number[][];
  attn: number[][];
  lowScore: number;
  highScore: number;
  subjectFirst: number;
  subjectLast: number;
}

export function LocateTracePanel() {
  useLocateController();
  const fact = useLocate((s) => currentFact(s));
  const trace = useLocate((s) => s.trace);
  const average = useLocate((s) => s.average);
  const showAverage = useLocate((s) => s.showAverage);
  const busy = useLocate((s) => s.busy);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(900);
  const c = getLocateController();
  const own = trace && fact && trace.factId === fact.id ? trace : null;
  const maps: Maps | null = showAverage ? average?.avg ?? null : own?.trace ?? null;
  const toggle = (
    <label className="loc-toggle">
      <input type="checkbox" checked={showAverage} onChange={(e) => c.setShowAverage(e.target.checked)} data-loc-action="average" />
      average over {AVERAGE_FACTS} facts
    </label>
  );
  if (!maps) {
    return (
      <Panel
        id="locate-trace"
        className="panel-wide"
        title="Causal traces"
        waiting={<div><p className="panel-waiting">{showAverage ? `Tracing ${AVERAGE_FACTS} facts…` : busy.trace || !own ? 'Tracing the fact…' : ''}</p>{toggle}</div>}
        bodyRef={bodyRef}
      />
    );
  }
  const peak = tracePeaks(maps);
  const L = maps.mlp[0].length;
  const labelW = 112;
  const gap = 24;
  const perMap = Math.max(160, Math.floor((width - 2 * gap) / 3));
  const cell = Math.max(18, Math.min(72, Math.floor((perMap - labelW) / L)));
  const rows = maps.labels.length;
  const rowH = Math.min(32, cell);
  const height = 22 + rows * rowH + 30;
  const perRow = Math.max(1, Math.floor((width + gap) / (labelW + L * cell + gap)));
  const blocks = Math.ceil(3 / perRow);
  const weakSubject = peak.subjectValue - maps.lowScore < WEAK_EFFECT;
  const peakText =
    `The MLP effect peaks at “${maps.labels[peak.token]}” in layer ${peak.layer} (restored P(o) ${pct(peak.value)}); at the last subject token it peaks in layer ${peak.subjectLayer} (${pct(peak.subjectValue)})` +
    (weakSubject ? `, hardly above the corrupted run's ${pct(maps.lowScore)}: the subject's MLPs barely carry this fact in this model, so an edit there may not take.` : '.');
  const what = showAverage ? `the average over ${average!.done} facts (1-token filler prefix)` : 'this fact';
  return (
    <Panel
      id="locate-trace"
      className="panel-wide"
      title="Causal traces"
      subtitle={showAverage ? `average of ${average!.done} / ${average!.total} facts${average!.final ? '' : '…'}` : own ? `one fact, traced in ${own.ms.toFixed(0)} ms` : ''}
      summary={`Causal traces of ${what}: clean P(o) ${pct(maps.highScore)}, corrupted ${pct(maps.lowScore)}. ${peakText}`}
      legend={
        <div className="loc-legend">
          {toggle}
          <span>colour: restored P(o), from the corrupted run's {pct(maps.lowScore)} (white) up; clean P(o) = {pct(maps.highScore)}; * subject tokens; ▢ the MLP peak</span>
        </div>
      }
      caption={
        <>
          Each cell is one run: the subject’s embeddings get 3σ Gaussian noise (10 samples, the same for every cell), and one state — a
          token’s hidden state, MLP output or attention output at one layer — is put back to its clean value; the colour is the
          probability of the true object that comes back. Meng et al. found an early site (MLPs at the last subject token, middle layers) and a
          late one (attention at the last token). {peakText} With four layers “middle” hardly exists. This model also read subject “biographies”
          (a subject followed by all four of its objects), which makes its last subject token hold the subject’s attributes; trained on the
          questions alone it looked facts up at the last token instead — where a model stores facts depends on its data and size. The peak
          is where restoring helps most, not necessarily where an edit works best.
        </>
      }
    >
      <div ref={bodyRef}>
        {showAverage && average && !average.final && <ProgressBar value={average.done} max={average.total} label="averaging" detail={`${average.done} / ${average.total} facts traced`} />}
        <svg width={width} height={blocks * height} role="img" aria-label={`Causal traces of ${what}`} data-loc-trace={showAverage ? 'average' : 'fact'} data-loc-peak={`${peak.token},${peak.layer},${peak.subjectLayer}`}>
          {TRACE_KINDS.map((kind, k) => (
            <g key={kind} transform={`translate(${(k % perRow) * (labelW + L * cell + gap)},${Math.floor(k / perRow) * height})`}>
              <TraceMap kind={kind} maps={maps} cell={cell} rowH={rowH} labelW={labelW} peak={kind === 'mlp' ? peak : null} />
            </g>
          ))}
        </svg>
        <p className="loc-peak" data-loc-peak-text>{peakText}</p>
      </div>
    </Panel>
  );
}

function TraceMap({ kind, maps, cell, rowH, labelW, peak }: { kind: TraceKind; maps: Maps; cell: number; rowH: number; labelW: number; peak: ReturnType<typeof tracePeaks> | null }) {
  const grid = maps[kind];
  const low = maps.lowScore;
  const hi = Math.max(low + 1e-6, ...grid.flat());
  const color = TRACE_COLORS[kind];
  const L = grid[0].length;
  return (
    <>
      <text className="ind-block-title" x={labelW} y={13}>{TRACE_TITLES[kind]}</text>
      {maps.labels.map((label, i) => (
        <text key={i} className={`axis-tick${i >= maps.subjectFirst && i <= maps.subjectLast ? ' loc-subject-label' : ''}`} x={labelW - 5} y={22 + i * rowH + rowH / 2 + 4} textAnchor="end">{label}</text>
      ))}
      {Array.from({ length: L }, (_, l) => (
        <text key={l} className="axis-tick" x={labelW + l * cell + cell / 2} y={22 + grid.length * rowH + 13} textAnchor="middle">{l}</text>
      ))}
      <text className="axis-tick" x={labelW + (L * cell) / 2} y={22 + grid.length * rowH + 27} textAnchor="middle">layer</text>
      {grid.map((row, i) =>
        row.map((v, l) => (
          <rect key={`${i}.${l}`} data-loc-cell={kind} x={labelW + l * cell} y={22 + i * rowH} width={cell - 1} height={rowH - 1} fill={color(Math.max(0, Math.min(1, (v - low) / (hi - low))))}>
            <title>{`${TRACE_TITLES[kind]}, ${maps.labels[i]}, layer ${l}: restored P(o) ${pct(v)} (corrupted ${pct(low)})`}</title>
          </rect>
        )),
      )}
      {peak && <rect className="loc-peak-cell" x={labelW + peak.layer * cell - 1} y={22 + peak.token * rowH - 1} width={cell + 1} height={rowH + 1} />}
    </>
  );
}
