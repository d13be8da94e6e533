// Ablations of the target: for each intervention on the hidden layer, every feature's loss increase in units
// of the target's increase when it is dropped entirely — the target's own bar is "removed", the others sum to
// "collateral".

import * as d3 from 'd3';
import { ABLATIONS } from '../../../engine/monitor/toy.ts';
import { focusedFeature, useMonitor } from '../../../state/monitorStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { fixed, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { ABLATION_NAMES, featureList, findings, pct, range, useMonitorController } from './shared.ts';

const CLIP = 3;

export function MonitorAblationPanel() {
  useMonitorController();
  const result = useMonitor((s) => s.result);
  const target = useMonitor((s) => s.target);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(560);
  if (!result) return <Panel id="monitor-ablation" title="Ablation: what is removed, what else breaks" waiting={<p className="panel-waiting">Training the base and the SAE…</p>} bodyRef={bodyRef} />;
  if (result.induction) {
    const a = result.induction.ablation;
    const heads = result.induction.ablatedHeads.map(([l, h]) => `L${l}H${h}`).join(', ');
    return (
      <Panel
        id="monitor-ablation"
        title="Ablation: zero the induction heads"
        summary={`Zeroing ${heads} removes ${pct(a.removed)} of in-context copying at a collateral of ${num(a.collateral, 2)}.`}
        caption={
          <>
            Zeroing the induction heads ({heads}) raises the second-copy loss from {num(result.induction.secondCopyLoss, 3)} to {num(a.secondCopyLoss, 3)} nats:
            it <strong>removes {pct(a.removed)}</strong> of what copying gained (first-copy loss − second-copy loss), while the first copy,
            which copying cannot help, changes by {num(a.collateral, 3)} in the same units (the collateral).
          </>
        }
      >
        <div ref={bodyRef}>
          <dl className="readout mon-induction-readout" data-mon-removed={a.removed}>
            <div><dt>removed</dt><dd>{pct(a.removed, 1)}</dd></div>
            <div><dt>collateral</dt><dd>{num(a.collateral, 3)}</dd></div>
            <div><dt>second copy</dt><dd>{num(result.induction.secondCopyLoss, 3)} → {num(a.secondCopyLoss, 3)} nats</dd></div>
            <div><dt>first copy</dt><dd>{num(result.induction.firstCopyLoss, 3)} → {num(a.firstCopyLoss, 3)} nats</dd></div>
          </dl>
        </div>
      </Panel>
    );
  }
  const f = focusedFeature({ result, target })!;
  const g = findings(result);
  const rep = g.represented;
  const n = f.ablations.neuron.perFeature.length;
  const cols = width > 760 ? 2 : 1;
  const chartW = Math.floor(width / cols) - 8;
  const margin = { top: 22, right: 8, bottom: 38, left: 44 };
  const innerW = Math.max(100, chartW - margin.left - margin.right);
  const innerH = 110;
  const x = d3.scaleBand<string>().domain(d3.range(n).map(String)).range([0, innerW]).padding(0.2);
  const all = ABLATIONS.flatMap((k) => f.ablations[k].perFeature);
  const y = d3.scaleLinear().domain([Math.max(-1, Math.min(0, d3.min(all) ?? 0)), Math.min(CLIP, Math.max(1.1, d3.max(all) ?? 1))]).range([innerH, 0]).nice();
  const [lo, hi] = y.domain();
  const clamp = (v: number) => Math.max(lo, Math.min(hi, v));
  return (
    <Panel
      id="monitor-ablation"
      title="Ablation: what is removed, what else breaks"
      subtitle={`feature ${f.target}`}
      summary={`Feature ${f.target}: ${ABLATIONS.map((k) => `${ABLATION_NAMES[k]} removes ${pct(f.ablations[k].removed)} at collateral ${num(f.ablations[k].collateral, 2)}`).join('; ')}.`}
      legend={
        <ul className="swatches">
          <li><span className="swatch" style={{ background: '#1f2937' }} />the target (removed)</li>
          <li><span className="swatch" style={{ background: '#f59e0b' }} />other features (collateral)</li>
        </ul>
      }
      caption={
        <>
          Each bar is a feature's loss increase, in units of the target's increase when it is dropped entirely. Over the {rep.length} represented
          features, zeroing the best neuron removes {range(rep.map((x) => x.ablations.neuron.removed), (v) => pct(v))} of the target at a
          collateral of <strong>{range(rep.map((x) => x.ablations.neuron.collateral), (v) => fixed(v, 2))}×</strong>: the neuron carries other
          features too. Subtracting the matched SAE latent removes {range(rep.map((x) => x.ablations.sae.removed), (v) => pct(v))}, at least 40% for{' '}
          {g.saeRemoves.length} of {rep.length}, at a collateral of <strong>{range(rep.map((x) => x.ablations.sae.collateral), (v) => fixed(v, 2))}</strong>,
          below a tenth of the neuron's for {g.saeCheap.length} of {rep.length} ({featureList(g.saeCheap)}{g.saeCheap.length === rep.length ? ': the goal is met' : ': the goal "every feature" is not met'}).
          Projecting the target's direction out removes all of it but hits every feature that shares the direction. Bars beyond ±{CLIP} are clipped.
        </>
      }
    >
      <div ref={bodyRef} className="mon-ablation-grid" style={{ gridTemplateColumns: `repeat(${cols}, 1fr)` }}>
        {ABLATIONS.map((k) => {
          const a = f.ablations[k];
          return (
            <svg key={k} width={chartW} height={innerH + margin.top + margin.bottom} role="img" aria-label={`${ABLATION_NAMES[k]}: removed ${pct(a.removed)}, collateral ${num(a.collateral, 2)}`} data-mon-ablation={k} data-removed={a.removed} data-collateral={a.collateral}>
              <text className="mon-chart-title" x={margin.left} y={14}>{ABLATION_NAMES[k]}: removed {pct(a.removed)}, collateral {num(a.collateral, 2)}</text>
              <g transform={`translate(${margin.left},${margin.top})`}>
                {y.ticks(3).map((t) => <line key={t} x1={0} x2={innerW} y1={y(t)} y2={y(t)} className="gridline" />)}
                <line x1={0} x2={innerW} y1={y(1)} y2={y(1)} className="reference-line" />
                {a.perFeature.map((v, i) => {
                  const c = clamp(v);
                  return <rect key={i} x={x(String(i))} width={x.bandwidth()} y={Math.min(y(0), y(c))} height={Math.abs(y(c) - y(0))} fill={i === f.target ? '#1f2937' : '#f59e0b'} />;
                })}
                <line x1={0} x2={innerW} y1={y(0)} y2={y(0)} stroke="#9ca3af" />
                <Axis scale={y} orient="left" ticks={3} format={(d: number) => num(d, 2)} />
                <Axis scale={x} orient="bottom" y={innerH} label="feature" labelOffset={33} />
              </g>
            </svg>
          );
        })}
      </div>
    </Panel>
  );
}
