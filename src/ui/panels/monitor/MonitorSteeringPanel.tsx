// Steering: add c·ReLU(W_t) — what the target alone at strength c puts in the hidden layer — on inputs where
// the target is absent, and watch its output switch on (and what else moves).

import * as d3 from 'd3';
import { focusedFeature, useMonitor } from '../../../state/monitorStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { pct, range, useMonitorController } from './shared.ts';

const SERIES = [
  { key: 'onRate', label: 'share of inputs with x′_t > 0.1', color: '#2a5bd7' },
  { key: 'target', label: 'mean x′_t', color: '#1f2937' },
  { key: 'others', label: 'mean Σ|Δx′| of the other features', color: '#f59e0b' },
] as const;

export function MonitorSteeringPanel() {
  useMonitorController();
  const result = useMonitor((s) => s.result);
  const target = useMonitor((s) => s.target);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(420);
  if (!result) return <Panel id="monitor-steering" title="Steering: switch the feature on" waiting={<p className="panel-waiting">Training the base and the SAE…</p>} bodyRef={bodyRef} />;
  if (!result.toy) return <Panel id="monitor-steering" title="Steering: switch the feature on" waiting={<p className="panel-waiting">Steering is measured on the toy base (pick it above).</p>} bodyRef={bodyRef} />;
  const f = focusedFeature({ result, target })!;
  const rep = result.features.filter((x) => x.represented);
  const last = f.steering[f.steering.length - 1];
  const dir = result.toy.hiddenRelu ? `ReLU(W_${f.target})` : `W_${f.target}`;
  const margin = { top: 10, right: 16, bottom: 40, left: 48 };
  const height = 220;
  const innerW = Math.max(100, Math.min(width, 560) - margin.left - margin.right);
  const innerH = height - margin.top - margin.bottom;
  const x = d3.scaleLinear().domain([0, d3.max(f.steering, (p) => p.strength) ?? 1]).range([0, innerW]);
  const y = d3.scaleLinear().domain([0, Math.max(1, d3.max(f.steering, (p) => Math.max(p.target, p.others)) ?? 1)]).range([innerH, 0]).nice();
  return (
    <Panel
      id="monitor-steering"
      title="Steering: switch the feature on"
      subtitle={`feature ${f.target}`}
      summary={`Adding the direction of feature ${f.target} at strength ${last.strength} switches it on for ${pct(last.onRate)} of inputs where it is absent.`}
      legend={<ul className="swatches">{SERIES.map((s) => <li key={s.key}><span className="swatch" style={{ background: s.color }} />{s.label}</li>)}</ul>}
      caption={
        <>
          The same direction that removes the feature can also switch it on: on inputs where feature {f.target} is absent, adding c·{dir}
          (what the feature alone at value c puts in the hidden layer) makes x′_{f.target} exceed 0.1 on <strong>{pct(last.onRate)}</strong> of them at c = {last.strength}
          (all represented features: {range(rep.map((x) => x.steering[x.steering.length - 1].onRate), (v) => pct(v))}), while the other outputs move by{' '}
          {num(last.others, 2)} on average — interference, the price of superposition.
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={innerW + margin.left + margin.right} height={height} role="img" aria-label={`Steering feature ${f.target}`} data-mon-steer={last.onRate}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            {y.ticks(4).map((t) => <line key={t} x1={0} x2={innerW} y1={y(t)} y2={y(t)} className="gridline" />)}
            {SERIES.map((s) => (
              <g key={s.key}>
                <path d={d3.line<(typeof f.steering)[number]>().x((p) => x(p.strength)).y((p) => y(p[s.key]))(f.steering) ?? ''} fill="none" stroke={s.color} strokeWidth={2} />
                {f.steering.map((p) => <circle key={p.strength} cx={x(p.strength)} cy={y(p[s.key])} r={3} fill={s.color} />)}
              </g>
            ))}
            <Axis scale={y} orient="left" ticks={4} format={(d: number) => num(d, 2)} />
            <Axis scale={x} orient="bottom" y={innerH} ticks={4} format={(d: number) => num(d, 2)} label="strength c of the added direction" />
          </g>
        </svg>
      </div>
    </Panel>
  );
}
