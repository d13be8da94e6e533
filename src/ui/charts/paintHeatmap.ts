// Paint a rows×cols matrix onto a canvas, one pixel per cell scaled up without smoothing,
// blue–white–red over [−range, range]. Cheap for hundreds of rows, where SVG cells are not.

import { DIVERGING_LUT, divergingIndex } from '../colors.ts';

export function paintHeatmap(el: HTMLCanvasElement, values: ArrayLike<number>, rows: number, cols: number, width: number, height: number, range = 1): void {
  const ratio = window.devicePixelRatio || 1;
  el.width = Math.round(width * ratio);
  // the cell grid, so an SVG export can draw the cells as vector rectangles (export/panelSvg.ts)
  el.dataset.cells = `${rows}x${cols}`;
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
}
