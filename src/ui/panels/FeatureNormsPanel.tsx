// ‖Wᵢ‖ per feature as bars, coloured by how much the feature shares its direction.

import * as d3 from 'd3';
import { representedCounts } from '../../engine/toy/metrics.ts';
import { setHover, useLab } from '../../state/labStore.ts';
import { Axis } from '../charts/Axis.tsx';
import { ColorLegend } from '../charts/ColorLegend.tsx';
import { HIGHLIGHT, superpositionColor, SUPERPOSITION_MAX } from '../colors.ts';
import { fixed, sparsityLabel } from '../format.ts';
import { useElementWidth } from '../hooks/useElementWidth.ts';
import { countWord } from './geometry/geometryWords.ts';
import { Panel } from './Panel.tsx';
import { perFeature, useHoveredFeature, useRunView } from './useRunView.ts';

export function FeatureNormsPanel() {
  const view = useRunView();
  const selected = useLab((s) => s.selectedInstance);
  const highlighted = useHoveredFeature();
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(360);
  if (!view) return <Panel id="norms" title="How strongly each feature is represented" waiting bodyRef={bodyRef} />;
  const { snapshot: s, sparsities } = view;
  const { n, m } = s;
  const k = Math.min(selected, s.K - 1);
  const norms = perFeature(s.metrics.featureNorms, k, n);
  const sup = perFeature(s.metrics.superposition, k, n);
  const labelled = n <= 30;
  const margin = { top: 8, right: labelled ? 44 : 12, bottom: 36, left: labelled ? 44 : 12 };
  const rowH = Math.max(3, Math.min(24, 260 / n));
  const height = margin.top + rowH * n + margin.bottom;
  const innerW = Math.max(80, width - margin.left - margin.right);
  const xMax = Math.max(1.2, Math.ceil(d3.max(norms)! * 5) / 5);
  const x = d3.scaleLinear().domain([0, xMax]).range([0, innerW]);
  const { represented, superposed } = representedCounts(norms, sup);

  return (
    <Panel
      id="norms"
      title="How strongly each feature is represented"
      subtitle={s.K > 1 ? `instance ${k + 1} (${sparsityLabel(sparsities[k])})` : undefined}
      legend={
        <ColorLegend
          title="superposition Σⱼ≠ᵢ (Ŵᵢ·Wⱼ)²"
          color={(v) => superpositionColor(v)}
          domain={[0, SUPERPOSITION_MAX]}
          ticks={[{ value: 0, label: '0 (alone)' }, { value: 1, label: '1' }, { value: 2, label: '≥ 2 (shared)' }]}
          width={200}
        />
      }
      caption={
        <>
          Bar length is ‖Wᵢ‖: about 1 means the model represents feature i, about 0 means it dropped it. Colour says whether the
          feature has a direction to itself (dark) or shares it with others (yellow). Features are sorted by importance; above the
          dashed line there is room for {countWord(m)} without sharing. <strong>Now: {represented} represented, {superposed} of them in superposition.</strong>
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={width} height={height} role="img" aria-label={`Feature norms: ${represented} of ${n} features represented`}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            {x.ticks(5).map((t) => (
              <line key={t} x1={x(t)} x2={x(t)} y1={0} y2={rowH * n} className="gridline" />
            ))}
            <line x1={x(1)} x2={x(1)} y1={0} y2={rowH * n} className="reference-line" />
            {Array.from(norms, (v, i) => (
              <g
                key={i}
                className="norm-row"
                data-feature={i}
                data-norm={v.toFixed(4)}
                onPointerMove={(e) => setHover({ feature: i, instance: k, x: e.clientX, y: e.clientY })}
                onPointerLeave={() => setHover(null)}
              >
                <rect x={-margin.left} y={i * rowH} width={innerW + margin.left + margin.right} height={rowH} className={highlighted === i ? 'row-highlight' : 'row-hit'} />
                <rect
                  className="norm-bar"
                  x={0}
                  y={i * rowH + rowH * 0.12}
                  width={Math.max(0, x(v))}
                  height={rowH * 0.76}
                  fill={superpositionColor(sup[i])}
                  stroke={highlighted === i ? HIGHLIGHT : 'none'}
                  strokeWidth={2}
                />
                {labelled && (
                  <>
                    <text className="axis-tick" x={-6} y={(i + 0.5) * rowH} dy="0.35em" textAnchor="end">{i + 1}</text>
                    <text className="bar-value" x={x(v) + 4} y={(i + 0.5) * rowH} dy="0.35em">{fixed(v, 2)}</text>
                  </>
                )}
              </g>
            ))}
            {m < n && <line className="capacity-line" x1={0} x2={innerW} y1={m * rowH} y2={m * rowH} />}
            <Axis scale={x} orient="bottom" y={rowH * n} ticks={5} label="‖Wᵢ‖" labelOffset={30} />
            {labelled && (
              <text className="axis-label" transform={`translate(${-margin.left + 12},${(rowH * n) / 2}) rotate(-90)`} textAnchor="middle">
                feature
              </text>
            )}
          </g>
        </svg>
      </div>
    </Panel>
  );
}
