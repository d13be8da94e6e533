// The attention pattern of every head on one eval sequence [BOS, r₁…r_L, r₁…r_L], with the tokens
// along both axes. Hover a query row to see where each head looks from there; pick another sequence.

import * as d3 from 'd3';
import { memo, useEffect, useRef } from 'react';
import { getInductionController } from '../../../state/inductionController.ts';
import { setInductionHoverRow, useInduction } from '../../../state/inductionStore.ts';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { ATTENTION_SCALE, headName, tokenLabel, useInductionController } from './shared.ts';

const LUT = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = d3.rgb(ATTENTION_SCALE(0.03 + 0.97 * (i / 255)));
    lut.set([c.r, c.g, c.b], i * 3);
  }
  return lut;
})();
const MASKED = [246, 247, 249];

function paintPattern(el: HTMLCanvasElement, values: Float32Array, offset: number, T: number, size: number): void {
  const ratio = window.devicePixelRatio || 1;
  el.width = Math.round(size * ratio);
  el.height = Math.round(size * ratio);
  const ctx = el.getContext('2d');
  if (!ctx) return;
  const img = new ImageData(T, T);
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < T; j++) {
      const p = (i * T + j) * 4;
      const rgb = j > i ? MASKED : LUT.subarray(Math.round(Math.max(0, Math.min(1, values[offset + i * T + j])) * 255) * 3, Math.round(Math.max(0, Math.min(1, values[offset + i * T + j])) * 255) * 3 + 3);
      img.data[p] = rgb[0];
      img.data[p + 1] = rgb[1];
      img.data[p + 2] = rgb[2];
      img.data[p + 3] = 255;
    }
  }
  const small = new OffscreenCanvas(T, T);
  small.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, el.width, el.height);
}

const PatternCanvas = memo(function PatternCanvas({ values, offset, T, size }: { values: Float32Array; offset: number; T: number; size: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) paintPattern(ref.current, values, offset, T, size);
  }, [values, offset, T, size]);
  return <canvas ref={ref} className="ind-pattern-canvas" style={{ width: size, height: size }} />;
});

export function InductionAttentionPanel() {
  useInductionController();
  const snap = useInduction((s) => s.snapshot);
  const run = useInduction((s) => s.runConfig);
  const hoverRow = useInduction((s) => s.hoverRow);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(900);
  if (!snap || !run) return <Panel id="induction-attention" className="panel-wide" title="Attention patterns on one sequence" waiting bodyRef={bodyRef} />;
  const { layers, heads, T, L, tokens, patterns, sequence } = snap;
  const labelW = 34;
  const gap = 26;
  const n = layers * heads;
  // every head in one row when they fit at a readable size, else one row per layer
  const cols = (width - labelW - (n - 1) * gap - 8) / n >= 220 ? n : heads;
  const size = Math.max(120, Math.min(cols === n ? 360 : 320, Math.floor((width - labelW - (cols - 1) * gap - 8) / cols)));
  const cell = size / T;
  // row labels need a cell's height, the column labels (written upwards) the same width
  const every = cell >= 8 ? 1 : cell >= 5 ? 2 : 4;
  const font = Math.max(7, Math.min(10, cell - 1));
  const labelH = 24;
  const blockH = 18 + size + labelH + 8;
  const svgW = labelW + cols * size + (cols - 1) * gap + 8;
  const rows = Math.ceil(n / cols);
  const place = (k: number) => ({ left: labelW + (k % cols) * (size + gap), top: Math.floor(k / cols) * blockH + 18 });
  const label = (i: number) => tokenLabel(tokens[i], run.vocab);
  const part = (i: number) => (i === 0 ? 'BOS' : i <= L ? `first copy, r${i}` : `second copy, r${i - L}`);
  const rowAt = (e: React.MouseEvent<HTMLElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const row = Math.floor(((e.clientY - r.top) / r.height) * T);
    return row >= 0 && row < T ? row : null;
  };
  const looks = hoverRow === null ? [] : Array.from({ length: layers * heads }, (_, k) => {
    const off = k * T * T + hoverRow * T;
    let best = 0;
    for (let j = 1; j <= hoverRow; j++) if (patterns[off + j] > patterns[off + best]) best = j;
    return { layer: Math.floor(k / heads), head: k % heads, key: best, weight: patterns[off + best] };
  });
  return (
    <Panel
      id="induction-attention"
      className="panel-wide"
      title="Attention patterns on one sequence"
      subtitle={`eval sequence ${sequence + 1} of ${snap.sequences}, step ${snap.step}`}
      summary={`Attention of ${layers * heads} heads on eval sequence ${sequence + 1} at step ${snap.step}.`}
      legend={
        <div className="ind-attention-legend">
          <div className="ind-scale"><span>attention 0</span><span className="ind-scale-bar ind-scale-blue" /><span>1</span></div>
          <SequencePicker sequence={sequence} count={snap.sequences} />
        </div>
      }
      caption={
        <>
          Each square is one head: row <em>i</em> is the query at position <em>i</em>, column <em>j</em> how much it attends to position
          <em> j</em> (only earlier positions: the grey triangle is masked). The sequence is BOS, then {L} random tokens, then the same {L} again.
          A <strong>previous-token head</strong> is a bright line just below the diagonal. An <strong>induction head</strong> shows a
          bright line {L - 1} columns left of the diagonal in the lower half: from each token of the second copy it looks at the token that
          <em> followed</em> the same token in the first copy — the one to predict next. Hover a row to read where each head looks.
        </>
      }
    >
      <div ref={bodyRef}>
        <div className="ind-patterns" style={{ width: svgW, height: rows * blockH }} onMouseLeave={() => setInductionHoverRow(null)}>
          {Array.from({ length: n }, (_, k) => {
            const { left, top } = place(k);
            return (
              <div key={k} className="ind-pattern" style={{ left, top, width: size, height: size }} onMouseMove={(e) => setInductionHoverRow(rowAt(e))} data-head={headName(Math.floor(k / heads), k % heads)}>
                <PatternCanvas values={patterns} offset={k * T * T} T={T} size={size} />
              </div>
            );
          })}
          <svg className="ind-pattern-overlay" width={svgW} height={rows * blockH} aria-hidden="true">
            {Array.from({ length: n }, (_, k) => {
              const { left, top } = place(k);
              return (
                <g key={k} transform={`translate(${left},${top})`}>
                  <text className="ind-block-title" x={0} y={-5}>{headName(Math.floor(k / heads), k % heads)}</text>
                  {hoverRow !== null && <rect className="ind-hover-row" x={0} y={hoverRow * cell} width={size} height={cell} />}
                  <rect className="ind-pattern-frame" x={0} y={0} width={size} height={size} />
                  <line className="ind-copy-split" x1={(L + 1) * cell} x2={(L + 1) * cell} y1={0} y2={size} />
                  <line className="ind-copy-split" x1={0} x2={size} y1={(L + 1) * cell} y2={(L + 1) * cell} />
                  {Array.from({ length: T }, (_, j) => (j % every === 0 ? (
                    <text key={j} className="ind-token" transform={`translate(${j * cell + cell / 2 + font / 3},${size + 3}) rotate(-90)`} textAnchor="end" fontSize={font}>{label(j)}</text>
                  ) : null))}
                  {k % cols === 0 && Array.from({ length: T }, (_, i) => (i % every === 0 ? (
                    <text key={i} className={`ind-token${hoverRow === i ? ' ind-token-on' : ''}`} x={-4} y={i * cell + cell / 2 + font / 3} textAnchor="end" fontSize={font}>{label(i)}</text>
                  ) : null))}
                </g>
              );
            })}
            <text className="axis-label" x={svgW - 8} y={rows * blockH - 2} textAnchor="end">rows: query · columns: key (attended to)</text>
          </svg>
        </div>
        <p className="ind-hover-readout" aria-live="polite" data-hover-row={hoverRow ?? ''}>
          {hoverRow === null
            ? 'Hover a row of a pattern to see where each head looks from that position.'
            : <>Query {hoverRow} ({hoverRow === 0 ? 'BOS' : `token ${label(hoverRow)}, ${part(hoverRow)}`}): {looks.map((k) => `${headName(k.layer, k.head)} → ${k.key} (${k.key === 0 ? 'BOS' : `token ${label(k.key)}, ${part(k.key)}`}) ${num(k.weight, 2)}`).join(' · ')}</>}
        </p>
      </div>
    </Panel>
  );
}

function SequencePicker({ sequence, count }: { sequence: number; count: number }) {
  const c = getInductionController();
  const go = (s: number) => c.selectSequence(((s % count) + count) % count);
  return (
    <div className="ind-sequence-picker" role="group" aria-label="Eval sequence">
      <button type="button" className="tool-button" onClick={() => go(sequence - 1)} aria-label="Previous sequence" data-ind-action="prev-sequence">◀</button>
      <span>sequence {sequence + 1} / {count}</span>
      <button type="button" className="tool-button" onClick={() => go(sequence + 1)} aria-label="Next sequence" data-ind-action="next-sequence">▶</button>
      <button type="button" className="tool-button" onClick={() => go(Math.floor(Math.random() * count))} data-ind-action="random-sequence">random</button>
    </div>
  );
}
