// Training loss of every instance over steps, on a log scale.

import * as d3 from 'd3';
import { useLab } from '../../state/labStore.ts';
import { Axis } from '../charts/Axis.tsx';
import { instanceColor } from '../colors.ts';
import { count, num, sparsityLabel } from '../format.ts';
import { useElementWidth } from '../hooks/useElementWidth.ts';
import { Panel } from './Panel.tsx';
import { FINAL_LOSS_WORDS } from '../../engine/toy/runner.ts';
import { useRunView } from './useRunView.ts';

const HEIGHT = 220;
const MAX_SWATCHES = 8;

export function LossCurvePanel() {
  const view = useRunView();
  const history = useLab((s) => s.history);
  useLab((s) => s.historyVersion); // re-render when points are appended
  const selected = useLab((s) => s.selectedInstance);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(360);
  if (!view || history.instances !== view.snapshot.K) return <Panel id="loss" title="Loss" waiting bodyRef={bodyRef} />;
  const { config, sparsities } = view;
  const K = history.instances;
  const margin = { top: 10, right: 14, bottom: 40, left: 56 };
  const innerW = Math.max(80, width - margin.left - margin.right);
  const innerH = HEIGHT - margin.top - margin.bottom;
  const x = d3.scaleLinear().domain([0, config.steps]).range([0, innerW]);
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of history.losses) for (const v of l) if (v > 0 && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!Number.isFinite(lo)) { lo = 1e-3; hi = 1; }
  const y = d3.scaleLog().domain([lo / 1.3, hi * 1.3]).range([innerH, 0]).nice();
  const line = d3
    .line<number>()
    .defined((v) => v > 0 && Number.isFinite(v))
    .x((_, t) => x(history.steps[t]))
    .y((v) => y(v));
  const order = d3.range(K).filter((k) => k !== selected).concat(selected < K ? [selected] : []);
  const last = history.steps.length - 1;
  const latest = last >= 0 ? history.losses[Math.min(selected, K - 1)][last] : NaN;
  const final = view.snapshot.finalLosses?.[Math.min(selected, K - 1)] ?? NaN;
  const yTicks = y.ticks(4).filter((t, i, all) => all.length <= 6 || Math.log10(t) % 1 === 0 || i === 0);

  return (
    <Panel
      id="loss"
      title="Loss"
      subtitle={
        Number.isFinite(final)
          ? <span title={FINAL_LOSS_WORDS} data-final-loss={final}>{K > 1 ? `instance ${selected + 1}: ` : ''}final loss {num(final, 3)} (mean of the last 1 % of steps)</span>
          : Number.isFinite(latest) ? `${K > 1 ? `instance ${selected + 1}: ` : ''}${num(latest, 3)} at step ${count(history.steps[last])}` : undefined
      }
      legend={
        K > 1 && K <= MAX_SWATCHES ? (
          <ul className="swatches">
            {sparsities.map((S, k) => (
              <li key={k}><span className="swatch" style={{ background: instanceColor(k, K) }} />{sparsityLabel(S)}</li>
            ))}
          </ul>
        ) : K > MAX_SWATCHES ? (
          <p className="legend-text">Line colour goes from the first instance ({sparsityLabel(sparsities[0])}, dark) to the last ({sparsityLabel(sparsities[K - 1])}, yellow).</p>
        ) : undefined
      }
      caption={
        <>
          Importance-weighted reconstruction error, averaged over the batch and the features (log scale). Sparse data gives a small
          loss simply because most features are zero. Plateaus followed by drops often mean the geometry just changed: a feature
          found its place in a polytope.
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={width} height={HEIGHT} role="img" aria-label="Loss curves">
          <g transform={`translate(${margin.left},${margin.top})`}>
            {yTicks.map((t) => (
              <line key={t} x1={0} x2={innerW} y1={y(t)} y2={y(t)} className="gridline" />
            ))}
            {order.map((k) => (
              <path
                key={k}
                d={line(history.losses[k]) ?? ''}
                fill="none"
                stroke={instanceColor(k, K)}
                strokeWidth={k === selected && K > 1 ? 2.5 : 1.6}
                opacity={K > 1 && k !== selected ? 0.75 : 1}
                className="loss-line"
                data-instance={k}
              />
            ))}
            <Axis scale={x} orient="bottom" y={innerH} ticks={Math.max(2, Math.floor(innerW / 80))} format={(d: number) => (d >= 1000 ? `${d / 1000}k` : String(d))} label="step" />
            <Axis scale={y} orient="left" tickValues={yTicks} format={(d: number) => num(d, 2)} label="loss" labelOffset={46} />
          </g>
        </svg>
      </div>
    </Panel>
  );
}
