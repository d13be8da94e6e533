// One instance's features as arrows from the origin in a 2-D picture (m = 2 exactly,
// or a projection). React renders every element; d3 only supplies the scale.

import * as d3 from 'd3';
import type { SVGAttributes } from 'react';
import { setHover } from '../../../state/labStore.ts';
import { HIGHLIGHT, importanceColor } from '../../colors.ts';
import type { Point2 } from './projection.ts';

interface FeatureArrowsProps {
  points: Point2[];
  importance: number[];
  instance: number;
  size: number;
  highlighted: number | null;
  /** norm of each feature, used to pick the scale radius */
  radius: number;
  /** a colour per feature (default: by importance) */
  colors?: readonly string[];
  /** false: no hover (outside the live lab, whose tooltip reads the lab's run) */
  hoverable?: boolean;
  /** extra attributes for the <svg> (data-* for tests, aria) */
  svgProps?: SVGAttributes<SVGSVGElement> & Record<`data-${string}`, string>;
}

const HEAD = 7;
/** Above this many features, arrows are plain lines (no heads, numbers or hover targets) to keep frames fast. */
const LIGHT_ABOVE = 40;

export function FeatureArrows({ points, importance, instance, size, highlighted, radius, colors, hoverable = true, svgProps }: FeatureArrowsProps) {
  const pad = 14;
  const scale = d3.scaleLinear().domain([-radius, radius]).range([pad, size - pad]);
  const c = scale(0);
  const unit = Math.max(0, scale(1) - c);
  const showNumbers = points.length <= 16;
  const light = points.length > LIGHT_ABOVE;
  const order = d3.range(points.length).sort((a, b) => importance[a] - importance[b]); // important on top
  if (highlighted !== null && highlighted < points.length) order.push(...order.splice(order.indexOf(highlighted), 1));
  return (
    <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} className="feature-arrows" {...svgProps}>
      <line x1={pad} x2={size - pad} y1={c} y2={c} className="guide" />
      <line y1={pad} y2={size - pad} x1={c} x2={c} className="guide" />
      <circle cx={c} cy={c} r={unit} className="unit-circle" />
      {order.map((i) => {
        const [x, y] = points[i];
        const len = Math.hypot(x, y);
        const tipX = scale(x);
        const tipY = size - scale(y);
        const color = highlighted === i ? HIGHLIGHT : (colors?.[i] ?? importanceColor(importance[i]));
        const faded = highlighted !== null && highlighted !== i;
        const pxLen = len * (size - 2 * pad) / (2 * radius);
        const ux = pxLen > 1e-6 ? (tipX - c) / pxLen : 0;
        const uy = pxLen > 1e-6 ? (tipY - c) / pxLen : 0;
        const head = Math.min(HEAD, pxLen * 0.6);
        const baseX = tipX - ux * head;
        const baseY = tipY - uy * head;
        const headPath = `M${tipX},${tipY}L${baseX - uy * head * 0.5},${baseY + ux * head * 0.5}L${baseX + uy * head * 0.5},${baseY - ux * head * 0.5}Z`;
        if (light) {
          return (
            <line key={i} className="feature-arrow" data-feature={i} x1={c} y1={c} x2={tipX} y2={tipY} stroke={color} strokeWidth={highlighted === i ? 3 : 1.5} opacity={faded ? 0.3 : 1} />
          );
        }
        const hover = (e: React.PointerEvent) => setHover({ feature: i, instance, x: e.clientX, y: e.clientY });
        return (
          <g key={i} className="feature-arrow" data-feature={i} opacity={faded ? 0.3 : 1} onPointerMove={hoverable ? hover : undefined} onPointerLeave={hoverable ? () => setHover(null) : undefined}>
            <line x1={c} y1={c} x2={baseX} y2={baseY} stroke={color} strokeWidth={highlighted === i ? 3.5 : 2.5} strokeLinecap="round" />
            {head > 0.5 && <path d={headPath} fill={color} />}
            <line x1={c} y1={c} x2={tipX} y2={tipY} className="hit-area" />
            {showNumbers && pxLen > 6 && (
              <text className="arrow-label" x={tipX + ux * 9} y={tipY + uy * 9} dy="0.35em" textAnchor="middle">
                {i + 1}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** A radius that holds every arrow, at least a bit more than the unit circle. */
export function pictureRadius(norms: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < norms.length; i++) max = Math.max(max, norms[i]);
  return Math.max(1.2, Math.ceil(max * 1.15 * 5) / 5); // in steps of 0.2, so the picture does not breathe
}
