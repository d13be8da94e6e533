// A small heatmap of a rows×cols matrix on a canvas (one pixel per cell, scaled up without
// smoothing), blue–white–red over [−range, range]. For small multiples: no axes, no hover.

import { useEffect, useRef } from 'react';
import { paintHeatmap } from './paintHeatmap.ts';

interface MiniHeatmapProps {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  width: number;
  height: number;
  /** values are divided by this before colouring (default 1) */
  range?: number;
  label: string;
  className?: string;
}

export function MiniHeatmap({ values, rows, cols, width, height, range = 1, label, className }: MiniHeatmapProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || rows < 1 || cols < 1) return;
    paintHeatmap(el, values, rows, cols, width, height, range);
  }, [values, rows, cols, width, height, range]);
  return <canvas ref={ref} className={`mini-heatmap ${className ?? ''}`} style={{ width, height }} role="img" aria-label={label} />;
}
