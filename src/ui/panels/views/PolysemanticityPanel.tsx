// Polysemanticity against sparsity for the ReLU-hidden runs: the share of monosemantic neurons
// (solid) and how many features a neuron reads on average (dashed, right axis).

import * as d3 from 'd3';
import { neuronAnalysis, type NeuronResult } from '../../../engine/views/views.ts';
import type { RunState } from '../../../state/viewStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { fixed, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { latestSnapshot } from '../../views/viewSession.ts';
import { Panel } from '../Panel.tsx';

const HEIGHT = 250;
const COLORS = ['#cc3311', '#0077bb', '#009988'];

export function PolysemanticityPanel({ runs }: { runs: (RunState | undefined)[] }) {
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(480);
  const series = runs
    .map((run, i) => {
      const latest = latestSnapshot(run);
      return latest && run && latest.config.instances > 1 ? { run, result: neuronAnalysis(latest.config, latest.snapshot) as NeuronResult, color: COLORS[i % COLORS.length] } : null;
    })
    .filter((x): x is { run: RunState; result: NeuronResult; color: string } => x !== null);
  if (!series.length) return <Panel id="polysemanticity" title="Neurons become polysemantic" summary={null} waiting bodyRef={bodyRef} />;
  const margin = { top: 12, right: 44, bottom: 42, left: 48 };
  const innerW = Math.max(140, width - margin.left - margin.right);
  const innerH = HEIGHT - margin.top - margin.bottom;
  const allX = series.flatMap((s) => s.result.instances.map((i) => 1 / (1 - i.sparsity)));
  const x = d3.scaleLog().domain([d3.min(allX)!, d3.max(allX)!]).range([0, innerW]).nice();
  const y = d3.scaleLinear().domain([0, 1]).range([innerH, 0]);
  const maxReads = Math.max(2, d3.max(series.flatMap((s) => s.result.instances.map((i) => i.featuresPerNeuron)))!);
  const y2 = d3.scaleLinear().domain([0, Math.ceil(maxReads)]).range([innerH, 0]);
  const first = series[0].result.instances;
  return (
    <Panel
      id="polysemanticity"
      summary={series.map((s) => `${s.run.spec.label}: ${Math.round(s.result.instances[0].monosemanticFraction * 100)}% of neurons monosemantic at the densest, ${Math.round(s.result.instances[s.result.instances.length - 1].monosemanticFraction * 100)}% at the sparsest, reading ${fixed(s.result.instances[s.result.instances.length - 1].featuresPerNeuron, 1)} features each on average.`).join(' ')}
      title="Neurons become polysemantic"
      legend={
        <ul className="swatches">
          {series.map((s) => (
            <li key={s.run.spec.id}><span className="swatch" style={{ background: s.color }} />{s.run.spec.label}</li>
          ))}
          <li><span className="swatch swatch-bar" />share monosemantic (left)</li>
          <li><span className="swatch swatch-dashed" />features per neuron (right)</li>
        </ul>
      }
      caption={
        <>
          A neuron is monosemantic when one feature carries at least 90% of its squared input weight. Dense data: each neuron
          serves one feature (for |x|, a +x and a −x neuron per important feature). As data gets sparser the same neurons are
          shared by more features: <strong>{Math.round(first[0].monosemanticFraction * 100)}% monosemantic at S = {num(first[0].sparsity, 2)},
          {' '}{Math.round(first[first.length - 1].monosemanticFraction * 100)}% at S = {num(first[first.length - 1].sparsity, 3)}</strong>, where a neuron reads {fixed(first[first.length - 1].featuresPerNeuron, 1)} features on average.
        </>
      }
    >
      <div ref={bodyRef}>
        <svg width={width} height={HEIGHT} role="img" aria-label="Share of monosemantic neurons against sparsity">
          <g transform={`translate(${margin.left},${margin.top})`}>
            {series.map((s) => {
              const xs = s.result.instances.map((i) => x(1 / (1 - i.sparsity)));
              const mono = d3.line<number>().x((_, k) => xs[k]).y((v) => y(v))(s.result.instances.map((i) => i.monosemanticFraction));
              const reads = d3.line<number>().x((_, k) => xs[k]).y((v) => y2(v))(s.result.instances.map((i) => i.featuresPerNeuron));
              return (
                <g key={s.run.spec.id} data-series={s.run.spec.id}>
                  <path d={mono ?? ''} fill="none" stroke={s.color} strokeWidth={2.2} />
                  <path d={reads ?? ''} fill="none" stroke={s.color} strokeWidth={1.6} strokeDasharray="5 4" />
                  {s.result.instances.map((i, k) => (
                    <circle key={k} cx={xs[k]} cy={y(i.monosemanticFraction)} r={3} fill={s.color} />
                  ))}
                </g>
              );
            })}
            <Axis scale={x} orient="bottom" y={innerH} tickValues={[1, 2, 5, 10, 20, 50, 100, 200].filter((t) => t >= x.domain()[0] && t <= x.domain()[1])} format={(d: number) => String(d)} label="1 / (1 − S)  (log scale)" />
            <Axis scale={y} orient="left" tickValues={[0, 0.25, 0.5, 0.75, 1]} format={(d: number) => `${Math.round(d * 100)}%`} label="monosemantic neurons" labelOffset={38} />
            <Axis scale={y2} orient="right" x={innerW} ticks={4} label="features per neuron" labelOffset={34} />
          </g>
        </svg>
      </div>
    </Panel>
  );
}
