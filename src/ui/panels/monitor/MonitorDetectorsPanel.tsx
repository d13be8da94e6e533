// Detectors of the target: ROC curves on fresh inputs and, for every feature, AUROC and the false-alarm rate
// (inputs with the target absent and another feature present, at the threshold catching 90% of the target's
// activations above 0.1). Click a row to make that feature the target.

import * as d3 from 'd3';
import { getMonitorController } from '../../../state/monitorController.ts';
import { focusedFeature, useMonitor } from '../../../state/monitorStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { DETECTOR_COLORS, DETECTOR_NAMES, DETECTOR_TEXT_COLORS, featureList, findings, pct, range, useMonitorController } from './shared.ts';

function Roc({ curves, width }: { curves: { id: string; label: string; roc: [number, number][] }[]; width: number }) {
  const size = Math.max(160, Math.min(280, width));
  const margin = { top: 8, right: 10, bottom: 38, left: 44 };
  const inner = size - margin.left - margin.right;
  const x = d3.scaleLinear().domain([0, 1]).range([0, inner]);
  const y = d3.scaleLinear().domain([0, 1]).range([inner, 0]);
  const line = d3.line<[number, number]>().x((p) => x(p[0])).y((p) => y(p[1]));
  return (
    <svg width={size} height={inner + margin.top + margin.bottom} role="img" aria-label="ROC curves of the detectors">
      <g transform={`translate(${margin.left},${margin.top})`}>
        <line className="reference-line" x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} />
        {curves.map((c) => <path key={c.id} d={line(c.roc) ?? ''} fill="none" stroke={DETECTOR_COLORS[c.id]} strokeWidth={2} data-mon-roc={c.id} />)}
        <Axis scale={y} orient="left" ticks={4} format={(d: number) => num(d, 2)} label="true-positive rate" labelOffset={34} />
        <Axis scale={x} orient="bottom" y={inner} ticks={4} format={(d: number) => num(d, 2)} label="false-positive rate" />
      </g>
    </svg>
  );
}

export function MonitorDetectorsPanel() {
  useMonitorController();
  const result = useMonitor((s) => s.result);
  const target = useMonitor((s) => s.target);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(560);
  if (!result) return <Panel id="monitor-detectors" title="Detectors: ROC and false alarms" waiting={<p className="panel-waiting">Training the base and the SAE…</p>} bodyRef={bodyRef} />;
  if (result.induction) {
    const d = result.induction.detectors;
    const curves = [
      { id: 'induction', label: `induction head L${d.induction.layer}H${d.induction.head}`, roc: d.induction.roc },
      { id: 'prevToken', label: `previous-token head L${d.prevToken.layer}H${d.prevToken.head}`, roc: d.prevToken.roc },
    ];
    return (
      <Panel
        id="monitor-detectors"
        title="Detectors: does this sequence repeat?"
        subtitle={`AUROC ${num(d.induction.auroc, 3)} vs ${num(d.prevToken.auroc, 3)}`}
        summary={`Induction head AUROC ${num(d.induction.auroc, 3)}, previous-token head ${num(d.prevToken.auroc, 3)}.`}
        legend={<ul className="swatches">{curves.map((c) => <li key={c.id}><span className="swatch" style={{ background: DETECTOR_COLORS[c.id] }} />{c.label}</li>)}</ul>}
        caption={
          <>
            Each detector scores a sequence by its head's attention to “the token after my previous occurrence”: the diagonal stripe a head
            draws when, at each position, it attends one step further along an earlier copy (averaged over 4 consecutive positions, the
            shortest repeat). Over {512} fresh sequences, half with a repeated segment, the <strong>induction head separates them with AUROC{' '}
            {num(d.induction.auroc, 3)}</strong> ({d.induction.auroc >= 0.95 ? 'the goal of ≥ 0.95 is met' : 'below the goal of 0.95'}; at the
            threshold catching 90% of the repeats it false-alarms on {pct(d.induction.falseAlarms, 1)} of the others). The previous-token head
            alone reaches only {num(d.prevToken.auroc, 3)}: it attends to the token before, repeat or not.
          </>
        }
      >
        <div ref={bodyRef} className="mon-detectors"><Roc curves={curves} width={width} /></div>
      </Panel>
    );
  }
  const f = focusedFeature({ result, target })!;
  const g = findings(result);
  const rep = g.represented;
  const kinds = ['neuron', 'sae', 'probe'] as const;
  const curves = kinds.map((k) => ({ id: k, label: DETECTOR_NAMES[k], roc: f.detectors[k].roc }));
  const c = getMonitorController();
  return (
    <Panel
      id="monitor-detectors"
      title="Detectors: ROC and false alarms"
      subtitle={`feature ${f.target}: AUROC ${kinds.map((k) => num(f.detectors[k].auroc, 3)).join(' / ')}`}
      summary={`Feature ${f.target}: false alarms ${kinds.map((k) => `${DETECTOR_NAMES[k]} ${pct(f.detectors[k].falseAlarms, 1)}`).join(', ')}.`}
      legend={<ul className="swatches">{curves.map((x) => <li key={x.id}><span className="swatch" style={{ background: DETECTOR_COLORS[x.id] }} />{x.label}</li>)}</ul>}
      caption={
        <>
          AUROC alone barely separates the detectors (all {range(rep.flatMap((x) => kinds.map((k) => x.detectors[k].auroc)), (v) => num(v, 2))} over
          the {rep.length} represented features{result.toy?.hiddenRelu ? ': ties at zero activation dominate' : ''}). The false-alarm rate does: the best neuron fires on{' '}
          <strong>{range(rep.map((x) => x.detectors.neuron.falseAlarms), (v) => pct(v))}</strong> of the inputs where the target is absent and
          another feature present, the SAE latent on <strong>{range(rep.map((x) => x.detectors.sae.falseAlarms), (v) => pct(v, 1))}</strong> —
          below a third of the neuron's for {g.saeFalseAlarmsThird.length} of {rep.length} features ({featureList(g.saeFalseAlarmsThird)}
          {g.saeFalseAlarmsThird.length > rep.length / 2 ? '; the goal "most" is met' : '; the goal "most" is not met'}) — and the probe, trained
          with the labels, below the neuron for {g.probeBelowNeuron.length} of {rep.length}. Where a latent is shared by two features its
          false alarms stay high. Click a row to follow that feature.
        </>
      }
    >
      <div ref={bodyRef} className="mon-detectors">
        <Roc curves={curves} width={Math.min(280, width / 2.4)} />
        <table className="mon-table" aria-label="AUROC and false alarms per feature">
          <thead>
            <tr><th scope="col" rowSpan={2}>feature</th><th scope="colgroup" colSpan={3}>AUROC</th><th scope="colgroup" colSpan={3}>false alarms</th></tr>
            <tr>{[...kinds, ...kinds].map((k, i) => <th key={i} scope="col" style={{ color: DETECTOR_TEXT_COLORS[k] }}>{k === 'sae' ? 'SAE' : k}</th>)}</tr>
          </thead>
          <tbody>
            {result.features.map((x) => (
              <tr key={x.target} className={`${x.target === f.target ? 'mon-row-on' : ''}${x.represented ? '' : ' mon-row-dim'}`} onClick={() => c.setTarget(x.target)} data-mon-row={x.target}>
                <th scope="row"><button type="button" className="link-button" aria-pressed={x.target === f.target} onClick={() => c.setTarget(x.target)}>{x.target}{x.represented ? '' : '*'}</button></th>
                {kinds.map((k) => <td key={`a${k}`}>{num(x.detectors[k].auroc, 2)}</td>)}
                {kinds.map((k) => <td key={`f${k}`} className={k !== 'neuron' && x.detectors[k].falseAlarms < x.detectors.neuron.falseAlarms / 3 ? 'mon-good' : ''}>{pct(x.detectors[k].falseAlarms, 1)}</td>)}
              </tr>
            ))}
          </tbody>
          <tfoot><tr><td colSpan={7}>* not represented (‖W_i‖ &lt; 0.5); bold: below a third of the neuron's</td></tr></tfoot>
        </table>
      </div>
    </Panel>
  );
}
