// MMCS, L0 and the dead fraction of every SAE instance over training, as three stacked charts.

import * as d3 from 'd3';
import { selectSaeInstance, useSae } from '../../../state/saeStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { instanceColor } from '../../colors.ts';
import { count, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';

const CHART_H = 96;
const GAP = 14;

interface Metric {
  key: 'mmcs' | 'l0' | 'dead';
  label: string;
  domain: (values: number[][]) => [number, number];
}

const METRICS: Metric[] = [
  { key: 'mmcs', label: 'MMCS', domain: (v) => [Math.min(0.8, Math.floor(10 * (d3.min(v.flat().filter(Number.isFinite)) ?? 0)) / 10), 1] },
  { key: 'l0', label: 'L0', domain: (v) => [0, Math.max(1, d3.max(v.flat().filter(Number.isFinite)) ?? 1) * 1.05] },
  { key: 'dead', label: 'dead', domain: () => [0, 1] },
];

export function SaeCurvesPanel() {
  const history = useSae((s) => s.history);
  useSae((s) => s.historyVersion);
  const snap = useSae((s) => s.snapshot);
  const runSae = useSae((s) => s.runSae);
  const selected = useSae((s) => s.selected);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(380);
  if (!snap || !runSae || history.instances !== snap.K) return <Panel id="sae-curves" title="Recovery over training" waiting bodyRef={bodyRef} />;
  const K = snap.K;
  const k = Math.min(selected, K - 1);
  const margin = { top: 6, right: 12, bottom: 40, left: 50 };
  const innerW = Math.max(80, width - margin.left - margin.right);
  const height = margin.top + METRICS.length * CHART_H + (METRICS.length - 1) * GAP + margin.bottom;
  const x = d3.scaleLinear().domain([0, runSae.saeSteps]).range([0, innerW]);
  const order = d3.range(K).filter((i) => i !== k).concat([k]);
  const latest = Array.from(snap.mmcs, (v) => Number(v.toFixed(4)));
  const spread = snap.l1.length > 1 && snap.l1[0] !== snap.l1[K - 1];
  return (
    <Panel
      id="sae-curves"
      title="Recovery over training"
      subtitle={`step ${count(snap.step)}: best MMCS ${num(d3.max(latest) ?? NaN, 3)}`}
      legend={
        <ul className="swatches">
          {d3.range(K).map((i) => (
            <li key={i}>
              <button type="button" className="link-button sae-swatch-button" onClick={() => selectSaeInstance(i)}>
                <span className="swatch" style={{ background: instanceColor(i, K) }} />#{i + 1}{spread ? ` λ=${num(snap.l1[i], 2)}` : ''}
              </button>
            </li>
          ))}
        </ul>
      }
      caption={
        <>
          <strong>MMCS</strong> climbs towards 1 as the decoder columns line up with the true directions (mind the axis: in 2
          dimensions even random directions score 0.7–0.9, so the last hundredths are what count). <strong>L0</strong> is the
          mean number of latents active per input: the toy data has n·(1 − S) features on per input on average (0.125
          for the pentagon), and a good SAE settles near that. <strong>Dead</strong> is the share of latents that have not fired for 500 steps. Too much L1 pushes
          every pre-activation below zero; a latent that never fires gets no gradient from the reconstruction and cannot come back
          by itself, so the dead share keeps growing. Resampling re-points dead latents at inputs the SAE reconstructs badly
          (every 2 500 steps): watch the dead share drop and MMCS jump.
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={width} height={height} role="img" aria-label="MMCS, L0 and dead fraction over training" data-mmcs={JSON.stringify(latest)} data-step={snap.step}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            {METRICS.map((m, row) => {
              const series = m.key === 'mmcs' ? history.mmcs : m.key === 'l0' ? history.l0 : history.dead;
              const y = d3.scaleLinear().domain(m.domain(series)).range([CHART_H, 0]).nice();
              const line = d3.line<number>().defined(Number.isFinite).x((_, t) => x(history.steps[t])).y((v) => y(v));
              const ticks = y.ticks(3);
              return (
                <g key={m.key} transform={`translate(0,${row * (CHART_H + GAP)})`} data-metric={m.key}>
                  {ticks.map((t) => (
                    <line key={t} x1={0} x2={innerW} y1={y(t)} y2={y(t)} className="gridline" />
                  ))}
                  {order.map((i) => (
                    <path key={i} d={line(series[i]) ?? ''} fill="none" stroke={instanceColor(i, K)} strokeWidth={i === k ? 2.4 : 1.3} opacity={i === k ? 1 : 0.7} />
                  ))}
                  <Axis scale={y} orient="left" tickValues={ticks} format={(d: number) => num(d, 2)} label={m.label} labelOffset={38} />
                  {row === METRICS.length - 1 && (
                    <Axis scale={x} orient="bottom" y={CHART_H} ticks={Math.max(2, Math.floor(innerW / 80))} format={(d: number) => (d >= 1000 ? `${d / 1000}k` : String(d))} label="SAE step" />
                  )}
                </g>
              );
            })}
          </g>
        </svg>
      </div>
    </Panel>
  );
}
