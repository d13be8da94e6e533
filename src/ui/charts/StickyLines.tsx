// The sticky fractions (science.md §4.5) as dashed reference lines across a chart, each labelled on
// the right ("2/5 pentagon"), the labels pushed apart where lines lie closer than `gap` pixels.

import type { StickyFraction } from '../../engine/toy/metrics.ts';
import { fractionText } from '../format.ts';

interface StickyLinesProps {
  fractions: readonly StickyFraction[];
  y: (value: number) => number;
  width: number;
  gap?: number;
}

/** Move labels down (keeping their order) until neighbours are at least `gap` apart. */
function spreadLabels(ys: number[], gap: number): number[] {
  const out = [...ys];
  for (let i = 1; i < out.length; i++) if (out[i] - out[i - 1] < gap) out[i] = out[i - 1] + gap;
  return out;
}

export function StickyLines({ fractions, y, width, gap = 12 }: StickyLinesProps) {
  const labelYs = spreadLabels(fractions.map((f) => y(f.value)), gap);
  return fractions.map((f, j) => (
    <g key={f.label} className="sticky-line">
      <line x1={0} x2={width} y1={y(f.value)} y2={y(f.value)} />
      <text x={width + 6} y={labelYs[j]} dy="0.35em" className="sticky-label">
        {fractionText(f.value)} {f.label}
      </text>
    </g>
  ));
}
