// WᵀW of A and of B, and their difference B − A on a diverging scale centred on 0 (over the features both have).

import { useCompare } from '../../../state/compareStore.ts';
import { MiniHeatmap } from '../../charts/MiniHeatmap.tsx';
import { ColorLegend } from '../../charts/ColorLegend.tsx';
import { divergingColor } from '../../colors.ts';
import { fixed } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { useCompareController, useCompareView, waitingText } from './shared.ts';

const TITLE = 'Interference WᵀW: A, B and B − A';

/** The difference's colour range: its largest |entry| rounded up to a tenth (at least 0.1), so small changes show. */
export function diffRange(diff: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < diff.length; i++) max = Math.max(max, Math.abs(diff[i]));
  return Math.max(0.1, Math.ceil(max * 10) / 10);
}

export function CompareGramPanel() {
  useCompareController();
  const view = useCompareView();
  const training = useCompare((s) => s.training);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(560);
  const c = view?.live;
  if (!view || !c || !view.a || !view.b) return <Panel id="compare-gram" title={TITLE} waiting={<p className="panel-waiting">{waitingText(view, training)}</p>} bodyRef={bodyRef} />;
  const side = Math.max(70, Math.min(200, Math.floor((width - 80) / 3)));
  const range = diffRange(c.gramDiff);
  const nA = view.a.run.n;
  const nB = view.b.run.n;
  let biggest = 0;
  for (let i = 1; i < c.gramDiff.length; i++) if (Math.abs(c.gramDiff[i]) > Math.abs(c.gramDiff[biggest])) biggest = i;
  const [bi, bj] = [Math.floor(biggest / c.shared), biggest % c.shared];
  const summary = `The largest change in WᵀW is at row ${bi + 1}, column ${bj + 1}: ${fixed(c.gramDiff[biggest], 2)}.`;
  const LABEL = 14;
  const cell = (label: string, values: Float32Array, n: number, r: number, attr: string) => {
    const step = n ? side / n : 0;
    const every = Math.ceil(n / 8);
    const ticks = Array.from({ length: n }, (_, i) => i).filter((i) => i % every === 0);
    return (
      <div className="compare-heatmap" data-compare-gram={attr}>
        <span className="compare-heatmap-title">{label}</span>
        <div className="gram-stack" style={{ width: side + LABEL, height: side + LABEL }}>
          <MiniHeatmap values={values} rows={n} cols={n} width={side} height={side} range={r} className="compare-mini" label={`${label}, ${n} by ${n}${attr === 'diff' ? `, colours from −${r} to ${r}` : ''}`} />
          <svg className="gram-overlay" width={side + LABEL} height={side + LABEL} aria-hidden="true">
            {ticks.map((i) => (
              <g key={i}>
                <text className="axis-tick" x={LABEL + (i + 0.5) * step} y={10} textAnchor="middle">{i + 1}</text>
                <text className="axis-tick" x={LABEL - 3} y={LABEL + (i + 0.5) * step} dy="0.35em" textAnchor="end">{i + 1}</text>
              </g>
            ))}
          </svg>
        </div>
      </div>
    );
  };
  return (
    <Panel
      id="compare-gram"
      title={TITLE}
      summary={summary}
      legend={
        <div className="compare-legends">
          <ColorLegend title="A, B: Wᵢ·Wⱼ" color={(v) => divergingColor(v)} domain={[-1, 0, 1]} ticks={[{ value: -1, label: '−1' }, { value: 0, label: '0' }, { value: 1, label: '1' }]} width={140} />
          <ColorLegend title="B − A" color={(v) => divergingColor(v / range)} domain={[-range, 0, range]} ticks={[{ value: -range, label: `−${range}` }, { value: 0, label: '0' }, { value: range, label: `${range}` }]} width={140} />
        </div>
      }
      caption={
        <>
          Row i, column j is Wᵢ·Wⱼ (features numbered from 1, top to bottom and left to right). The third map is B − A on its own scale,
          centred on 0: red where B&apos;s entry is larger, blue where it is smaller. {summary}
          {nA !== nB ? ` A has ${nA} features and B ${nB}: the difference covers the first ${c.shared}.` : ''}
        </>
      }
    >
      <div ref={bodyRef} className="compare-heatmaps">
        {cell('A', c.gramA, nA, 1, 'a')}
        {cell('B', c.gramB, nB, 1, 'b')}
        {cell('B − A', c.gramDiff, c.shared, range, 'diff')}
      </div>
    </Panel>
  );
}
