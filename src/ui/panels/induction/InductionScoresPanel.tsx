// Every head's induction and previous-token score over training, with the 0.4 detector threshold.

import * as d3 from 'd3';
import { useInduction } from '../../../state/inductionStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { headColor, headName, stepFormat, useInductionController } from './shared.ts';

const CHART_H = 110;
const GAP = 18;
const ROWS = [
  { key: 'induction', label: 'induction', offset: 0 },
  { key: 'prevToken', label: 'prev-token', offset: 1 },
] as const;

export function InductionScoresPanel() {
  useInductionController();
  const headCurve = useInduction((s) => s.headCurve);
  const run = useInduction((s) => s.runConfig);
  const snap = useInduction((s) => s.snapshot);
  const phase = snap?.phaseChange ?? null;
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(420);
  if (!run || !snap || headCurve.length === 0) return <Panel id="induction-scores" title="Head scores over training" waiting bodyRef={bodyRef} />;
  const { layers, heads } = snap;
  const margin = { top: 8, right: 16, bottom: 38, left: 48 };
  const innerW = Math.max(80, width - margin.left - margin.right);
  const height = margin.top + ROWS.length * CHART_H + GAP + margin.bottom;
  const x = d3.scaleLinear().domain([0, run.steps]).range([0, innerW]);
  const y = d3.scaleLinear().domain([0, 1]).range([CHART_H, 0]);
  const all = d3.range(layers * heads);
  const best = d3.max(snap.scores.filter((h) => h.layer === layers - 1), (h) => h.induction) ?? 0;
  return (
    <Panel
      id="induction-scores"
      title="Head scores over training"
      subtitle={`best last-layer induction ${num(best, 2)}`}
      summary={`Scores at step ${snap.step}: ${snap.scores.map((h) => `${headName(h.layer, h.head)} induction ${num(h.induction, 2)}, previous-token ${num(h.prevToken, 2)}`).join('; ')}.`}
      legend={
        <ul className="swatches">
          {all.map((i) => (
            <li key={i}><span className="swatch" style={{ background: headColor(Math.floor(i / heads), i % heads) }} />{headName(Math.floor(i / heads), i % heads)}</li>
          ))}
        </ul>
      }
      caption={
        <>
          <strong>Induction score</strong>: how much a head, reading the second copy, attends to the token <em>after</em> the earlier
          occurrence of the current token (the one to copy). <strong>Previous-token score</strong>: how much it attends to the token just
          before. Look for a layer-0 head (blue) whose previous-token score rises first, then a layer-1 head (red) whose induction score
          shoots past 0.4 (dashed) in the same steps as the loss cliff: the two halves of the circuit.
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={width} height={height} role="img" aria-label="Induction and previous-token score of every head over training" data-max-induction={best}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            {ROWS.map((row, r) => (
              <g key={row.key} transform={`translate(0,${r * (CHART_H + GAP)})`}>
                {[0, 0.5, 1].map((t) => <line key={t} x1={0} x2={innerW} y1={y(t)} y2={y(t)} className="gridline" />)}
                {phase && <rect className="ind-phase-band" x={x(phase.fromStep)} width={Math.max(2, x(phase.toStep) - x(phase.fromStep))} y={0} height={CHART_H} />}
                <line className="reference-line" x1={0} x2={innerW} y1={y(0.4)} y2={y(0.4)} />
                {all.map((i) => {
                  const layer = Math.floor(i / heads);
                  const line = d3.line<number[]>().x((p) => x(p[0])).y((p) => y(p[2 + 2 * i + row.offset]));
                  return <path key={i} d={line(headCurve) ?? ''} fill="none" stroke={headColor(layer, i % heads)} strokeWidth={1.8} />;
                })}
                <Axis scale={y} orient="left" tickValues={[0, 0.4, 1]} format={(d: number) => num(d, 1)} label={row.label} labelOffset={36} />
                {r === ROWS.length - 1 && <Axis scale={x} orient="bottom" y={CHART_H} ticks={Math.max(2, Math.floor(innerW / 80))} format={stepFormat} label="step" />}
              </g>
            ))}
          </g>
        </svg>
      </div>
    </Panel>
  );
}
