// Feature dimensionality Dᵢ of every feature over training (science.md §5.7): the lines sit on
// sticky fractions and jump between them. The cursor marks the replayed moment; click to move it.

import * as d3 from 'd3';
import { REPRESENTED_NORM } from '../../../engine/toy/metrics.ts';
import { REFERENCE_FRACTIONS, type DynamicsResult } from '../../../engine/views/views.ts';
import { Axis } from '../../charts/Axis.tsx';
import { StickyLines } from '../../charts/StickyLines.tsx';
import { HIGHLIGHT, importanceColor } from '../../colors.ts';
import { count } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { dynamicsTraceWords } from '../../a11y/viewSummaries.ts';

const HEIGHT = 260;

interface TraceProps {
  analysis: DynamicsResult | null;
  index: number;
  onSelect: (frame: number | null) => void;
  importance: number[];
  totalSteps: number;
}

export function DynamicsTracePanel({ analysis, index, onSelect, importance, totalSteps }: TraceProps) {
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(480);
  if (!analysis || !analysis.frames.length) return <Panel id="dynamics-trace" title="Feature dimensionality over training" summary={null} waiting bodyRef={bodyRef} />;
  const { frames, jumps } = analysis;
  const n = frames[0].D.length;
  const margin = { top: 10, right: 132, bottom: 40, left: 44 };
  const innerW = Math.max(160, width - margin.left - margin.right);
  const innerH = HEIGHT - margin.top - margin.bottom;
  const x = d3.scaleLinear().domain([0, totalSteps]).range([0, innerW]);
  const y = d3.scaleLinear().domain([0, 1.05]).range([innerH, 0]);
  const line = (i: number) => d3.line<(typeof frames)[number]>().x((f) => x(f.step)).y((f) => y(Math.min(f.norms[i] < REPRESENTED_NORM ? 0 : f.D[i], 1.05)))(frames) ?? '';
  const pick = (e: React.PointerEvent<SVGRectElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const step = x.invert(e.clientX - r.left);
    const i = d3.bisectCenter(frames.map((f) => f.step), step);
    onSelect(i >= frames.length - 1 ? null : i);
  };
  return (
    <Panel
      id="dynamics-trace"
      summary={dynamicsTraceWords(analysis)}
      title="Feature dimensionality over training"
      legend={<p className="legend-text">One line per feature (darker = more important); a feature with ‖Wᵢ‖ &lt; {REPRESENTED_NORM} is drawn at 0. Dashed lines: the sticky fractions. Orange: jumps.</p>}
      caption={
        <>
          The paper: dimensionalities do not drift smoothly but <strong>jump between the sticky fractions</strong>, like energy
          levels. {jumps.length ? <strong>Here: {jumps.map((j) => `at step ${count(j.step)}, ${j.from} → ${j.to}`).join('; ')}.</strong> : 'No jump between settled states yet.'}
        </>
      }
    >
      <div ref={bodyRef} data-jumps={jumps.length}>
        <svg width={width} height={HEIGHT} role="img" aria-label={`Feature dimensionality over training, ${jumps.length} jumps`}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            <StickyLines fractions={REFERENCE_FRACTIONS} y={y} width={innerW} gap={11} />
            {jumps.map((j) => (
              <line key={j.step} className="jump-line" x1={x(j.step)} x2={x(j.step)} y1={0} y2={innerH} />
            ))}
            {d3.range(n).map((i) => (
              <path key={i} d={line(i)} fill="none" stroke={importanceColor(importance[i])} strokeWidth={1.8} data-feature={i} />
            ))}
            <line className="cursor-line" x1={x(frames[index].step)} x2={x(frames[index].step)} y1={0} y2={innerH} stroke={HIGHLIGHT} />
            <Axis scale={x} orient="bottom" y={innerH} ticks={5} format={(d: number) => (d >= 1000 ? `${d / 1000}k` : String(d))} label="step" />
            <Axis scale={y} orient="left" tickValues={[0, 0.25, 0.5, 0.75, 1]} format={(d: number) => String(d)} label="Dᵢ" labelOffset={34} />
            <rect width={innerW} height={innerH} className="scatter-hit" onPointerDown={pick} onPointerMove={(e) => e.buttons === 1 && pick(e)} />
          </g>
        </svg>
      </div>
    </Panel>
  );
}
