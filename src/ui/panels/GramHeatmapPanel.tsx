// WᵀW as a heatmap (how much each pair of features interferes) with the bias vector beside it.
// Cells are painted on a canvas (n can be hundreds); labels and highlights are SVG on top.

import * as d3 from 'd3';
import { useEffect, useMemo, useRef } from 'react';
import { gram } from '../../engine/toy/metrics.ts';
import { setHover, useLab } from '../../state/labStore.ts';
import { Axis } from '../charts/Axis.tsx';
import { ColorLegend } from '../charts/ColorLegend.tsx';
import { paintHeatmap } from '../charts/paintHeatmap.ts';
import { divergingColor, HIGHLIGHT } from '../colors.ts';
import { fixed, sparsityLabel } from '../format.ts';
import { useElementWidth } from '../hooks/useElementWidth.ts';
import { Panel } from './Panel.tsx';
import { instanceWeights, useHoveredFeature, useRunView } from './useRunView.ts';

const BIAS_WIDTH = 96;
const GAP = 18;

export function GramHeatmapPanel() {
  const view = useRunView();
  const selected = useLab((s) => s.selectedInstance);
  const highlighted = useHoveredFeature();
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(360);
  const canvas = useRef<HTMLCanvasElement>(null);

  const k = view ? Math.min(selected, view.snapshot.K - 1) : 0;
  const G = useMemo(() => (view ? gram(instanceWeights(view.snapshot, k), view.snapshot.m, view.snapshot.n) : null), [view, k]);
  const n = view?.snapshot.n ?? 0;
  const labelled = n <= 24;
  const margin = { top: labelled ? 18 : 6, left: labelled ? 22 : 6 };
  const side = Math.max(80, Math.min(340, width - BIAS_WIDTH - GAP - margin.left - 8));
  const cell = n ? side / n : 0;

  useEffect(() => {
    const el = canvas.current;
    if (!el || !G || !n) return;
    paintHeatmap(el, G, n, n, side, side);
  }, [G, n, side]);

  if (!view || !G) return <Panel id="gram" title="Interference WᵀW and bias b" waiting bodyRef={bodyRef} />;
  const { snapshot: s, sparsities } = view;
  const b = s.b.subarray(k * n, (k + 1) * n);
  const bMax = Math.max(0.2, Math.ceil(d3.max(b, (v) => Math.abs(v))! * 5) / 5);
  const bx = d3.scaleLinear().domain([-bMax, bMax]).range([0, BIAS_WIDTH - 10]);
  const biasLeft = margin.left + side + GAP;
  const height = margin.top + side + 34;

  const onMove = (e: React.PointerEvent<SVGRectElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const i = Math.floor(((e.clientY - r.top) / r.height) * n);
    const j = Math.floor(((e.clientX - r.left) / r.width) * n);
    if (i < 0 || j < 0 || i >= n || j >= n) return;
    setHover({ feature: i, instance: k, x: e.clientX, y: e.clientY, detail: `(WᵀW)[${i + 1}, ${j + 1}] = W${i + 1}·W${j + 1} = ${fixed(G[i * n + j], 4)}` });
  };

  const every = Math.ceil(n / 12);
  const ticks = labelled ? d3.range(n).filter((i) => i % every === 0 || i === highlighted) : [];
  return (
    <Panel
      id="gram"
      title="Interference WᵀW and bias b"
      subtitle={s.K > 1 ? `instance ${k + 1} (${sparsityLabel(sparsities[k])})` : undefined}
      legend={
        <ColorLegend
          title="Wᵢ·Wⱼ"
          color={(v) => divergingColor(v)}
          domain={[-1, 0, 1]}
          ticks={[{ value: -1, label: '−1' }, { value: 0, label: '0' }, { value: 1, label: '1' }]}
        />
      }
      caption={
        <>
          Row i, column j is Wᵢ·Wⱼ. The diagonal is ‖Wᵢ‖² (red = the feature is represented). Off the diagonal, white means two
          features are orthogonal; blue or red means they interfere. Look for a clean diagonal when data is dense, and blue
          off-diagonal cells plus <strong>negative biases</strong> when features share dimensions: the ReLU and the bias filter
          out the small interference.
        </>
      }
    >
      <div ref={bodyRef} className="gram-body">
        <div className="gram-stack" style={{ width: biasLeft + BIAS_WIDTH, height }}>
          <canvas
            ref={canvas}
            className="heatmap-canvas"
            style={{ left: margin.left, top: margin.top, width: side, height: side }}
            role="img"
            aria-label={`WᵀW heatmap, ${n} by ${n}`}
          />
          <svg width={biasLeft + BIAS_WIDTH} height={height} className="gram-overlay">
            {ticks.map((i) => (
              <g key={i} className={highlighted === i ? 'tick-highlight' : undefined}>
                <text className="axis-tick" x={margin.left - 5} y={margin.top + (i + 0.5) * cell} dy="0.35em" textAnchor="end">{i + 1}</text>
                <text className="axis-tick" x={margin.left + (i + 0.5) * cell} y={margin.top - 5} textAnchor="middle">{i + 1}</text>
              </g>
            ))}
            <rect x={margin.left} y={margin.top} width={side} height={side} className="heatmap-frame" onPointerMove={onMove} onPointerLeave={() => setHover(null)} />
            {highlighted !== null && highlighted < n && (
              <g className="heatmap-highlight" pointerEvents="none">
                <rect x={margin.left} y={margin.top + highlighted * cell} width={side} height={cell} stroke={HIGHLIGHT} />
                <rect x={margin.left + highlighted * cell} y={margin.top} width={cell} height={side} stroke={HIGHLIGHT} />
              </g>
            )}
            <g transform={`translate(${biasLeft},${margin.top})`}>
              <text className="axis-label" x={(BIAS_WIDTH - 10) / 2} y={-5} textAnchor="middle">bias b</text>
              <line x1={bx(0)} x2={bx(0)} y1={0} y2={side} stroke="#9ca3af" />
              {Array.from(b, (v, i) => (
                <rect
                  key={i}
                  className="bias-bar"
                  data-feature={i}
                  x={Math.min(bx(0), bx(v))}
                  width={Math.max(0.5, Math.abs(bx(v) - bx(0)))}
                  y={i * cell + cell * 0.15}
                  height={Math.max(1, cell * 0.7)}
                  fill={highlighted === i ? HIGHLIGHT : v < 0 ? '#2166ac' : '#b2182b'}
                  onPointerMove={(e) => setHover({ feature: i, instance: k, x: e.clientX, y: e.clientY })}
                  onPointerLeave={() => setHover(null)}
                />
              ))}
              <Axis scale={bx} orient="bottom" y={side + 2} tickValues={[-bMax, 0, bMax]} format={(d: number) => fixed(d, 1)} />
            </g>
          </svg>
        </div>
      </div>
    </Panel>
  );
}
