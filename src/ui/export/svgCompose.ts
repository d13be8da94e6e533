// Pure helpers for exported figures: XML escaping, text and image elements, the standalone
// <svg> wrapper, file names, and reading a PNG's size from its header. No DOM here, so the
// unit tests run them in Node; panelSvg.ts does the DOM part.

export const SVG_NS = 'http://www.w3.org/2000/svg';
/** Exported PNGs are this many pixels per CSS pixel. */
export const PNG_SCALE = 3;

/** Presentation properties copied from the page's computed styles onto exported SVG elements. */
export const STYLE_PROPERTIES: readonly string[] = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin',
  'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'stop-color', 'stop-opacity',
  'visibility', 'image-rendering',
];

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Round to 0.01 px: exact enough, and small files. */
export const px = (v: number): string => String(Math.round(v * 100) / 100);

export interface TextStyle {
  fontSize: number;
  fontFamily: string;
  fontWeight: string;
  fontStyle?: string;
  fill: string;
}

export function svgText(x: number, y: number, text: string, style: TextStyle): string {
  const italic = style.fontStyle && style.fontStyle !== 'normal' ? ` font-style="${escapeXml(style.fontStyle)}"` : '';
  return `<text x="${px(x)}" y="${px(y)}" font-size="${px(style.fontSize)}" font-family="${escapeXml(style.fontFamily)}" font-weight="${escapeXml(style.fontWeight)}"${italic} fill="${escapeXml(style.fill)}">${escapeXml(text)}</text>`;
}

export function svgRect(x: number, y: number, w: number, h: number, opts: { fill?: string; stroke?: string; strokeWidth?: number; rx?: number }): string {
  const attrs = [
    `x="${px(x)}"`, `y="${px(y)}"`, `width="${px(w)}"`, `height="${px(h)}"`,
    `fill="${escapeXml(opts.fill ?? 'none')}"`,
    opts.stroke ? `stroke="${escapeXml(opts.stroke)}" stroke-width="${px(opts.strokeWidth ?? 1)}"` : '',
    opts.rx ? `rx="${px(opts.rx)}"` : '',
  ];
  return `<rect ${attrs.filter(Boolean).join(' ')}/>`;
}

export function svgImage(x: number, y: number, w: number, h: number, dataUrl: string, pixelated: boolean): string {
  if (!/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]*$/.test(dataUrl)) throw new Error('svgImage takes a base64 PNG or JPEG data URL');
  return `<image x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(h)}" preserveAspectRatio="none"${pixelated ? ' style="image-rendering:pixelated"' : ''} href="${dataUrl}"/>`;
}

/** Heatmaps with more cells than this stay an embedded image in an SVG export (the file would be huge). */
export const MAX_VECTOR_CELLS = 40_000;

/**
 * A heatmap's rows×cols cells as vector rectangles filling (x, y, w, h): one <rect> per run of equal colours along a
 * row, so a uniform row is one element. `colorAt(i, j)` gives the fill of row i, column j.
 */
export function svgCells(x: number, y: number, w: number, h: number, rows: number, cols: number, colorAt: (i: number, j: number) => string): string {
  const cw = w / cols;
  const ch = h / rows;
  const out: string[] = [];
  for (let i = 0; i < rows; i++) {
    let j0 = 0;
    for (let j = 1; j <= cols; j++) {
      if (j < cols && colorAt(i, j) === colorAt(i, j0)) continue;
      out.push(`<rect x="${px(x + j0 * cw)}" y="${px(y + i * ch)}" width="${px((j - j0) * cw)}" height="${px(ch)}" fill="${escapeXml(colorAt(i, j0))}" shape-rendering="crispEdges"/>`);
      j0 = j;
    }
  }
  return `<g class="heatmap-cells">${out.join('')}</g>`;
}

/** A standalone SVG document: integer size, a background, a <title>, then the parts in order. */
export function composeSvg(opts: { width: number; height: number; background: string; title: string; parts: readonly string[] }): string {
  const w = Math.ceil(opts.width);
  const h = Math.ceil(opts.height);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="${SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<title>${escapeXml(opts.title)}</title>`,
    svgRect(0, 0, w, h, { fill: opts.background }),
    ...opts.parts,
    `</svg>`,
  ].join('\n');
}

/** "Interference WᵀW and bias b" → "superposition-lab_interference-w-w-and-bias-b". */
export function exportFileName(title: string, ext: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `superposition-lab_${slug || 'panel'}.${ext}`;
}

/** Width and height from a PNG's IHDR chunk, or null if the bytes are not a PNG. */
export function readPngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || SIGNATURE.some((b, i) => bytes[i] !== b)) return null;
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Group word boxes into lines (same top, within half a line) in reading order. */
export function groupLines(words: readonly { text: string; left: number; top: number; bottom: number }[]): { text: string; left: number; top: number; bottom: number }[] {
  const lines: { text: string; left: number; top: number; bottom: number }[] = [];
  for (const w of words) {
    const line = lines.find((l) => Math.abs(l.top - w.top) < (w.bottom - w.top) / 2);
    if (line) {
      line.text += ` ${w.text}`;
      line.left = Math.min(line.left, w.left);
      line.bottom = Math.max(line.bottom, w.bottom);
    } else lines.push({ ...w });
  }
  return lines;
}
