// The pure half of figure export: escaping, the standalone SVG wrapper, file names, line
// grouping of HTML text, and reading a PNG's size from its header.

import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { composeSvg, escapeXml, exportFileName, groupLines, readPngSize, svgCells, svgImage, svgRect, svgText } from '../../src/ui/export/svgCompose';

/** A minimal valid PNG (1 bit grey) of the given size, built by hand. */
function png(width: number, height: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Uint8Array) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(Buffer.from(type, 'ascii'), 4);
    out.set(data, 8);
    view.setUint32(8 + data.length, crc(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([1, 0, 0, 0, 0], 8);
  const raw = new Uint8Array(height * (1 + Math.ceil(width / 8)));
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())];
  return Buffer.concat(parts);
}

describe('svg export helpers', () => {
  it('escapes everything that could close a tag or an attribute', () => {
    expect(escapeXml(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;');
  });

  it('writes text, rectangles and images as escaped SVG elements', () => {
    const t = svgText(10.123, 20, 'WᵀW <b>', { fontSize: 14, fontFamily: '"Liberation Sans", sans-serif', fontWeight: '700', fill: 'rgb(31, 36, 48)' });
    expect(t).toBe('<text x="10.12" y="20" font-size="14" font-family="&quot;Liberation Sans&quot;, sans-serif" font-weight="700" fill="rgb(31, 36, 48)">WᵀW &lt;b&gt;</text>');
    expect(svgRect(0, 0, 10, 4, { fill: '#fff', stroke: '#000', strokeWidth: 0.5, rx: 2 })).toBe('<rect x="0" y="0" width="10" height="4" fill="#fff" stroke="#000" stroke-width="0.5" rx="2"/>');
    expect(svgImage(1, 2, 3, 4, 'data:image/png;base64,AAAA', true)).toContain('style="image-rendering:pixelated" href="data:image/png;base64,AAAA"');
    expect(() => svgImage(0, 0, 1, 1, 'javascript:alert(1)', false)).toThrow();
    expect(() => svgImage(0, 0, 1, 1, 'data:image/png;base64,AA"/><script>', false)).toThrow();
  });

  it('wraps the parts in a standalone SVG with an integer size, a title and a background', () => {
    const svg = composeSvg({ width: 300.2, height: 200, background: 'rgb(255, 255, 255)', title: 'Loss & <curves>', parts: ['<circle r="3"/>'] });
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('width="301" height="200" viewBox="0 0 301 200"');
    expect(svg).toContain('<title>Loss &amp; &lt;curves&gt;</title>');
    expect(svg).toContain('<rect x="0" y="0" width="301" height="200" fill="rgb(255, 255, 255)"/>');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    // balanced tags: every element opened is closed (a cheap well-formedness check without a DOM)
    const opened = (svg.match(/<(svg|title)[\s>]/g) ?? []).length;
    const closed = (svg.match(/<\/(svg|title)>/g) ?? []).length;
    expect(opened).toBe(closed);
  });

  it('names files after the panel title', () => {
    expect(exportFileName('Interference WᵀW and bias b', 'svg')).toBe('superposition-lab_interference-wtw-and-bias-b.svg');
    expect(exportFileName('Dimensions per feature', 'png')).toBe('superposition-lab_dimensions-per-feature.png');
    expect(exportFileName('∑∑∑', 'png')).toBe('superposition-lab_panel.png');
  });

  it('groups word boxes into lines in reading order', () => {
    const words = [
      { text: 'Line', left: 0, top: 0, bottom: 14 },
      { text: 'colour', left: 30, top: 1, bottom: 15 },
      { text: 'goes', left: 0, top: 18, bottom: 32 },
      { text: 'on', left: 35, top: 18, bottom: 32 },
    ];
    expect(groupLines(words).map((l) => [l.text, l.left, l.top])).toEqual([['Line colour', 0, 0], ['goes on', 0, 18]]);
  });

  it('reads the size of a PNG from its header and refuses other bytes', () => {
    expect(readPngSize(png(1500, 999))).toEqual({ width: 1500, height: 999 });
    expect(readPngSize(new TextEncoder().encode('<svg></svg>'.padEnd(40)))).toBeNull();
    expect(readPngSize(new Uint8Array(4))).toBeNull();
  });
});

describe('heatmaps exported as vector cells (issue 15, item 9)', () => {
  it('draws a rows×cols grid as rectangles, merging runs of one colour along a row', () => {
    const colors = [['red', 'red', 'blue'], ['white', 'white', 'white']];
    const g = svgCells(10, 20, 30, 20, 2, 3, (i, j) => colors[i][j]);
    const rects = [...g.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="(\w+)"/g)].map((m) => m.slice(1).join(' '));
    expect(rects).toEqual(['10 20 20 10 red', '30 20 10 10 blue', '10 30 30 10 white']);
    expect(g).not.toContain('<image');
  });
});
