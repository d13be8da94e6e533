// ‖Wᵢ‖ of every feature as thin horizontal bars, coloured by superposition (dark = alone, yellow =
// shared), with a tick at 1. The paper's "feature norm" strip, small enough for small multiples.

import * as d3 from 'd3';
import { superpositionColor } from '../colors.ts';

interface MiniNormBarsProps {
  norms: ArrayLike<number>;
  superposition: ArrayLike<number>;
  width: number;
  height: number;
  max?: number;
  label: string;
}

export function MiniNormBars({ norms, superposition, width, height, max = 1.4, label }: MiniNormBarsProps) {
  const n = norms.length;
  const rowH = height / Math.max(1, n);
  const x = d3.scaleLinear().domain([0, max]).range([0, width]).clamp(true);
  return (
    <svg width={width} height={height} role="img" aria-label={label} className="mini-norms">
      <rect width={width} height={height} className="mini-norms-bg" />
      {Array.from(norms, (v, i) => (
        <rect key={i} x={0} y={i * rowH + rowH * 0.1} width={Math.max(0, x(v))} height={Math.max(0.8, rowH * 0.8)} fill={superpositionColor(superposition[i])} data-feature={i} />
      ))}
      <line x1={x(1)} x2={x(1)} y1={0} y2={height} className="mini-norms-one" />
    </svg>
  );
}
