// The privileged-basis figure (science.md §5.5; the paper's and ARENA's per-neuron plot): for each
// trained model (one per sparsity), one bar per hidden neuron, stacked from each feature's weight
// W_ji (positive up, negative down), coloured by feature (darker = more important). Monosemantic
// neurons are sorted first and shaded; then polysemantic ones, most dominated first; dead last.

import * as d3 from 'd3';
import type { NeuronFacts, NeuronInstance } from '../../../engine/views/views.ts';
import { runProgressWords } from '../../a11y/viewSummaries.ts';
import { fixed, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { latestNeurons, type NeuronPanelProps } from './neuronRun.ts';
import { RunWaiting } from './RunWaiting.tsx';

/** Feature i of n: viridis from dark (feature 1, the most important) to light yellow-green. */
export const featureColor = (i: number, n: number): string => d3.interpolateViridis(n <= 1 ? 0 : 0.05 + (0.85 * i) / (n - 1));

/** Neuron order: monosemantic first (by their feature), then polysemantic by top share, dead last. */
export function neuronOrder(neurons: readonly NeuronFacts[]): number[] {
  const rank = (f: NeuronFacts) => (f.dead ? 2 : f.monosemantic ? 0 : 1);
  return neurons
    .map((_, j) => j)
    .sort((a, b) => {
      const fa = neurons[a], fb = neurons[b];
      if (rank(fa) !== rank(fb)) return rank(fa) - rank(fb);
      if (rank(fa) === 0) return (fa.reads[0]?.feature ?? 0) - (fb.reads[0]?.feature ?? 0);
      return fb.topShare - fa.topShare;
    });
}

const HEIGHT = 170;

/** One sentence about a model: how many neurons are monosemantic and what they read. */
function instanceWords(inst: NeuronInstance, m: number): string {
  const mono = inst.neurons.filter((f) => f.monosemantic).map((f) => f.reads[0].feature + 1);
  const monoWords = mono.length ? `, reading feature${mono.length > 1 ? 's' : ''} ${mono.sort((a, b) => a - b).join(', ')}` : '';
  return `S = ${num(inst.sparsity, 3)}: ${mono.length} of ${m} neurons monosemantic${monoWords}; ${inst.polysemantic} polysemantic, reading ${fixed(inst.featuresPerNeuron, 1)} features on average${inst.dead ? `; ${inst.dead} dead` : ''}.`;
}

export function NeuronBarsPanel({ run, id, title, caption, className }: NeuronPanelProps) {
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(900);
  const neurons = latestNeurons(run);
  if (!run || !neurons) return <Panel id={id} title={title} className={className} summary={null} waiting={<RunWaiting run={run} />} bodyRef={bodyRef} />;
  const { s, result, sparsities } = neurons;
  const { n, m, K } = s;
  // each model its own scale: the sparse models' large negative weights would flatten the dense ones' bars
  const extent = (k: number): [number, number] => {
    let up = 0, down = 0;
    for (let j = 0; j < m; j++) {
      let pos = 0, neg = 0;
      for (let i = 0; i < n; i++) {
        const w = s.W[k * m * n + j * n + i];
        if (w > 0) pos += w;
        else neg += w;
      }
      up = Math.max(up, pos);
      down = Math.min(down, neg);
    }
    return [Math.min(down, -0.1 * up), Math.max(up, 1e-6)];
  };
  const gap = 12;
  const axisW = 28;
  const perRow = Math.max(1, Math.min(K, Math.floor((width + gap) / (120 + gap))));
  const chartW = Math.max(70, Math.floor((width - 2 - gap * (perRow - 1)) / perRow) - axisW); // .neuron-bars has the same 12 px gap
  const barSlot = chartW / m;
  const barW = Math.max(6, Math.min(34, barSlot * 0.7));
  const summary = `${runProgressWords(run)} ${result.instances.map((inst) => instanceWords(inst, m)).join(' ')}`.trim();
  return (
    <Panel
      id={id}
      title={title}
      className={className}
      subtitle={`${n} features, ${m} neurons${K > 1 ? `, ${K} sparsities` : ''}`}
      summary={summary}
      legend={
        <ul className="swatches">
          {Array.from({ length: n }, (_, i) => (
            <li key={i}><span className="swatch" style={{ background: featureColor(i, n), width: 12, height: 12 }} />{i + 1}</li>
          ))}
          <li className="muted">features, most important first</li>
          <li><span className="swatch neuron-mono-swatch" style={{ width: 12, height: 12 }} />monosemantic neuron (one feature ≥ 90% of Σw²)</li>
        </ul>
      }
      caption={caption}
    >
      <div ref={bodyRef} className="neuron-bars" data-run={run.spec.id}>
        {result.instances.map((inst, k) => {
          const order = neuronOrder(inst.neurons);
          const W = s.W.subarray(k * m * n, (k + 1) * m * n);
          const y = d3.scaleLinear().domain(extent(k)).range([HEIGHT - 18, 6]).nice(4);
          const ticks = y.ticks(4);
          return (
            <figure
              key={k}
              className="neuron-bar-chart"
              data-instance={k}
              data-monosemantic={inst.monosemanticFraction.toFixed(3)}
              data-features-per-neuron={inst.featuresPerNeuron.toFixed(3)}
              data-order={order.join(',')}
            >
              <svg width={chartW + axisW} height={HEIGHT} role="img" aria-label={instanceWords(inst, m)}>
                <g transform={`translate(${axisW},0)`}>
                  <g className="neuron-bar-axis">
                    {ticks.map((t) => (
                      <g key={t}>
                        <line x1={-3} x2={0} y1={y(t)} y2={y(t)} />
                        <text x={-5} y={y(t)} dy="0.32em" textAnchor="end">{fixed(t, 1)}</text>
                      </g>
                    ))}
                  </g>
                  {order.map((j, slot) => {
                    const f = inst.neurons[j];
                    const x0 = slot * barSlot;
                    let pos = 0, neg = 0;
                    const segs = Array.from({ length: n }, (_, i) => i)
                      .filter((i) => W[j * n + i] !== 0)
                      .map((i) => {
                        const w = W[j * n + i];
                        const [a, b] = w > 0 ? [pos, (pos += w)] : [neg, (neg += w)];
                        return { i, w, top: y(Math.max(a, b)), bottom: y(Math.min(a, b)) };
                      });
                    return (
                      <g key={j} data-neuron={j} data-mono={f.monosemantic ? '1' : '0'} data-dead={f.dead ? '1' : '0'}>
                        {f.monosemantic && <rect className="neuron-mono-bg" x={x0 + 1} y={2} width={barSlot - 2} height={HEIGHT - 16} rx={3} />}
                        {segs.map((g) => (
                          <rect key={g.i} x={x0 + (barSlot - barW) / 2} y={g.top} width={barW} height={Math.max(0, g.bottom - g.top)} fill={featureColor(g.i, n)} className="neuron-seg">
                            <title>{`neuron ${j + 1}: feature ${g.i + 1}, weight ${fixed(g.w, 3)}`}</title>
                          </rect>
                        ))}
                        <text x={x0 + barSlot / 2} y={HEIGHT - 4} textAnchor="middle" className={`neuron-tag ${f.dead ? 'neuron-dead' : f.monosemantic ? 'neuron-mono' : 'neuron-poly'}`}>
                          {f.dead ? '–' : f.monosemantic ? String(f.reads[0].feature + 1) : `×${f.reads.length}`}
                        </text>
                      </g>
                    );
                  })}
                  <line className="neuron-bar-zero" x1={0} x2={chartW} y1={y(0)} y2={y(0)} />
                </g>
              </svg>
              <figcaption className="multiple-label">
                {K > 1 && <span>S = {num(sparsities[k], 3)} (p = {num(1 - sparsities[k], 2)})</span>}
                <span className="geometry-name">{inst.neurons.filter((x) => x.monosemantic).length} of {m} monosemantic</span>
              </figcaption>
            </figure>
          );
        })}
      </div>
    </Panel>
  );
}
