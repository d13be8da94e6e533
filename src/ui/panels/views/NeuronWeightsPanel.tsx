// Per-neuron weights of the ReLU-hidden model: for each trained model (one per sparsity), a grid
// of neurons (rows) × features (columns), red = the neuron reads the feature positively, blue =
// negatively. A monosemantic neuron is a row with one strong cell.

import * as d3 from 'd3';
import { ColorLegend } from '../../charts/ColorLegend.tsx';
import { divergingColor } from '../../colors.ts';
import { fixed, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { latestNeurons, type NeuronPanelProps } from './neuronRun.ts';
import { RunWaiting } from './RunWaiting.tsx';
import { neuronWords, runProgressWords } from '../../a11y/viewSummaries.ts';

export function NeuronWeightsPanel({ run, id, title, caption, className }: NeuronPanelProps) {
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(800);
  const neurons = latestNeurons(run);
  if (!run || !neurons) return <Panel id={id} title={title} className={className} summary={null} waiting={<RunWaiting run={run} />} bodyRef={bodyRef} />;
  const { s, result, sparsities } = neurons;
  const { n, m, K } = s;
  const gap = 18;
  const tag = 34;
  const perRow = Math.min(K, 4);
  const block = Math.max(90, Math.min(260, Math.floor((width - gap * (perRow - 1)) / perRow) - tag));
  const cell = Math.max(3, Math.min(26, Math.floor(block / n)));
  const gridW = cell * n;
  const gridH = cell * m;
  return (
    <Panel
      id={id}
      summary={`${runProgressWords(run)} ${neuronWords(result)}`.trim()}
      title={title}
      className={className}
      subtitle={`${n} features, ${m} neurons${K > 1 ? `, ${K} sparsities` : ''}`}
      legend={<ColorLegend title="weight of feature i in neuron j (scaled to the model's largest)" color={(v) => divergingColor(v)} domain={[-1, 0, 1]} ticks={[{ value: -1, label: '−' }, { value: 0, label: '0' }, { value: 1, label: '+' }]} width={200} />}
      caption={caption}
    >
      <div ref={bodyRef} className="neuron-grids" data-run={run.spec.id}>
        {result.instances.map((inst, k) => {
          const W = s.W.subarray(k * m * n, (k + 1) * m * n);
          const max = d3.max(W, (v) => Math.abs(v)) || 1;
          return (
            <figure key={k} className="neuron-grid" data-instance={k} data-monosemantic={inst.monosemanticFraction.toFixed(3)} data-features-per-neuron={inst.featuresPerNeuron.toFixed(3)}>
              <svg width={gridW + tag} height={gridH + 2} role="img" aria-label={`S = ${num(sparsities[k], 3)}: ${Math.round(inst.monosemanticFraction * 100)}% of neurons monosemantic`}>
                {inst.neurons.map((nf, j) => (
                  <g key={j} data-neuron={j} data-mono={nf.monosemantic ? '1' : '0'}>
                    {Array.from({ length: n }, (_, i) => (
                      <rect key={i} x={i * cell} y={j * cell + 1} width={cell - (cell > 6 ? 1 : 0)} height={cell - (cell > 6 ? 1 : 0)} fill={divergingColor(W[j * n + i] / max)}>
                        <title>{`neuron ${j + 1} reads feature ${i + 1} with weight ${fixed(W[j * n + i], 3)}`}</title>
                      </rect>
                    ))}
                    <text x={gridW + 4} y={j * cell + 1 + cell / 2} dy="0.35em" className={`neuron-tag ${nf.dead ? 'neuron-dead' : nf.monosemantic ? 'neuron-mono' : 'neuron-poly'}`}>
                      {nf.dead ? 'dead' : nf.monosemantic ? 'mono' : `×${nf.reads.length}`}
                    </text>
                  </g>
                ))}
              </svg>
              <figcaption className="multiple-label">
                {K > 1 && <span>S = {num(sparsities[k], 3)}</span>}
                <span className="geometry-name">
                  {Math.round(inst.monosemanticFraction * 100)}% monosemantic · {inst.featuresComputed} of {n} features read
                </span>
              </figcaption>
            </figure>
          );
        })}
      </div>
    </Panel>
  );
}
