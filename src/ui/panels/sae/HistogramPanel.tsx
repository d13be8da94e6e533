// How each latent of the selected instance responds to fresh inputs: a histogram of its non-zero
// activations and how often it fires, one small chart per latent.

import * as d3 from 'd3';
import { setSaeHover, useSae } from '../../../state/saeStore.ts';
import { HIGHLIGHT } from '../../colors.ts';
import { count, fixed, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { HIST_BINS } from '../../../worker/saeProtocol.ts';
import { Panel } from '../Panel.tsx';
import { DEAD_COLOR, latentColor, useSaeView } from './saeView.ts';

const CELL_W = 132;
const CELL_H = 78;

export function HistogramPanel() {
  const data = useSaeView();
  const hoverLatent = useSae((s) => s.hoverLatent);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(380);
  if (!data) return <Panel id="sae-histogram" title="Latent activations" waiting bodyRef={bodyRef} />;
  const { snap, base, k } = data;
  const { L, G } = snap;
  const cols = Math.max(1, Math.floor((width + 10) / (CELL_W + 10)));
  const top = snap.histMax[k];
  const counts = (l: number) => snap.hist.subarray((k * L + l) * HIST_BINS, (k * L + l + 1) * HIST_BINS);
  const yMax = Math.max(1, d3.max(d3.range(L), (l) => d3.max(counts(l))) ?? 1);
  const x = d3.scaleLinear().domain([0, HIST_BINS]).range([4, CELL_W - 4]);
  const y = d3.scaleSqrt().domain([0, yMax]).range([CELL_H - 30, 0]);
  return (
    <Panel
      id="sae-histogram"
      title="Latent activations"
      subtitle={`instance ${k + 1}, on ${count(snap.evalSize)} fresh inputs; x from 0 to ${num(top, 2)}`}
      caption={
        <>
          Each chart is one latent: how often it fires (z &gt; 0) and, when it does, how strongly (bar heights on a square-root
          scale, shared by all charts). {base.file
            ? <>The inputs are {count(snap.evalSize)} rows drawn from your file; a latent that stands for a sparse feature fires on a small share of them.</>
            : <>A recovered latent fires on about the same share of inputs as its feature is active
          (here 1 − S = {num(100 * base.density, 2)}%) with activations spread like the feature's values.</>} A latent that fires on
          everything is not sparse; one that never fires is <strong>dead</strong>: L1 pushed its bias so low that no input
          gets it above zero.
        </>
      }
    >
      <div ref={bodyRef} className="sae-hist-grid" style={{ gridTemplateColumns: `repeat(${cols}, ${CELL_W}px)` }}>
        {d3.range(L).map((l) => {
          const dead = !!snap.dead[k * L + l];
          const rate = snap.fireRate[k * L + l];
          const g = snap.bestFeature[k * L + l];
          const cos = g >= 0 ? snap.cosines[(k * L + l) * G + g] : 0;
          const color = hoverLatent === l ? HIGHLIGHT : dead ? DEAD_COLOR : latentColor(l, L);
          const c = counts(l);
          return (
            <figure key={l} className="sae-hist" data-latent={l} onPointerMove={() => setSaeHover(l, null)} onPointerLeave={() => setSaeHover(null, null)}>
              <figcaption>
                <span className="swatch swatch-dot" style={{ background: color }} /> z{l + 1}
                {g >= 0 && !dead ? <> → {base.file ? 'd' : 'f'}{base.featureOf[g] + 1} <span className="muted">cos {fixed(cos, 2)}</span></> : null}
              </figcaption>
              <svg width={CELL_W} height={CELL_H - 14} role="img" aria-label={`latent ${l + 1}: fires on ${fixed(100 * rate, 1)}% of inputs${dead ? ', dead' : ''}`}>
                <line x1={2} x2={CELL_W - 2} y1={CELL_H - 30} y2={CELL_H - 30} stroke="#d1d5db" />
                {Array.from(c, (v, b) =>
                  v > 0 ? <rect key={b} x={x(b)} width={Math.max(1, x(b + 1) - x(b) - 1)} y={y(v)} height={CELL_H - 30 - y(v)} fill={color} /> : null,
                )}
                <text className="sae-hist-rate" x={4} y={CELL_H - 18}>
                  {dead ? 'dead' : rate === 0 ? 'silent here' : `fires on ${rate < 0.001 ? '<0.1' : fixed(100 * rate, 1)}%`}
                </text>
              </svg>
            </figure>
          );
        })}
      </div>
    </Panel>
  );
}
