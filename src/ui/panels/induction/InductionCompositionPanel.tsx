// K-, Q- and V-composition between the heads of two layers (Elhage et al.), from the weights.

import { useInduction } from '../../../state/inductionStore.ts';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { headName, SCORE_SCALE, useInductionController } from './shared.ts';

const KINDS = [
  { key: 'k', label: 'K-composition' },
  { key: 'q', label: 'Q-composition' },
  { key: 'v', label: 'V-composition' },
] as const;

export function InductionCompositionPanel() {
  useInductionController();
  const snap = useInduction((s) => s.snapshot);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(420);
  if (!snap) return <Panel id="induction-composition" title="Composition between layers" waiting bodyRef={bodyRef} />;
  const { heads, composition } = snap;
  if (!composition.length) {
    return (
      <Panel id="induction-composition" title="Composition between layers" summary="One layer: no composition." caption="Composition needs two layers: a later head reading what an earlier head wrote. The 1-layer model has none, which is why it cannot form an induction circuit.">
        <div ref={bodyRef}><p className="panel-note" data-composition="none">One layer: nothing to compose. Switch to two layers to see K-composition appear.</p></div>
      </Panel>
    );
  }
  // the K-composition scale: a random pair of heads scores about 1/√d_head, so the colours start there
  const all = composition.flatMap((c) => KINDS.flatMap((k) => c[k.key].flat()));
  const hi = Math.max(0.2, ...all);
  const labelW = 44;
  const gap = 18;
  const cell = Math.max(24, Math.min(46, Math.floor((width - KINDS.length * (labelW + gap)) / (KINDS.length * heads))));
  const blockW = labelW + heads * cell;
  const perRow = Math.max(1, Math.floor((width + gap) / (blockW + gap)));
  const blockH = 30 + heads * cell + 18;
  const blocks = composition.flatMap((c) => KINDS.map((k) => ({ c, k })));
  const height = Math.ceil(blocks.length / perRow) * (blockH + 6);
  const first = composition[0];
  let top = { a: 0, b: 0, v: -1 };
  first.k.forEach((row, a) => row.forEach((v, b) => (v > top.v ? (top = { a, b, v }) : null)));
  return (
    <Panel
      id="induction-composition"
      title="Composition between layers"
      subtitle={`largest K: ${headName(first.fromLayer, top.a)} → ${headName(first.toLayer, top.b)} (${num(top.v, 2)})`}
      summary={`Largest K-composition from layer ${first.fromLayer} to ${first.toLayer}: head ${top.a} into head ${top.b}, ${num(top.v, 2)}.`}
      legend={<div className="ind-scale"><span>0</span><span className="ind-scale-bar" /><span>{num(hi, 2)}</span></div>}
      caption={
        <>
          How much each later head reads what an earlier head writes: ‖W<sub>OV</sub><sup>early</sup> W<sup>late</sup>‖ / (‖·‖‖·‖), rows
          the earlier layer's heads, columns the later layer's. An induction head builds its <strong>key</strong> from the previous-token
          head's output — “which token came before me?” — so look for the strongest <strong>K-composition</strong> cell to pair the
          layer-0 previous-token head with the layer-1 induction head. Q and V are shown for comparison.
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={width} height={height} role="img" aria-label="Composition scores between layers" data-k-composition={JSON.stringify(first.k.map((r) => r.map((v) => Number(v.toFixed(3)))))}>
          {blocks.map(({ c, k }, i) => {
            const bx = (i % perRow) * (blockW + gap);
            const by = Math.floor(i / perRow) * (blockH + 6);
            return (
              <g key={`${c.fromLayer}.${c.toLayer}.${k.key}`} transform={`translate(${bx},${by})`}>
                <text className="ind-block-title" x={labelW} y={12}>{k.label}{composition.length > 1 ? ` L${c.fromLayer}→L${c.toLayer}` : ''}</text>
                {Array.from({ length: heads }, (_, h) => (
                  <text key={`c${h}`} className="axis-tick" x={labelW + h * cell + cell / 2} y={26} textAnchor="middle">{headName(c.toLayer, h)}</text>
                ))}
                {c[k.key].map((row, a) => (
                  <g key={a}>
                    <text className="axis-tick" x={labelW - 4} y={30 + a * cell + cell / 2 + 4} textAnchor="end">{headName(c.fromLayer, a)}</text>
                    {row.map((v, b) => (
                      <g key={b} transform={`translate(${labelW + b * cell},${30 + a * cell})`}>
                        <rect width={cell - 2} height={cell - 2} rx={3} fill={SCORE_SCALE(Math.min(1, v / hi))}>
                          <title>{`${k.label} ${headName(c.fromLayer, a)} → ${headName(c.toLayer, b)}: ${num(v, 3)}`}</title>
                        </rect>
                        <text className="ind-cell-text" x={(cell - 2) / 2} y={(cell - 2) / 2 + 4} textAnchor="middle" fill={v / hi > 0.6 ? '#fff' : '#1f2430'}>{v.toFixed(2)}</text>
                      </g>
                    ))}
                  </g>
                ))}
              </g>
            );
          })}
        </svg>
      </div>
    </Panel>
  );
}
