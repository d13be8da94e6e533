// A's and B's training loss on one log-scale axis, legend A/B.

import * as d3 from 'd3';
import { useCompare } from '../../../state/compareStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { SIDE_COLORS, useCompareController, useCompareView, waitingText, type ShownSide } from './shared.ts';

const TITLE = 'Loss: A and B';
const HEIGHT = 220;

export function CompareLossPanel() {
  useCompareController();
  const view = useCompareView();
  const training = useCompare((s) => s.training);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(420);
  if (!view?.a) return <Panel id="compare-loss" title={TITLE} waiting={<p className="panel-waiting">{waitingText(view, training)}</p>} bodyRef={bodyRef} />;
  const sides = [view.a, view.b].filter((s): s is ShownSide => !!s);
  const margin = { top: 10, right: 14, bottom: 40, left: 56 };
  const innerW = Math.max(80, width - margin.left - margin.right);
  const innerH = HEIGHT - margin.top - margin.bottom;
  const maxStep = Math.max(...sides.map((s) => s.run.config.steps));
  const x = d3.scaleLinear().domain([0, maxStep]).range([0, innerW]);
  const values = sides.flatMap((s) => s.curve.map(([, l]) => l)).filter((v) => v > 0 && Number.isFinite(v));
  const lo = values.length ? d3.min(values)! : 1e-3;
  const hi = values.length ? d3.max(values)! : 1;
  const y = d3.scaleLog().domain([lo / 1.3, hi * 1.3]).range([innerH, 0]).nice();
  const line = d3.line<[number, number]>().defined(([, v]) => v > 0 && Number.isFinite(v)).x(([s]) => x(s)).y(([, v]) => y(v));
  const yTicks = y.ticks(4).filter((t, i, all) => all.length <= 6 || Math.log10(t) % 1 === 0 || i === 0);
  const finals = sides.map((s) => `${s.side.toUpperCase()} ${s.run.done ? `final loss ${num(s.loss, 3)}` : 'training…'}`).join(', ');
  return (
    <Panel
      id="compare-loss"
      title={TITLE}
      subtitle={<span data-compare-losses>{finals}</span>}
      summary={finals}
      legend={
        <ul className="swatches">
          {sides.map((s) => <li key={s.side}><span className="swatch" style={{ background: SIDE_COLORS[s.side] }} />{s.side.toUpperCase()}</li>)}
        </ul>
      }
      caption={<>Importance-weighted reconstruction loss of A and B over their steps, on one log scale (final loss = mean of the last 1 % of steps). {finals}.</>}
    >
      <div ref={bodyRef}>
        <svg width={width} height={HEIGHT} role="img" aria-label={`Loss curves of A and B: ${finals}`}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            {yTicks.map((t) => <line key={t} x1={0} x2={innerW} y1={y(t)} y2={y(t)} className="gridline" />)}
            {sides.map((s) => <path key={s.side} d={line(s.curve) ?? ''} fill="none" stroke={SIDE_COLORS[s.side]} strokeWidth={s.side === 'b' ? 2 : 1.8} strokeDasharray={s.side === 'a' ? '5 3' : undefined} className="loss-line" data-compare-loss={s.side} />)}
            <Axis scale={x} orient="bottom" y={innerH} ticks={Math.max(2, Math.floor(innerW / 80))} format={(d: number) => (d >= 1000 ? `${d / 1000}k` : String(d))} label="step" />
            <Axis scale={y} orient="left" tickValues={yTicks} format={(d: number) => num(d, 2)} label="loss" labelOffset={46} />
          </g>
        </svg>
      </div>
    </Panel>
  );
}
