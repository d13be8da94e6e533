// One instance's features as arrows in 3-D (m = 3), orthographic, rotated by dragging or
// with the arrow keys. Far arrows are drawn first and paler.

import * as d3 from 'd3';
import { useRef } from 'react';
import { setHover } from '../../../state/labStore.ts';
import { HIGHLIGHT, importanceColor } from '../../colors.ts';
import { rotate3d, type Rotation } from './projection.ts';

interface FeatureArrows3DProps {
  W: Float32Array;
  n: number;
  importance: number[];
  instance: number;
  size: number;
  highlighted: number | null;
  radius: number;
  rotation: Rotation;
  onRotate(r: Rotation): void;
  label: string;
  geometry: string;
  /** false: no hover (outside the live lab, whose tooltip reads the lab's run) */
  hoverable?: boolean;
}

/** A label 10 px beyond the arrow's tip, along the arrow. */
function labelPosition(x: number, y: number, c: number): { x: number; y: number } {
  const len = Math.hypot(x - c, y - c);
  if (len < 1e-6) return { x, y: y - 10 };
  return { x: x + ((x - c) / len) * 10, y: y + ((y - c) / len) * 10 };
}

const AXES: [number, number, number][] = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

export function FeatureArrows3D({ W, n, importance, instance, size, highlighted, radius, rotation, onRotate, label, geometry, hoverable = true }: FeatureArrows3DProps) {
  const drag = useRef<{ x: number; y: number; r: Rotation } | null>(null);
  const pad = 14;
  const scale = d3.scaleLinear().domain([-radius, radius]).range([pad, size - pad]);
  const c = scale(0);
  const toScreen = (v: [number, number, number]) => {
    const [x, y, z] = rotate3d(v, rotation);
    return { x: scale(x), y: size - scale(y), z };
  };
  const arrows = Array.from({ length: n }, (_, i) => {
    const v: [number, number, number] = [W[i], W[n + i], W[2 * n + i]];
    return { i, ...toScreen(v) };
  }).sort((a, b) => a.z - b.z);
  const depthOpacity = (z: number) => 0.45 + 0.55 * Math.min(1, Math.max(0, (z / radius + 1) / 2));

  const onPointerDown = (e: React.PointerEvent<SVGSVGElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, r: rotation };
  };
  const onPointerMove = (e: React.PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d) return;
    const pitch = Math.max(-1.5, Math.min(1.5, d.r.pitch + (e.clientY - d.y) * 0.01));
    onRotate({ yaw: d.r.yaw + (e.clientX - d.x) * 0.01, pitch });
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = 0.15;
    const moves: Record<string, Rotation> = {
      ArrowLeft: { yaw: rotation.yaw - step, pitch: rotation.pitch },
      ArrowRight: { yaw: rotation.yaw + step, pitch: rotation.pitch },
      ArrowUp: { yaw: rotation.yaw, pitch: Math.max(-1.5, rotation.pitch - step) },
      ArrowDown: { yaw: rotation.yaw, pitch: Math.min(1.5, rotation.pitch + step) },
    };
    if (moves[e.key]) {
      e.preventDefault();
      onRotate(moves[e.key]);
    }
  };

  return (
    <svg
      width={size}
      height={size}
      className="feature-arrows feature-arrows-3d"
      tabIndex={0}
      role="img"
      aria-label={`${label}. Drag or use the arrow keys to rotate.`}
      data-instance={instance}
      data-geometry={geometry}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
      onKeyDown={onKeyDown}
    >
      <circle cx={c} cy={c} r={Math.max(0, scale(1) - c)} className="unit-circle" />
      {AXES.map((a, j) => {
        const p = toScreen(a.map((v) => v * radius * 0.95) as [number, number, number]);
        const q = toScreen(a.map((v) => -v * radius * 0.95) as [number, number, number]);
        return (
          <g key={j} className="axis-3d">
            <line x1={q.x} y1={q.y} x2={p.x} y2={p.y} className="guide" />
            <text x={p.x} y={p.y} dy="-0.3em" className="axis-3d-label">h{j + 1}</text>
          </g>
        );
      })}
      {arrows.map(({ i, x, y, z }) => {
        const color = highlighted === i ? HIGHLIGHT : importanceColor(importance[i]);
        const faded = highlighted !== null && highlighted !== i;
        return (
          <g
            key={i}
            className="feature-arrow"
            data-feature={i}
            opacity={faded ? 0.25 : depthOpacity(z)}
            onPointerMove={(e) => hoverable && !drag.current && setHover({ feature: i, instance, x: e.clientX, y: e.clientY })}
            onPointerLeave={() => hoverable && setHover(null)}
          >
            <line x1={c} y1={c} x2={x} y2={y} stroke={color} strokeWidth={highlighted === i ? 3.5 : 2.5} strokeLinecap="round" />
            <circle cx={x} cy={y} r={highlighted === i ? 5 : 3.5} fill={color} />
            <line x1={c} y1={c} x2={x} y2={y} className="hit-area" />
            {n <= 16 && (
              <text className="arrow-label" {...labelPosition(x, y, c)} dy="0.35em" textAnchor="middle">
                {i + 1}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
