// The loss of the recorded run with the jumps marked: drops of the loss line up with features
// changing geometry. The cursor marks the replayed moment; click to move it.

import * as d3 from 'd3';
import type { DynamicsResult } from '../../../engine/views/views.ts';
import { Axis } from '../../charts/Axis.tsx';
import { HIGHLIGHT } from '../../colors.ts';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { dynamicsLossWords } from '../../a11y/viewSummaries.ts';

const HEIGHT = 260;

interface LossProps {
  analysis: DynamicsResult | null;
  index: number;
  onSelect: (frame: number | null) => void;
  totalSteps: number;
}

export function DynamicsLossPanel({ analysis, index, onSelect, totalSteps }: LossProps) {
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(480);
  const frames = analysis?.frames.filter((f) => Number.isFinite(f.loss) && f.loss > 0) ?? [];
  if (!analysis || frames.length < 2) return <Panel id="dynamics-loss" title="Loss, with the jumps" summary={null} waiting bodyRef={bodyRef} />;
  const margin = { top: 10, right: 14, bottom: 40, left: 56 };
  const innerW = Math.max(160, width - margin.left - margin.right);
  const innerH = HEIGHT - margin.top - margin.bottom;
  const x = d3.scaleLinear().domain([0, totalSteps]).range([0, innerW]);
  const y = d3.scaleLog().domain([d3.min(frames, (f) => f.loss)! / 1.2, d3.max(frames, (f) => f.loss)! * 1.2]).range([innerH, 0]).nice();
  const path = d3.line<(typeof frames)[number]>().x((f) => x(f.step)).y((f) => y(f.loss))(frames) ?? '';
  const { jumps } = analysis;
  const pick = (e: React.PointerEvent<SVGRectElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const step = x.invert(e.clientX - r.left);
    const i = d3.bisectCenter(analysis.frames.map((f) => f.step), step);
    onSelect(i >= analysis.frames.length - 1 ? null : i);
  };
  const cursorStep = analysis.frames[index]?.step ?? 0;
  return (
    <Panel
      id="dynamics-loss"
      summary={dynamicsLossWords(analysis)}
      title="Loss, with the jumps"
      caption={
        <>
          Loss over the steps between recorded frames (log scale). Orange lines mark the steps where the geometry jumped from one
          settled arrangement to another. The paper: the loss drops when features reorganise, and plateaus while they hold.{' '}
          {jumps.length > 0 && (
            <strong>
              {jumps.map((j) => `${j.from} → ${j.to}: loss ${num(j.lossBefore, 3)} → ${num(j.lossAfter, 3)}`).join('; ')}.
            </strong>
          )}
        </>
      }
    >
      <div ref={bodyRef} data-jump-steps={jumps.map((j) => j.step).join(',')}>
        <svg width={width} height={HEIGHT} role="img" aria-label="Loss over training with the jumps marked">
          <g transform={`translate(${margin.left},${margin.top})`}>
            {jumps.map((j, i) => (
              <g key={j.step}>
                <line className="jump-line" x1={x(j.step)} x2={x(j.step)} y1={0} y2={innerH} />
                <text x={x(j.step) + 4} y={12 + 13 * i} className="jump-label">→ {j.to}</text>
              </g>
            ))}
            <path d={path} fill="none" stroke="var(--bar-rule, #111827)" strokeWidth={1.6} />
            <line className="cursor-line" x1={x(cursorStep)} x2={x(cursorStep)} y1={0} y2={innerH} stroke={HIGHLIGHT} />
            <Axis scale={x} orient="bottom" y={innerH} ticks={5} format={(d: number) => (d >= 1000 ? `${d / 1000}k` : String(d))} label="step" />
            <Axis scale={y} orient="left" tickValues={y.ticks(4).filter((t) => [1, 2, 5].includes(Number(t.toExponential(0).split('e')[0])))} format={(d: number) => num(d, 2)} label="loss" labelOffset={46} />
            <rect width={innerW} height={innerH} className="scatter-hit" onPointerDown={pick} onPointerMove={(e) => e.buttons === 1 && pick(e)} />
          </g>
        </svg>
      </div>
    </Panel>
  );
}
