// cos between every SAE latent's decoder column (rows) and every true feature direction (columns),
// for the selected instance (signed: a latent can only add positive multiples of its column). Below
// each column: its best alive latent, whose mean is the MMCS.

import * as d3 from 'd3';
import { setSaeHover, useSae } from '../../../state/saeStore.ts';
import { ColorLegend } from '../../charts/ColorLegend.tsx';
import { divergingColor, HIGHLIGHT } from '../../colors.ts';
import { fixed, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { DEAD_COLOR, latentColor, useSaeView } from './saeView.ts';

const cosineColor = (v: number) => divergingColor(v);

export function CosinePanel() {
  const data = useSaeView();
  const hoverLatent = useSae((s) => s.hoverLatent);
  const hoverFeature = useSae((s) => s.hoverFeature);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(380);
  if (!data) return <Panel id="sae-cosines" title="Latent × feature cosine" waiting bodyRef={bodyRef} />;
  const { snap, base, k } = data;
  const { L, G } = snap;
  if (G === 0) {
    return (
      <Panel id="sae-cosines" title="Latent × feature cosine" waiting={<p className="panel-note" data-sae-no-truth>No ground-truth directions: load a truth file (k × d) beside your activations to see how each latent matches them and to score MMCS.</p>} />
    );
  }
  const label = (g: number) => (base.file ? `d${g + 1}` : `f${base.featureOf[g] + 1}`);
  const left = 74, top = 22, bottom = 40;
  const cell = Math.max(10, Math.min(44, Math.floor((Math.min(width, 460) - left - 8) / Math.max(G, 1)), Math.floor(360 / Math.max(L, 1))));
  const w = left + G * cell + 8;
  const h = top + L * cell + bottom;
  const cos = (l: number, g: number) => snap.cosines[(k * L + l) * G + g];
  const dead = (l: number) => !!snap.dead[k * L + l];
  const best = d3.range(G).map((g) => d3.max(d3.range(L).filter((l) => !dead(l)), (l) => cos(l, g)) ?? 0);
  const showText = cell >= 28;
  // narrow columns: label every few, so the labels do not overlap
  const labelEvery = Math.max(1, Math.ceil((base.file ? 22 : 16) / cell));
  return (
    <Panel
      id="sae-cosines"
      title="Latent × feature cosine"
      subtitle={`instance ${k + 1}: MMCS = mean of the bottom row = ${num(snap.mmcs[k], 3)}`}
      legend={<ColorLegend title="cos(decoder column, Ŵᵢ)" color={(v) => cosineColor(v)} domain={[-1, 0, 1]} ticks={[{ value: -1, label: '−1' }, { value: 0, label: '0' }, { value: 1, label: '1' }]} />}
      caption={base.file ? (
        <>
          Each row is one SAE latent, each column one of your ground-truth directions (d1, d2, …). A recovered dictionary
          has one dark red cell near 1.00 in every column; the bottom row is each direction's best cosine over the alive
          latents, and its mean is the <strong>MMCS</strong> (mean max cosine similarity, Sharkey et al.). Signed: a latent
          only adds positive multiples of its decoder column, so a column at −d cannot produce d. Dead latents are greyed out.
        </>
      ) : (
        <>
          Each row is one SAE latent, each column one of the toy model's features. A recovered dictionary is a{' '}
          <strong>permutation</strong>: one dark red 1.00 per column, in different rows. The bottom row is, for each feature, the
          best cosine of any alive latent; its mean is the <strong>MMCS</strong> (mean max cosine similarity, Sharkey et al.).
          Rows of dead latents are greyed out and do not count. The sign matters: a latent only ever adds a positive multiple of
          its decoder column, so a column at −Ŵᵢ (blue −1) cannot produce feature i. That is why antipodal features (the 3-D
          model's three pairs) need a latent each. In 2 dimensions five directions cannot be orthogonal, so the other cells are
          far from 0 (cos 72° ≈ 0.31, cos 144° ≈ −0.81).
        </>
      )}
    >
      <div ref={bodyRef} className="gram-body">
        <svg width={w} height={h} role="img" aria-label={`cosine heatmap: ${L} latents by ${G} features`} data-mmcs={snap.mmcs[k].toFixed(4)}>
          <g transform={`translate(${left},${top})`}>
            {d3.range(G).filter((g) => g % labelEvery === 0 || hoverFeature === g).map((g) => (
              <text key={`c${g}`} className={`axis-tick${hoverFeature === g ? ' sae-tick-on' : ''}`} x={(g + 0.5) * cell} y={-7} textAnchor="middle">{label(g)}</text>
            ))}
            {d3.range(L).map((l) => (
              <g key={`r${l}`} className="sae-cos-row" data-latent={l} onPointerMove={() => setSaeHover(l, null)} onPointerLeave={() => setSaeHover(null, null)}>
                <rect x={-left + 4} y={l * cell + cell / 2 - 5} width={10} height={10} rx={2} fill={dead(l) ? DEAD_COLOR : latentColor(l, L)} />
                <text className={`axis-tick${hoverLatent === l ? ' sae-tick-on' : ''}`} x={-left + 19} y={(l + 0.5) * cell} dy="0.35em">
                  z{l + 1}{dead(l) ? ' dead' : ''}
                </text>
                {d3.range(G).map((g) => {
                  const v = cos(l, g);
                  return (
                    <g key={g} onPointerMove={(e) => { e.stopPropagation(); setSaeHover(l, g); }}>
                      <rect x={g * cell} y={l * cell} width={cell - 1} height={cell - 1} fill={cosineColor(v)} opacity={dead(l) ? 0.25 : 1} />
                      {showText && (
                        <text className="sae-cell-text" x={(g + 0.5) * cell} y={(l + 0.5) * cell} dy="0.35em" textAnchor="middle" fill={Math.abs(v) > 0.6 ? '#fff' : '#1f2430'}>
                          {fixed(Math.abs(v) < 0.005 ? 0 : v, 2)}
                        </text>
                      )}
                    </g>
                  );
                })}
              </g>
            ))}
            {hoverLatent !== null && hoverLatent < L && <rect className="sae-cos-focus" x={0} y={hoverLatent * cell} width={G * cell - 1} height={cell - 1} stroke={HIGHLIGHT} />}
            {hoverFeature !== null && hoverFeature < G && <rect className="sae-cos-focus" x={hoverFeature * cell} y={0} width={cell - 1} height={L * cell - 1} stroke={HIGHLIGHT} />}
            <g transform={`translate(0,${L * cell + 6})`}>
              <text className="axis-tick" x={-6} y={cell / 2} dy="0.35em" textAnchor="end">best</text>
              {best.map((v, g) => (
                <g key={g}>
                  <rect x={g * cell} y={0} width={cell - 1} height={Math.min(cell, 24)} fill={cosineColor(v)} stroke="#9ca3af" strokeWidth={0.5} />
                  {cell >= 22 && (
                    <text className="sae-cell-text" x={(g + 0.5) * cell} y={Math.min(cell, 24) / 2} dy="0.35em" textAnchor="middle" fill={v > 0.6 ? '#fff' : '#1f2430'}>
                      {fixed(v, 2)}
                    </text>
                  )}
                </g>
              ))}
            </g>
          </g>
        </svg>
      </div>
    </Panel>
  );
}
