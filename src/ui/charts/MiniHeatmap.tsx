// A small heatmap of a rows×cols matrix on a canvas (one pixel per cell, scaled up without
// smoothing), blue–white–red over [−range, range]. For small multiples: no axes, no hover.

import { useEffect, useRef } from 'react';
import { DIVERGING_LUT, divergingIndex } from '../colors.ts';

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
    const ratio = window.devicePixelRatio || 1;
    el.width = Math.round(width * ratio);
    el.height = Math.round(height * ratio);
    const ctx = el.getContext('2d');
    if (!ctx) return;
    const img = new ImageData(cols, rows);
    for (let idx = 0; idx < rows * cols; idx++) {
      const c = divergingIndex(values[idx] / range);
      img.data[idx * 4] = DIVERGING_LUT[c];
      img.data[idx * 4 + 1] = DIVERGING_LUT[c + 1];
      img.data[idx * 4 + 2] = DIVERGING_LUT[c + 2];
      img.data[idx * 4 + 3] = 255;
    }
    const small = new OffscreenCanvas(cols, rows);
    small.getContext('2d')!.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, el.width, el.height);
  }, [values, rows, cols, width, height, range]);
  return <canvas ref={ref} className={`mini-heatmap ${className ?? ''}`} style={{ width, height }} role="img" aria-label={label} />;
}
