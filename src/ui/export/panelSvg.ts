// A panel as one standalone SVG: its title, figure(s) and legend as they look on the page
// (caption and buttons left out). Each <svg> is cloned with its computed styles inlined, each
// <canvas> becomes an <image>, HTML text becomes <text> line by line, and small HTML
// decorations (legend swatches, the selected instance's frame) become rectangles.

import { composeSvg, groupLines, MAX_VECTOR_CELLS, STYLE_PROPERTIES, svgCells, svgImage, svgRect, svgText } from './svgCompose.ts';

const PAD = 12;
/** Parts of a panel that are not exported. */
const SKIP = '.panel-caption, .panel-tools, .visually-hidden, [data-export="skip"], script, style, template';

export interface PanelPicture {
  svg: string;
  width: number;
  height: number;
  title: string;
}

const transparent = (c: string) => !c || c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);

export function panelToSvg(figure: HTMLElement): PanelPicture {
  const regions = ['.panel-header', '.panel-body', '.panel-legend']
    .map((sel) => figure.querySelector<HTMLElement>(sel))
    .filter((el): el is HTMLElement => !!el);
  if (!regions.length) throw new Error('not a panel: no header, body or legend');
  const ctx: WalkContext = { items: [], nextId: 0 };
  for (const region of regions) walk(region, ctx, true);
  if (!ctx.items.length) throw new Error('the panel has nothing to draw yet');
  // the picture is as large as what is drawn, plus a margin
  const left = Math.min(...ctx.items.map((i) => i.box.left)) - PAD;
  const top = Math.min(...ctx.items.map((i) => i.box.top)) - PAD;
  const right = Math.max(...ctx.items.map((i) => i.box.right)) + PAD;
  const bottom = Math.max(...ctx.items.map((i) => i.box.bottom)) + PAD;
  const parts = ctx.items.map((i) => i.render(left, top));
  const title = figure.querySelector('.panel-header h2')?.textContent?.trim() || 'Superposition Lab panel';
  const background = getComputedStyle(figure).backgroundColor;
  const width = Math.ceil(right - left);
  const height = Math.ceil(bottom - top);
  return { svg: composeSvg({ width, height, background: transparent(background) ? '#ffffff' : background, title, parts }), width, height, title };
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Something to draw: where it is on the page, and its SVG relative to the picture's origin. */
interface Item {
  box: Box;
  render(ox: number, oy: number): string;
}

interface WalkContext {
  items: Item[];
  nextId: number;
}

function walk(el: Element, ctx: WalkContext, isRegion = false): void {
  if (!isRegion && el.matches(SKIP)) return;
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.visibility === 'hidden') return;
  if (el instanceof SVGSVGElement) return void pushSvg(el, ctx);
  if (el instanceof HTMLCanvasElement) return void pushCanvas(el, ctx);
  if (!isRegion && el instanceof HTMLElement) pushDecoration(el, style, ctx);
  for (const child of Array.from(el.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) pushText(child as Text, style, ctx);
    else if (child instanceof Element) walk(child, ctx);
  }
}

function pushDecoration(el: HTMLElement, style: CSSStyleDeclaration, ctx: WalkContext): void {
  const r = el.getBoundingClientRect();
  if (r.width <= 0 || r.height <= 0) return;
  const bg = style.backgroundColor;
  const borderWidth = parseFloat(style.borderTopWidth) || 0;
  const hasBorder = borderWidth > 0 && style.borderTopStyle !== 'none' && !transparent(style.borderTopColor);
  if (!transparent(bg) || hasBorder) {
    const opts = {
      fill: transparent(bg) ? 'none' : bg,
      stroke: hasBorder ? style.borderTopColor : undefined,
      strokeWidth: borderWidth,
      rx: Math.min(parseFloat(style.borderTopLeftRadius) || 0, r.height / 2, r.width / 2),
    };
    ctx.items.push({ box: r, render: (ox, oy) => svgRect(r.left - ox, r.top - oy, r.width, r.height, opts) });
  }
  const outline = parseFloat(style.outlineWidth) || 0;
  if (outline > 0 && style.outlineStyle !== 'none') {
    const off = (parseFloat(style.outlineOffset) || 0) + outline / 2;
    const stroke = style.outlineColor;
    const box = { left: r.left - off - outline / 2, top: r.top - off - outline / 2, right: r.right + off + outline / 2, bottom: r.bottom + off + outline / 2 };
    ctx.items.push({ box, render: (ox, oy) => svgRect(r.left - ox - off, r.top - oy - off, r.width + 2 * off, r.height + 2 * off, { stroke, strokeWidth: outline, rx: 6 }) });
  }
}

function pushText(node: Text, style: CSSStyleDeclaration, ctx: WalkContext): void {
  const text = node.data;
  if (!text.trim()) return;
  const range = document.createRange();
  const words: { text: string; left: number; top: number; bottom: number }[] = [];
  let right = -Infinity;
  for (const m of text.matchAll(/\S+/g)) {
    range.setStart(node, m.index!);
    range.setEnd(node, m.index! + m[0].length);
    const r = range.getClientRects()[0];
    if (r && r.width > 0) {
      words.push({ text: m[0], left: r.left, top: r.top, bottom: r.bottom });
      right = Math.max(right, r.right);
    }
  }
  const textStyle = {
    fontSize: parseFloat(style.fontSize) || 14,
    fontFamily: style.fontFamily,
    fontWeight: style.fontWeight,
    fontStyle: style.fontStyle,
    fill: style.color,
  };
  for (const line of groupLines(words)) {
    const baseline = line.top + (line.bottom - line.top) * 0.8;
    ctx.items.push({ box: { left: line.left, top: line.top, right, bottom: line.bottom }, render: (ox, oy) => svgText(line.left - ox, baseline - oy, line.text, textStyle) });
  }
}

function pushCanvas(canvas: HTMLCanvasElement, ctx: WalkContext): void {
  const r = canvas.getBoundingClientRect();
  if (r.width <= 0 || r.height <= 0 || !canvas.width || !canvas.height) return;
  // a heatmap (paintHeatmap marks its cell grid) becomes vector cells, read at each cell's centre
  const grid = /^(\d+)x(\d+)$/.exec(canvas.dataset.cells ?? '');
  const c2d = grid ? canvas.getContext('2d') : null;
  if (grid && c2d && Number(grid[1]) * Number(grid[2]) <= MAX_VECTOR_CELLS) {
    const rows = Number(grid[1]);
    const cols = Number(grid[2]);
    const data = c2d.getImageData(0, 0, canvas.width, canvas.height).data;
    const colorAt = (i: number, j: number) => {
      const px = Math.min(canvas.width - 1, Math.floor(((j + 0.5) * canvas.width) / cols));
      const py = Math.min(canvas.height - 1, Math.floor(((i + 0.5) * canvas.height) / rows));
      const o = (py * canvas.width + px) * 4;
      return `rgb(${data[o]},${data[o + 1]},${data[o + 2]})`;
    };
    ctx.items.push({ box: r, render: (ox, oy) => svgCells(r.left - ox, r.top - oy, r.width, r.height, rows, cols, colorAt) });
    return;
  }
  const pixelated = getComputedStyle(canvas).imageRendering === 'pixelated';
  const url = canvas.toDataURL('image/png');
  ctx.items.push({ box: r, render: (ox, oy) => svgImage(r.left - ox, r.top - oy, r.width, r.height, url, pixelated) });
}

function pushSvg(svg: SVGSVGElement, ctx: WalkContext): void {
  const r = svg.getBoundingClientRect();
  if (r.width <= 0 || r.height <= 0) return;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const dst = [clone, ...Array.from(clone.querySelectorAll('*'))];
  const drop: Element[] = [];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    if (cs.display === 'none') return void drop.push(dst[i]);
    const inline = STYLE_PROPERTIES.map((p) => [p, cs.getPropertyValue(p)] as const)
      .filter(([, v]) => v !== '')
      .map(([p, v]) => `${p}:${v}`)
      .join(';');
    dst[i].setAttribute('style', inline);
    dst[i].removeAttribute('class');
    dst[i].removeAttribute('tabindex');
  });
  drop.forEach((el) => el.remove());
  // ids must be unique in the combined file (React's useId gives ":r1:"-style ids)
  const prefix = `p${ctx.nextId++}-`;
  const renamed = new Map<string, string>();
  clone.querySelectorAll('[id]').forEach((el, i) => {
    const id = `${prefix}${i}`;
    renamed.set(el.id, id);
    el.id = id;
  });
  if (renamed.size) {
    const patterns = [...renamed].map(([from, to]) => [new RegExp(`#${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=["')]|$)`, 'g'), `#${to}`] as const);
    clone.querySelectorAll('*').forEach((el) => {
      for (const attr of Array.from(el.attributes)) {
        if (!attr.value.includes('#')) continue;
        const v = patterns.reduce((acc, [re, to]) => acc.replace(re, to), attr.value);
        if (v !== attr.value) el.setAttribute(attr.name, v);
      }
    });
  }
  const width = svg.width.baseVal.value || r.width;
  const height = svg.height.baseVal.value || r.height;
  if (!clone.getAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  clone.setAttribute('width', String(r.width));
  clone.setAttribute('height', String(r.height));
  clone.setAttribute('overflow', 'visible');
  ctx.items.push({
    box: r,
    render: (ox, oy) => {
      clone.setAttribute('x', String(Math.round((r.left - ox) * 100) / 100));
      clone.setAttribute('y', String(Math.round((r.top - oy) * 100) / 100));
      return new XMLSerializer().serializeToString(clone);
    },
  });
}
