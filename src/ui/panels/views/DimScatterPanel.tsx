// Every represented feature's dimensionality Dᵢ against 1/(1−S) (science.md §4.4–4.5): the dots
// cluster on the sticky fractions of uniform polytopes. Dots are painted on a canvas (thousands
// of them); hovering one shows the features that share its direction.

import * as d3 from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { REFERENCE_FRACTIONS, featureNeighbours, type DimensionalityResult, type FeatureDot } from '../../../engine/views/views.ts';
import type { SnapshotMessage } from '../../../worker/protocol.ts';
import { Axis } from '../../charts/Axis.tsx';
import { StickyLines } from '../../charts/StickyLines.tsx';
import { HIGHLIGHT } from '../../colors.ts';
import { fixed, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { dimScatterWords } from '../../a11y/viewSummaries.ts';

const HEIGHT = 340;

/** A stable jitter per (instance, feature), so dots do not dance between frames. */
function jitter(instance: number, feature: number): number {
  const h = Math.sin(instance * 12.9898 + feature * 78.233) * 43758.5453;
  return h - Math.floor(h) - 0.5;
}

export function DimScatterPanel({ result, snapshot }: { result: DimensionalityResult | null; snapshot: SnapshotMessage | null }) {
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(600);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<FeatureDot | null>(null);
  const margin = { top: 12, right: 150, bottom: 44, left: 48 };
  const innerW = Math.max(160, width - margin.left - margin.right);
  const innerH = HEIGHT - margin.top - margin.bottom;
  const xs = result?.points.map((p) => p.x) ?? [1, 20];
  const xKey = xs.join(',');
  const x = useMemo(() => d3.scaleLog().domain([d3.min(xs)! * 0.9, d3.max(xs)! * 1.1]).range([0, innerW]), [xKey, innerW]); // xs is rebuilt every render; its contents are in xKey
  const y = useMemo(() => d3.scaleLinear().domain([0, 1.08]).range([innerH, 0]), [innerH]);
  const step = result && result.points.length > 1 ? x(result.points[1].x) - x(result.points[0].x) : 20;
  const px = (d: FeatureDot) => x(d.x) + jitter(d.instance, d.feature) * Math.max(4, step * 0.6);
  const neighbours = useMemo(() => {
    if (!hover || !snapshot) return [];
    const size = snapshot.m * snapshot.n;
    return featureNeighbours(snapshot.W.subarray(hover.instance * size, (hover.instance + 1) * size), snapshot.m, snapshot.n, hover.feature, 6);
  }, [hover, snapshot]);
  const neighbourSet = new Set(neighbours.map((nb) => nb.feature));

  useEffect(() => {
    const el = canvas.current;
    if (!el || !result) return;
    const ratio = window.devicePixelRatio || 1;
    el.width = Math.round(innerW * ratio);
    el.height = Math.round(innerH * ratio);
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, innerW, innerH);
    ctx.globalAlpha = hover ? 0.25 : 0.7;
    ctx.fillStyle = getComputedStyle(el).color || '#1f2430';
    for (const d of result.features) {
      ctx.beginPath();
      ctx.arc(px(d), y(Math.min(d.D, 1.08)), 2.2, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }, [result, innerW, innerH, x, y, hover, step]);

  if (!result) return <Panel id="dim-scatter" title="Feature dimensionality" summary={null} waiting bodyRef={bodyRef} />;
  const onMove = (e: React.PointerEvent<SVGRectElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const mx = e.clientX - r.left;
    const my = e.clientY - r.top;
    let best: FeatureDot | null = null;
    let bestD = 64;
    for (const d of result.features) {
      const dd = (px(d) - mx) ** 2 + (y(Math.min(d.D, 1.08)) - my) ** 2;
      if (dd < bestD) { bestD = dd; best = d; }
    }
    setHover(best);
  };
  const highlighted = hover ? result.features.filter((d) => d.instance === hover.instance && (d.feature === hover.feature || neighbourSet.has(d.feature))) : [];
  const counts = result.stickyCounts;
  return (
    <Panel
      id="dim-scatter"
      summary={dimScatterWords(result)}
      className="panel-span-2"
      title="Feature dimensionality"
      subtitle={`${result.features.length} represented features; hover one to see its neighbours`}
      caption={
        <>
          Dᵢ = ‖Wᵢ‖² / Σⱼ(Ŵᵢ·Wⱼ)² is the share of a dimension feature i gets (one dot per represented feature, spread a little
          sideways). The paper: dots do not spread evenly; they cluster on the fractions of uniform polytopes: 1 (a dimension of its
          own), 3/4 (tetrahedron), 2/3 (triangle), 1/2 (digon: an antipodal pair), 2/5 (pentagon), 3/8 (square antiprism).{' '}
          <strong>Here: {stickyWords(counts)}.</strong>
        </>
      }
    >
      <div ref={bodyRef} className="dim-scatter" style={{ height: HEIGHT }}>
        <canvas ref={canvas} className="dim-scatter-canvas" style={{ left: margin.left, top: margin.top, width: innerW, height: innerH }} />
        <svg width={width} height={HEIGHT} className="dim-scatter-overlay" role="img" aria-label={`Feature dimensionality of ${result.features.length} features`}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            <StickyLines fractions={REFERENCE_FRACTIONS} y={y} width={innerW} />
            {highlighted.map((d) => (
              <circle key={d.feature} cx={px(d)} cy={y(Math.min(d.D, 1.08))} r={d.feature === hover?.feature ? 5.5 : 4} fill={d.feature === hover?.feature ? HIGHLIGHT : 'none'} stroke={HIGHLIGHT} strokeWidth={1.5} />
            ))}
            <Axis scale={x} orient="bottom" y={innerH} tickValues={[1, 2, 3, 5, 10, 20].filter((t) => t >= x.domain()[0] && t <= x.domain()[1])} format={(d: number) => String(d)} label="1 / (1 − S)  (log scale)" />
            <Axis scale={y} orient="left" tickValues={[0, 0.25, 0.5, 0.75, 1]} format={(d: number) => String(d)} label="Dᵢ" labelOffset={36} />
            <rect width={innerW} height={innerH} className="scatter-hit" onPointerMove={onMove} onPointerLeave={() => setHover(null)} />
          </g>
        </svg>
        {hover && (
          <div className="neighbour-box" role="status" data-hovered={`${hover.instance}:${hover.feature}`}>
            <div className="tooltip-title">Feature {hover.feature + 1} <span className="tooltip-sub">· model at 1/(1−S) = {num(hover.x, 3)}</span></div>
            <div>Dᵢ = {fixed(hover.D, 3)} ({hover.label}), ‖Wᵢ‖ = {fixed(hover.norm, 2)}</div>
            {neighbours.length ? (
              <table>
                <thead><tr><th>neighbour</th><th>angle</th><th>(Ŵᵢ·Wⱼ)²</th></tr></thead>
                <tbody>
                  {neighbours.map((nb) => (
                    <tr key={nb.feature}><td>feature {nb.feature + 1}</td><td>{fixed((Math.acos(Math.max(-1, Math.min(1, nb.cos))) * 180) / Math.PI, 0)}°</td><td>{fixed(nb.overlap, 3)}</td></tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <div className="muted">No other feature shares its direction.</div>
            )}
          </div>
        )}
      </div>
    </Panel>
  );
}

/** "20 features with a dimension of their own, 12 features in antipodal pairs": only the groups that occur, each feature counted by its group's shape. */
export function stickyWords(counts: Record<string, number>): string {
  const words: [string, (c: number) => string][] = [
    ['dedicated', (c) => `${c} ${c === 1 ? 'feature' : 'features'} with a dimension of their own`],
    ['digon', (c) => `${c} ${c === 1 ? 'feature' : 'features'} in antipodal pairs`],
    ['triangle', (c) => `${c} ${c === 1 ? 'feature' : 'features'} on triangles`],
    ['pentagon', (c) => `${c} ${c === 1 ? 'feature' : 'features'} on pentagons`],
    ['hexagon', (c) => `${c} ${c === 1 ? 'feature' : 'features'} on hexagons`],
    ['heptagon', (c) => `${c} ${c === 1 ? 'feature' : 'features'} on heptagons`],
    ['tetrahedron', (c) => `${c} ${c === 1 ? 'feature' : 'features'} on tetrahedra`],
    ['square antiprism', (c) => `${c} ${c === 1 ? 'feature' : 'features'} on square antiprisms`],
    ['irregular', (c) => `${c} ${c === 1 ? 'feature' : 'features'} in irregular groups`],
  ];
  const parts = words.filter(([k]) => counts[k]).map(([k, f]) => f(counts[k]));
  return parts.length ? parts.join(', ') : 'no represented features yet';
}
