// Dimensions per feature m/‖W‖_F² against 1/(1−S), log x (science.md §4.3, A5): 1 when dense,
// then a plateau at 1/2 (antipodal pairs) before it falls further.

import * as d3 from 'd3';
import type { DimensionalityResult } from '../../../engine/views/views.ts';
import { Axis } from '../../charts/Axis.tsx';
import { fixed, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { dimsCurveWords } from '../../a11y/viewSummaries.ts';

const HEIGHT = 300;

export function DimsCurvePanel({ result, m }: { result: DimensionalityResult | null; m: number }) {
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(480);
  if (!result) return <Panel id="dims-curve" title="Dimensions per feature" summary={null} waiting bodyRef={bodyRef} />;
  const { points, plateau } = result;
  const margin = { top: 12, right: 16, bottom: 44, left: 48 };
  const innerW = Math.max(160, width - margin.left - margin.right);
  const innerH = HEIGHT - margin.top - margin.bottom;
  const x = d3.scaleLog().domain([d3.min(points, (p) => p.x)! * 0.95, d3.max(points, (p) => p.x)! * 1.05]).range([0, innerW]);
  const y = d3.scaleLinear().domain([0, 1.1]).range([innerH, 0]);
  const line = d3.line<(typeof points)[number]>().x((p) => x(p.x)).y((p) => y(Math.min(p.dimsPerFeature, 1.1)));
  const band = plateau.xRange;
  return (
    <Panel
      id="dims-curve"
      summary={dimsCurveWords(result)}
      title="Dimensions per feature"
      subtitle={`m / ‖W‖²_F, ${points.length} models`}
      legend={
        <ul className="swatches">
          <li><span className="swatch swatch-bar" />m / ‖W‖²_F of each model</li>
          <li><span className="swatch plateau-swatch" />within ±{plateau.tolerance} of 1/2</li>
        </ul>
      }
      caption={
        <>
          ‖W‖²_F counts represented features (each has ‖Wᵢ‖ ≈ 1), so m/‖W‖²_F is the hidden dimensions per represented
          feature. Dense data: 1 (only m features, one dimension each). The paper's surprise: it does not fall smoothly but{' '}
          <strong>sticks at 1/2</strong>, every dimension holding an antipodal pair, over a range of sparsities, then falls further.{' '}
          <strong>
            Here: {plateau.instances.length} of {points.length} models on the plateau
            {band ? `, for 1/(1−S) from ${num(band[0], 3)} to ${num(band[1], 3)}` : ''}.
          </strong>{' '}
          (m = {m}; the colab uses n = 200, m = 20; this view keeps its ratio n/m = 10 with n = 50, m = 5, a fraction of the work, and stops once the curve has settled; the timer above says how long it took here.)
        </>
      }
    >
      <div ref={bodyRef} data-plateau={plateau.instances.length} data-plateau-range={band ? band.map((v) => v.toFixed(3)).join(':') : ''}>
        <svg width={width} height={HEIGHT} role="img" aria-label={`Dimensions per feature: ${plateau.instances.length} models on the plateau at one half`}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            {band && <rect className="plateau-band" x={x(band[0]) - 6} width={x(band[1]) - x(band[0]) + 12} y={y(0.5 + plateau.tolerance)} height={y(0.5 - plateau.tolerance) - y(0.5 + plateau.tolerance)} />}
            {[1, 0.5].map((v) => (
              <g key={v} className="sticky-line">
                <line x1={0} x2={innerW} y1={y(v)} y2={y(v)} />
                <text x={innerW - 4} y={y(v) - 5} textAnchor="end" className="sticky-label">{v === 1 ? '1: a dimension each' : '1/2: antipodal pairs'}</text>
              </g>
            ))}
            <path d={line(points) ?? ''} fill="none" stroke="var(--bar-rule, #111827)" strokeWidth={2} />
            {points.map((p) => (
              <circle key={p.instance} cx={x(p.x)} cy={y(Math.min(p.dimsPerFeature, 1.1))} r={3.5} className="dims-point" data-instance={p.instance} data-dims={p.dimsPerFeature.toFixed(4)}>
                <title>{`S = ${num(p.sparsity, 3)}: ${fixed(p.dimsPerFeature, 3)} dimensions per feature, ${p.represented} features represented`}</title>
              </circle>
            ))}
            <Axis scale={x} orient="bottom" y={innerH} tickValues={[1, 2, 3, 5, 10, 20].filter((t) => t >= x.domain()[0] && t <= x.domain()[1])} format={(d: number) => String(d)} label="1 / (1 − S)  (log scale)" />
            <Axis scale={y} orient="left" tickValues={[0, 0.25, 0.5, 0.75, 1]} format={(d: number) => String(d)} label="dimensions per feature" labelOffset={38} />
          </g>
        </svg>
      </div>
    </Panel>
  );
}
