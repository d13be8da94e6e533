// Feature dimensionality Dᵢ (dots) and dimensions per feature (bars), against the "sticky"
// fractions where uniform polytopes sit. One band per instance; inside a band, features in order.

import * as d3 from 'd3';
import { REPRESENTED_NORM } from '../../engine/toy/metrics.ts';
import { REFERENCE_FRACTIONS } from '../../engine/views/analysis/dimensionality.ts';
import { setHover, useLab } from '../../state/labStore.ts';
import { Axis } from '../charts/Axis.tsx';
import { StickyLines } from '../charts/StickyLines.tsx';
import { HIGHLIGHT, importanceColor } from '../colors.ts';
import { fixed, num } from '../format.ts';
import { useElementWidth } from '../hooks/useElementWidth.ts';
import { Panel } from './Panel.tsx';
import { perFeature, shownInstances, useHoveredFeature, useRunView } from './useRunView.ts';

const HEIGHT = 250;
const Y_MAX = 1.1;

export function DimensionalityPanel() {
  const view = useRunView();
  const selected = useLab((s) => s.selectedInstance);
  const highlighted = useHoveredFeature();
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(360);
  if (!view) return <Panel id="dimensionality" title="Dimensions per feature" waiting bodyRef={bodyRef} />;
  const { snapshot: s, sparsities, importance } = view;
  const { n, m, K } = s;
  const instances = shownInstances(K, 20);
  const margin = { top: 12, right: 128, bottom: 44, left: 44 };
  const innerW = Math.max(80, width - margin.left - margin.right);
  const innerH = HEIGHT - margin.top - margin.bottom;
  const band = d3.scaleBand<number>().domain(instances).range([0, innerW]).paddingInner(K > 1 ? 0.18 : 0).paddingOuter(0.05);
  const y = d3.scaleLinear().domain([0, Y_MAX]).range([innerH, 0]);
  const fx = (k: number, i: number) => band(k)! + ((i + 0.5) / n) * band.bandwidth();
  const r = Math.max(2, Math.min(5, band.bandwidth() / n / 2.2));
  const sel = Math.min(selected, K - 1);
  const dpf = s.metrics.dimsPerFeature[sel];

  return (
    <Panel
      id="dimensionality"
      title="Dimensions per feature"
      legend={
        <ul className="swatches">
          <li><span className="swatch swatch-dot" style={{ background: importanceColor(0.8) }} />Dᵢ of feature i (colour = importance)</li>
          <li><span className="swatch swatch-bar" />m / ‖W‖²: dimensions per represented feature</li>
          <li><span className="swatch swatch-dot swatch-hollow" />feature not represented</li>
        </ul>
      }
      caption={
        <>
          Dᵢ = ‖Wᵢ‖² / Σⱼ(Ŵᵢ·Wⱼ)² is the share of a dimension that feature i gets: 1 for a dimension of its own, 1/2 for an
          antipodal pair, 2/5 for a pentagon. Features do not spread out evenly: they <strong>stick</strong> to these fractions,
          the dashed lines. <strong>Now{K > 1 ? ` (instance ${sel + 1})` : ''}: m/‖W‖² = {num(dpf, 3)} dimensions per feature.</strong>{' '}
          The bar, m/‖W‖², counts each feature by its squared length, so it matches Dᵢ only when the represented features have
          length 1: trained features are often a little longer (a pentagon's are ≈ 1.13, so m/‖W‖² ≈ 0.31 while every Dᵢ ≈ 0.40),
          and Dᵢ, which does not depend on length, is the one that names the shape.
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={width} height={HEIGHT} role="img" aria-label={`Feature dimensionality; ${num(dpf, 3)} dimensions per feature`}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            <StickyLines fractions={REFERENCE_FRACTIONS} y={y} width={innerW} />
            {instances.map((k) => {
              const D = perFeature(s.metrics.featureDimensionality, k, n);
              const norms = perFeature(s.metrics.featureNorms, k, n);
              const perFeat = s.metrics.dimsPerFeature[k];
              const x0 = band(k)!;
              return (
                <g key={k} className={`dim-band ${K > 1 && k === sel ? 'dim-band-selected' : ''}`} data-instance={k}>
                  {K > 1 && k === sel && <rect x={x0} y={0} width={band.bandwidth()} height={innerH} className="band-selected" />}
                  <line
                    className="dims-per-feature"
                    x1={x0 + 1}
                    x2={x0 + band.bandwidth() - 1}
                    y1={y(Math.min(perFeat, Y_MAX))}
                    y2={y(Math.min(perFeat, Y_MAX))}
                  />
                  {Array.from(D, (d, i) => {
                    const represented = norms[i] >= REPRESENTED_NORM;
                    const hi = highlighted === i;
                    return (
                      <circle
                        key={i}
                        className="dim-dot"
                        data-feature={i}
                        cx={fx(k, i)}
                        cy={y(Math.min(d, Y_MAX))}
                        r={hi ? r + 2 : r}
                        fill={represented ? (hi ? HIGHLIGHT : importanceColor(importance[i])) : 'white'}
                        stroke={hi ? HIGHLIGHT : represented ? '#374151' : '#9ca3af'}
                        strokeWidth={hi ? 2 : 0.75}
                        onPointerMove={(e) => setHover({ feature: i, instance: k, x: e.clientX, y: e.clientY, detail: `Dᵢ = ${fixed(d, 4)}; instance m/‖W‖² = ${fixed(perFeat, 4)}` })}
                        onPointerLeave={() => setHover(null)}
                      />
                    );
                  })}
                </g>
              );
            })}
            <Axis scale={y} orient="left" tickValues={[0, 0.25, 0.5, 0.75, 1]} format={(d: number) => String(d)} label="dimensions" labelOffset={34} />
            {K > 1 ? (
              <Axis
                scale={band as unknown as d3.AxisScale<d3.NumberValue>}
                orient="bottom"
                y={innerH}
                tickValues={instances.filter((_, j) => instances.length <= 8 || j % Math.ceil(instances.length / 8) === 0)}
                format={(k: number) => num(sparsities[k], 3)}
                label={`sparsity S of each instance (m = ${m})`}
              />
            ) : (
              <g transform={`translate(0,${innerH})`}>
                <line x1={0} x2={innerW} stroke="#9ca3af" />
                {n <= 30 &&
                  d3.range(n).filter((i) => i % Math.ceil(n / 12) === 0).map((i) => (
                    <text key={i} className="axis-tick" x={fx(0, i)} y={14} textAnchor="middle">{i + 1}</text>
                  ))}
                <text className="axis-label" x={innerW / 2} y={34} textAnchor="middle">feature</text>
              </g>
            )}
          </g>
        </svg>
      </div>
    </Panel>
  );
}
