// A layer × head grid of the latest scores: induction, previous-token, current-token and BOS.

import { useInduction } from '../../../state/inductionStore.ts';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { SCORE_SCALE, useInductionController } from './shared.ts';

const METRICS = [
  { key: 'induction', label: 'induction' },
  { key: 'prevToken', label: 'prev-token' },
  { key: 'currentToken', label: 'current' },
  { key: 'bos', label: 'BOS' },
] as const;

export function InductionHeatmapPanel() {
  useInductionController();
  const snap = useInduction((s) => s.snapshot);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(420);
  if (!snap) return <Panel id="induction-heatmap" title="Scores by layer and head" waiting bodyRef={bodyRef} />;
  const { layers, heads, scores } = snap;
  const labelW = 30;
  const gap = 14;
  const cell = Math.max(32, Math.min(44, Math.floor((width - METRICS.length * (labelW + gap)) / (METRICS.length * heads))));
  const blockW = labelW + heads * cell;
  const perRow = Math.max(1, Math.floor((width + gap) / (blockW + gap)));
  const blockH = 18 + layers * cell + 16;
  const rows = Math.ceil(METRICS.length / perRow);
  const height = rows * (blockH + 8);
  return (
    <Panel
      id="induction-heatmap"
      title="Scores by layer and head"
      subtitle={`step ${snap.step}`}
      summary={`Step ${snap.step}: ${scores.map((h) => `L${h.layer}H${h.head} induction ${num(h.induction, 2)}, previous-token ${num(h.prevToken, 2)}`).join('; ')}.`}
      legend={
        <div className="ind-scale">
          <span>0</span>
          <span className="ind-scale-bar" />
          <span>1</span>
        </div>
      }
      caption={
        <>
          Each cell is one head (rows: layers, columns: heads), coloured by its score on the eval sequences now. A working circuit shows
          as a hot <strong>previous-token</strong> cell in layer 0 and a hot <strong>induction</strong> cell in layer 1; heads that
          park their attention on <strong>BOS</strong> are resting (attending nowhere in particular).
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={width} height={height} role="img" aria-label="Head scores by layer and head" data-scores={JSON.stringify(scores.map((h) => [h.layer, h.head, Number(h.induction.toFixed(3)), Number(h.prevToken.toFixed(3))]))}>
          {METRICS.map((m, i) => {
            const bx = (i % perRow) * (blockW + gap);
            const by = Math.floor(i / perRow) * (blockH + 8);
            return (
              <g key={m.key} transform={`translate(${bx},${by})`}>
                <text className="ind-block-title" x={labelW} y={12}>{m.label}</text>
                {Array.from({ length: layers }, (_, l) => (
                  <text key={l} className="axis-tick" x={labelW - 4} y={18 + l * cell + cell / 2 + 4} textAnchor="end">L{l}</text>
                ))}
                {Array.from({ length: heads }, (_, h) => (
                  <text key={h} className="axis-tick" x={labelW + h * cell + cell / 2} y={18 + layers * cell + 12} textAnchor="middle">H{h}</text>
                ))}
                {scores.map((s) => {
                  const v = s[m.key];
                  return (
                    <g key={`${s.layer}.${s.head}`} transform={`translate(${labelW + s.head * cell},${18 + s.layer * cell})`}>
                      <rect width={cell - 2} height={cell - 2} fill={SCORE_SCALE(Math.max(0, Math.min(1, v)))} rx={3}>
                        <title>{`L${s.layer}H${s.head} ${m.label}: ${num(v, 3)}`}</title>
                      </rect>
                      <text className="ind-cell-text" x={(cell - 2) / 2} y={(cell - 2) / 2 + 4} textAnchor="middle" fill={v > 0.6 ? '#fff' : '#1f2430'}>{v.toFixed(2)}</text>
                    </g>
                  );
                })}
              </g>
            );
          })}
        </svg>
      </div>
    </Panel>
  );
}
