// Sequential edits: 10 ROME edits on top of each other at the chosen layer (runSequential) — the accuracy on every
// untouched fact after each, and ‖W − W₀‖/‖W₀‖.

import * as d3 from 'd3';
import { getLocateController, SEQUENTIAL_EDITS } from '../../../state/locateController.ts';
import { editLayer, useLocate } from '../../../state/locateStore.ts';
import { ProgressBar } from '../../charts/ProgressBar.tsx';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { pct, useLocateController } from './shared.tsx';

export function LocateSequentialPanel() {
  useLocateController();
  const seq = useLocate((s) => s.sequential);
  const busy = useLocate((s) => s.busy.sequential ?? false);
  const model = useLocate((s) => s.model);
  const layer = useLocate((s) => editLayer(s).layer);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(420);
  const c = getLocateController();
  const h = 190;
  const m = { top: 12, right: 12, bottom: 34, left: 50 };
  const n = SEQUENTIAL_EDITS;
  const x = d3.scaleLinear().domain([0, n]).range([m.left, width - m.right]);
  const points = seq ? [seq.accuracyBefore, ...seq.accuracyAfter] : [];
  const lo = Math.min(0.9, ...points);
  const y = d3.scaleLinear().domain([Math.floor(lo * 20) / 20, 1]).range([h - m.bottom, m.top]);
  const line = d3.line<number>().x((_, i) => x(i)).y((v) => y(v));
  return (
    <Panel
      id="locate-sequential"
      title="Sequential edits"
      subtitle={seq ? `layer ${seq.layer}` : undefined}
      summary={seq && seq.accuracyAfter.length ? `Accuracy on untouched facts after ${seq.accuracyAfter.length} edits: ${seq.accuracyAfter.map((a) => pct(a)).join(', ')}.` : null}
      caption={
        <>
          {n} random ROME edits applied one on top of the other at the edit layer above (C from the original model), then all undone.
          The line is the top-1 accuracy on every fact not edited, after each edit; the labels are ‖W − W₀‖/‖W₀‖. Edits accumulate: a
          model that keeps its other facts through many edits is the hard part (later work, MEMIT and others, is about exactly this).
          {seq?.efficacy != null ? <> At the end {pct(seq.efficacy)} of the {n} edits’ rewrite prompts still give the new object.</> : null}
        </>
      }
    >
      <div ref={bodyRef}>
        <div className="button-row">
          <button type="button" data-loc-action="sequential" disabled={!model || busy || layer === null} onClick={() => c.sequential()}>{busy ? 'Editing…' : `${n} sequential edits at layer ${layer ?? '…'}`}</button>
        </div>
        {busy && seq && <ProgressBar value={seq.done} max={seq.total} label="edits" detail={`${seq.done} / ${seq.total}`} />}
        {seq && seq.accuracyAfter.length > 0 ? (
          <svg width={width} height={h} role="img" aria-label="Accuracy on untouched facts after each sequential edit" data-loc-sequential={seq.accuracyAfter.length}>
            {y.ticks(4).map((t) => (
              <g key={t}>
                <line className="grid-line" x1={m.left} x2={width - m.right} y1={y(t)} y2={y(t)} />
                <text className="axis-tick" x={m.left - 4} y={y(t) + 4} textAnchor="end">{pct(t)}</text>
              </g>
            ))}
            {d3.range(n + 1).map((i) => <text key={i} className="axis-tick" x={x(i)} y={h - m.bottom + 14} textAnchor="middle">{i}</text>)}
            <text className="axis-tick" x={(m.left + width - m.right) / 2} y={h - 4} textAnchor="middle">edits applied</text>
            <path d={line(points) ?? ''} fill="none" stroke="#2b6cb0" strokeWidth={2} />
            {points.map((v, i) => (
              <g key={i}>
                <circle cx={x(i)} cy={y(v)} r={3} fill="#2b6cb0"><title>{`after ${i} edits: ${pct(v)}`}</title></circle>
                {i > 0 && <text className="axis-tick" x={x(i)} y={y(v) - 7} textAnchor="middle">{seq.normRatio[i - 1].toFixed(2)}</text>}
              </g>
            ))}
          </svg>
        ) : (
          !busy && <p className="panel-waiting">{n} ROME edits on top of each other: about half a minute in the worker.</p>
        )}
      </div>
    </Panel>
  );
}
