// Click heads to zero them: the per-position loss on the eval set of the ablated model beside the
// intact one (computed in the worker with the engine's ablation hooks).

import * as d3 from 'd3';
import { HEAD_THRESHOLD } from '../../../engine/transformer/metrics.ts';
import { getInductionController } from '../../../state/inductionController.ts';
import { useInduction } from '../../../state/inductionStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { headName, useInductionController } from './shared.ts';

export function InductionAblationPanel() {
  useInductionController();
  const snap = useInduction((s) => s.snapshot);
  const run = useInduction((s) => s.runConfig);
  const ablate = useInduction((s) => s.ablate);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(420);
  if (!snap || !run) return <Panel id="induction-ablation" title="Ablation: zero heads" waiting bodyRef={bodyRef} />;
  const c = getInductionController();
  const { layers, heads, T, L, scores } = snap;
  const lnV = Math.log(run.vocab);
  const on = (l: number, h: number) => ablate.some(([a, b]) => a === l && b === h);
  const inductionHeads = scores.filter((s) => s.layer >= 1 && s.induction >= HEAD_THRESHOLD).map((s) => [s.layer, s.head] as [number, number]);
  const margin = { top: 10, right: 14, bottom: 38, left: 48 };
  const height = 220;
  const innerW = Math.max(80, width - margin.left - margin.right);
  const innerH = height - margin.top - margin.bottom;
  const x = d3.scaleLinear().domain([0, T - 2]).range([0, innerW]);
  const ablated = snap.ablation;
  const maxY = Math.max(lnV * 1.15, d3.max(snap.lossByPosition) ?? 0, ablated ? d3.max(ablated.lossByPosition) ?? 0 : 0);
  const y = d3.scaleLinear().domain([0, maxY]).range([innerH, 0]).nice();
  const line = d3.line<number>().x((_, i) => x(i)).y((v) => y(v));
  return (
    <Panel
      id="induction-ablation"
      title="Ablation: zero heads"
      subtitle={ablated ? `second copy ${num(snap.secondCopyLoss, 3)} → ${num(ablated.secondCopyLoss, 3)} nats` : `second copy ${num(snap.secondCopyLoss, 3)} nats`}
      summary={ablated ? `Zeroing ${ablated.heads.map(([l, h]) => headName(l, h)).join(', ')} raises the second-copy loss from ${num(snap.secondCopyLoss, 3)} to ${num(ablated.secondCopyLoss, 3)} nats.` : 'No head zeroed.'}
      legend={
        <ul className="swatches">
          <li><span className="swatch" style={{ background: '#374151' }} />intact model</li>
          <li><span className="swatch" style={{ background: '#e4572e' }} />heads zeroed</li>
        </ul>
      }
      caption={
        <>
          Click heads to set their output to zero and watch the loss at each position of the eval sequences. Zero the
          <strong> induction head(s)</strong> and the second copy's loss jumps back towards ln V: the model forgets how to copy. With two
          induction heads, zeroing one may not be enough — the other carries on. Zeroing the layer-0 previous-token head breaks the
          circuit too: the induction head's keys are built from its output.
        </>
      }
    >
      <div ref={bodyRef} className="ind-ablation">
        <div className="ind-head-buttons" role="group" aria-label="Heads to zero">
          {Array.from({ length: layers }, (_, l) => (
            <div key={l} className="ind-head-row">
              {Array.from({ length: heads }, (_, h) => (
                <button key={h} type="button" className={`tool-button ind-head-button${on(l, h) ? ' ind-head-off' : ''}`} aria-pressed={on(l, h)} onClick={() => c.toggleHead([l, h])} data-ind-head={headName(l, h)}>
                  {headName(l, h)}{on(l, h) ? ' ✕' : ''}
                </button>
              ))}
            </div>
          ))}
          <button type="button" className="link-button" disabled={!inductionHeads.length} onClick={() => c.setAblation(inductionHeads)} data-ind-action="zero-induction">
            zero the induction heads{inductionHeads.length ? ` (${inductionHeads.map(([l, h]) => headName(l, h)).join(', ')})` : ' (none ≥ 0.4 yet)'}
          </button>
          {ablate.length > 0 && <button type="button" className="link-button" onClick={() => c.setAblation([])}>restore all</button>}
        </div>
        <svg width={width} height={height} role="img" aria-label="Loss by position, intact and with heads zeroed" data-ablated-second-copy={ablated?.secondCopyLoss ?? ''}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            <rect className="ind-second-band" x={x(L + 0.5)} width={x(2 * L - 1) - x(L + 0.5)} y={0} height={innerH} />
            <text className="ind-ref-label" x={x(L + 1)} y={12}>second copy</text>
            <text className="ind-ref-label" x={x(1)} y={12}>first copy</text>
            {y.ticks(4).map((t) => <line key={t} x1={0} x2={innerW} y1={y(t)} y2={y(t)} className="gridline" />)}
            <line className="reference-line" x1={0} x2={innerW} y1={y(lnV)} y2={y(lnV)} />
            <text className="ind-ref-label" x={innerW - 2} y={y(lnV) - 4} textAnchor="end">ln V</text>
            <path d={line(Array.from(snap.lossByPosition)) ?? ''} fill="none" stroke="#374151" strokeWidth={2} />
            {ablated && <path d={line(Array.from(ablated.lossByPosition)) ?? ''} fill="none" stroke="#e4572e" strokeWidth={2} />}
            <Axis scale={y} orient="left" ticks={4} format={(d: number) => num(d, 2)} label="loss (nats)" labelOffset={36} />
            <Axis scale={x} orient="bottom" y={innerH} ticks={Math.max(2, Math.floor(innerW / 60))} format={(d: number) => String(d)} label="position (predicting the next token)" />
          </g>
        </svg>
      </div>
    </Panel>
  );
}
