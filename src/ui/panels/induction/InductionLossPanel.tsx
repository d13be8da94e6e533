// Loss on the eval set over training: all positions, the first copy (unpredictable, ≈ ln V) and
// the second copy (predictable by copying), with the phase change marked.

import * as d3 from 'd3';
import { useInduction } from '../../../state/inductionStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { count, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { stepFormat, useInductionController } from './shared.ts';

const SERIES = [
  { key: 'all', label: 'all tokens', color: '#6b7280', dash: '4 3' },
  { key: 'first', label: 'first copy', color: '#4477aa', dash: undefined },
  { key: 'second', label: 'second copy', color: '#ee6677', dash: undefined },
] as const;

export function InductionLossPanel() {
  useInductionController();
  const curve = useInduction((s) => s.curve);
  const more = useInduction((s) => s.headCurve);
  const run = useInduction((s) => s.runConfig);
  const phase = useInduction((s) => s.snapshot?.phaseChange ?? null);
  const formed = useInduction((s) => s.snapshot?.formedAtStep ?? null);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(420);
  if (!run || curve.length === 0) return <Panel id="induction-loss" title="Loss on repeated sequences" waiting bodyRef={bodyRef} />;
  const lnV = Math.log(run.vocab);
  const margin = { top: 10, right: 16, bottom: 38, left: 48 };
  const height = 250;
  const innerW = Math.max(80, width - margin.left - margin.right);
  const innerH = height - margin.top - margin.bottom;
  const x = d3.scaleLinear().domain([0, run.steps]).range([0, innerW]);
  const maxLoss = Math.max(lnV * 1.1, d3.max(curve, (p) => Math.max(p[1], p[2])) ?? lnV);
  const y = d3.scaleLinear().domain([0, maxLoss]).range([innerH, 0]).nice();
  const values = (key: (typeof SERIES)[number]['key']) =>
    key === 'all' ? more.map((p) => [p[0], p[1]] as const) : curve.map((p) => [p[0], key === 'first' ? p[1] : p[2]] as const);
  const line = d3.line<readonly [number, number]>().x((p) => x(p[0])).y((p) => y(p[1]));
  const last = curve[curve.length - 1];
  return (
    <Panel
      id="induction-loss"
      title="Loss on repeated sequences"
      subtitle={`step ${count(last[0])}: first copy ${num(last[1], 3)}, second copy ${num(last[2], 3)} nats`}
      summary={`At step ${last[0]} the second-copy loss is ${num(last[2], 3)} nats and the first-copy loss ${num(last[1], 3)} (ln V = ${num(lnV, 3)}).${phase ? ` Phase change between steps ${phase.fromStep} and ${phase.toStep}.` : ''}`}
      legend={
        <ul className="swatches">
          {SERIES.map((s) => (
            <li key={s.key}><span className="swatch" style={{ background: s.color }} />{s.label}</li>
          ))}
          <li><span className="swatch ind-swatch-band" />phase change</li>
        </ul>
      }
      caption={
        <>
          Every {run.evalEvery} steps the model reads 256 fixed sequences <code>[BOS, r₁…r₁₅, r₁…r₁₅]</code> of random tokens.
          Inside the <strong>first copy</strong> the next token is pure chance, so its loss stays at ln V = {num(lnV, 2)} nats (dashed)
          whatever the model learns. In the <strong>second copy</strong> every token can be copied from the first: watch its loss sit
          on a plateau, then fall off a cliff in a few hundred steps — the <strong>phase change</strong> (shaded) when the
          induction heads form. With one layer, or with the fixed-repeat pitfall, look how the cliff never comes or comes for the wrong reason.
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={width} height={height} role="img" aria-label="Eval loss over training" data-second-copy={last[2]} data-phase={phase ? `${phase.fromStep}-${phase.toStep}` : ''}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            {y.ticks(5).map((t) => <line key={t} x1={0} x2={innerW} y1={y(t)} y2={y(t)} className="gridline" />)}
            {phase && <rect className="ind-phase-band" x={x(phase.fromStep)} width={Math.max(2, x(phase.toStep) - x(phase.fromStep))} y={0} height={innerH} />}
            {phase && <text className="ind-phase-label" x={Math.min(innerW - 4, x(phase.toStep) + 4)} y={12} textAnchor={x(phase.toStep) > innerW - 90 ? 'end' : 'start'}>phase change</text>}
            {formed !== null && <line className="ind-formed-line" x1={x(formed)} x2={x(formed)} y1={0} y2={innerH} />}
            <line className="reference-line" x1={0} x2={innerW} y1={y(lnV)} y2={y(lnV)} />
            <text className="ind-ref-label" x={innerW - 2} y={y(lnV) - 4} textAnchor="end">ln V</text>
            {SERIES.map((s) => (
              <path key={s.key} d={line(values(s.key)) ?? ''} fill="none" stroke={s.color} strokeWidth={s.key === 'second' ? 2.4 : 1.6} strokeDasharray={s.dash} />
            ))}
            <Axis scale={y} orient="left" ticks={5} format={(d: number) => num(d, 2)} label="loss (nats)" labelOffset={36} />
            <Axis scale={x} orient="bottom" y={innerH} ticks={Math.max(2, Math.floor(innerW / 80))} format={stepFormat} label="step" />
          </g>
        </svg>
      </div>
    </Panel>
  );
}
