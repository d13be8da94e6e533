// How many features each model represents (and how many of those share directions), against
// 1/(1−S) on a log axis: the sweep's result in one picture.

import * as d3 from 'd3';
import { REPRESENTED_NORM, SUPERPOSED_ABOVE } from '../../../engine/toy/metrics.ts';
import { sweepSummary, type SweepResult } from '../../../engine/views/views.ts';
import type { RunState } from '../../../state/viewStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { latestSnapshot } from '../../views/viewSession.ts';
import { Panel } from '../Panel.tsx';
import { sweepWords } from '../../a11y/viewSummaries.ts';

const HEIGHT = 240;
const SERIES = [
  { key: 'relu-rep', label: 'ReLU output: represented', color: '#cc3311', dash: undefined },
  { key: 'relu-sup', label: 'ReLU output: in superposition', color: '#cc3311', dash: '5 4' },
  { key: 'linear-rep', label: 'linear: represented', color: '#0077bb', dash: undefined },
] as const;

function summaryOf(run: RunState | undefined): SweepResult | null {
  const latest = latestSnapshot(run);
  return latest ? sweepSummary(latest.config, latest.snapshot) : null;
}

export function SweepCountsPanel({ relu, linear }: { relu: RunState | undefined; linear: RunState | undefined }) {
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(480);
  const r = summaryOf(relu);
  const l = summaryOf(linear);
  if (!r) return <Panel id="sweep-counts" title="Features represented" summary={null} waiting bodyRef={bodyRef} />;
  const margin = { top: 10, right: 16, bottom: 42, left: 44 };
  const innerW = Math.max(120, width - margin.left - margin.right);
  const innerH = HEIGHT - margin.top - margin.bottom;
  const xs = r.instances.map((i) => 1 / (1 - i.sparsity));
  const x = d3.scaleLog().domain([d3.min(xs)!, d3.max(xs)!]).range([0, innerW]);
  const y = d3.scaleLinear().domain([0, r.n]).range([innerH, 0]);
  const series = [
    { ...SERIES[0], values: r.instances.map((i) => i.represented) },
    { ...SERIES[1], values: r.instances.map((i) => i.superposed) },
    ...(l ? [{ ...SERIES[2], values: l.instances.map((i) => i.represented) }] : []),
  ];
  const line = d3.line<number>().x((_, k) => x(xs[k])).y((v) => y(v));
  const last = r.instances[r.instances.length - 1];
  return (
    <Panel
      id="sweep-counts"
      summary={[sweepWords("ReLU output", r), l ? sweepWords("Linear", l) : ""].join(" ").trim()}
      title="Features represented"
      subtitle={`m = ${r.m} dimensions`}
      legend={
        <ul className="swatches">
          {series.map((s) => (
            <li key={s.key}><span className="swatch" style={{ background: s.color, opacity: s.dash ? 0.6 : 1 }} />{s.label}</li>
          ))}
        </ul>
      }
      caption={
        <>
          A feature counts as represented when ‖Wᵢ‖ ≥ {REPRESENTED_NORM}, and as superposed when it shares its direction
          (Σⱼ≠ᵢ(Ŵᵢ·Wⱼ)² &gt; {SUPERPOSED_ABOVE}). The linear model stays at m = {r.m}; the ReLU model climbs past m as features get sparser.{' '}
          <strong>Now: at S = {num(last.sparsity, 3)} the ReLU model represents {last.represented} of {r.n} features in {r.m} dimensions{l ? `, the linear one ${l.instances[l.instances.length - 1].represented}` : ''}.</strong>
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={width} height={HEIGHT} role="img" aria-label="Features represented against sparsity">
          <g transform={`translate(${margin.left},${margin.top})`}>
            <line x1={0} x2={innerW} y1={y(r.m)} y2={y(r.m)} className="reference-line" />
            <text x={4} y={y(r.m) - 4} className="axis-tick">m = {r.m}</text>
            {series.map((s) => (
              <g key={s.key} data-series={s.key}>
                <path d={line(s.values) ?? ''} fill="none" stroke={s.color} strokeWidth={2} strokeDasharray={s.dash} />
                {s.values.map((v, k) => (
                  <circle key={k} cx={x(xs[k])} cy={y(v)} r={3} fill={s.dash ? 'var(--card, #fff)' : s.color} stroke={s.color} />
                ))}
              </g>
            ))}
            <Axis scale={x} orient="bottom" y={innerH} tickValues={xs.filter((_, k) => k % 2 === 0)} format={(d: number) => num(d, 2)} label="1 / (1 − S)  (log scale)" />
            <Axis scale={y} orient="left" ticks={5} label="features" labelOffset={32} />
          </g>
        </svg>
      </div>
    </Panel>
  );
}
