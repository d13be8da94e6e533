// "Edit at every layer": ROME at each layer over the same 10 random edits (compareLayers) — efficacy, paraphrase,
// neighbourhood and token-sharing per layer, beside the layer the trace points to (Hase et al. 2023: localisation
// need not predict where editing works best).

import * as d3 from 'd3';
import { getLocateController, LAYER_EDITS } from '../../../state/locateController.ts';
import { currentPeak, useLocate } from '../../../state/locateStore.ts';
import { ProgressBar } from '../../charts/ProgressBar.tsx';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { pct, useLocateController } from './shared.tsx';

const METRICS = [
  { key: 'efficacy', label: 'efficacy', color: '#2b6cb0' },
  { key: 'paraphrase', label: 'paraphrase', color: '#38a169' },
  { key: 'neighbourhood', label: 'neighbourhood', color: '#dd6b20' },
  { key: 'tokenSharing', label: 'token-sharing', color: '#9f7aea' },
] as const;

export function LocateLayersPanel() {
  useLocateController();
  const layers = useLocate((s) => s.layers);
  const busy = useLocate((s) => s.busy.layers ?? false);
  const model = useLocate((s) => s.model);
  const peakLayer = useLocate((s) => currentPeak(s)?.subjectLayer ?? null);
  const average = useLocate((s) => (s.average?.final ? s.average : null));
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(420);
  const c = getLocateController();
  const L = model?.layers ?? 4;
  const h = 190;
  const m = { top: 12, right: 8, bottom: 34, left: 36 };
  const x = d3.scaleBand<number>().domain(d3.range(L)).range([m.left, width - m.right]).padding(0.2);
  const xi = d3.scaleBand<string>().domain(METRICS.map((k) => k.key)).range([0, x.bandwidth()]).padding(0.08);
  const y = d3.scaleLinear().domain([0, 1]).range([h - m.bottom, m.top]);
  const done = layers?.layers ?? [];
  const avgPeak = average ? average.avg.subjectPeakLayer : null;
  const best = done.length === L ? d3.maxIndex(done, (s) => s.efficacy + s.paraphrase + s.neighbourhood) : null;
  return (
    <Panel
      id="locate-layers"
      title="Edit at every layer"
      subtitle={layers ? `${layers.edits} random edits per layer` : undefined}
      summary={done.length ? done.map((s) => `layer ${s.layer}: efficacy ${pct(s.efficacy)}, paraphrase ${pct(s.paraphrase)}, neighbourhood ${pct(s.neighbourhood)}`).join('; ') : null}
      legend={
        <div className="loc-legend">
          {METRICS.map((k) => <span key={k.key} className="loc-key"><span className="swatch" style={{ background: k.color }} />{k.label}</span>)}
          {peakLayer !== null && <span>▼ this fact’s trace peak (layer {peakLayer}){avgPeak !== null ? `; averaged trace peak: layer ${avgPeak}` : ''}</span>}
        </div>
      }
      caption={
        <>
          The same {LAYER_EDITS} random (fact, new object) edits made with ROME at each layer in turn, each on the original model. If
          localisation told you where to edit, the traced peak would be the best layer; Hase et al. (2023) found in GPT-J that it barely
          predicts it. Here you can check it for this model{best !== null ? <> — the best layer by efficacy + paraphrase + neighbourhood is <strong>layer {best}</strong></> : ''}.
          It takes a while (every edit optimises v* and is scored on hundreds of prompts) and runs in the worker.
        </>
      }
    >
      <div ref={bodyRef}>
        <div className="button-row">
          <button type="button" data-loc-action="layers" disabled={!model || busy} onClick={() => c.compareLayers()}>{busy ? 'Editing at every layer…' : 'Edit at every layer'}</button>
        </div>
        {busy && layers && <ProgressBar value={layers.done} max={layers.total} label="edits" detail={`${layers.done} / ${layers.total} edits (${L} layers × ${layers.edits})`} />}
        {done.length > 0 ? (
          <svg width={width} height={h} role="img" aria-label="Edit scores by layer" data-loc-layers={done.length}>
            {y.ticks(4).map((t) => (
              <g key={t}>
                <line className="grid-line" x1={m.left} x2={width - m.right} y1={y(t)} y2={y(t)} />
                <text className="axis-tick" x={m.left - 4} y={y(t) + 4} textAnchor="end">{t}</text>
              </g>
            ))}
            {d3.range(L).map((l) => (
              <text key={l} className="axis-tick" x={x(l)! + x.bandwidth() / 2} y={h - m.bottom + 14} textAnchor="middle" fontWeight={l === best ? 700 : 400}>
                layer {l}{peakLayer === l ? ' ▼' : ''}
              </text>
            ))}
            {done.map((s) =>
              METRICS.map((k) => (
                <rect key={`${s.layer}.${k.key}`} x={x(s.layer)! + xi(k.key)!} width={xi.bandwidth()} y={Math.min(y(s[k.key]), y(0) - 1.5)} height={Math.max(1.5, y(0) - y(s[k.key]))} fill={k.color}>
                  <title>{`layer ${s.layer} ${k.label}: ${pct(s[k.key])}`}</title>
                </rect>
              )),
            )}
          </svg>
        ) : (
          !busy && <p className="panel-waiting">ROME at layers 0 … {L - 1} over {LAYER_EDITS} random edits: about a minute in the worker.</p>
        )}
      </div>
    </Panel>
  );
}
