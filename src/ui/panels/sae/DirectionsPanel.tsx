// True feature directions (the toy model's Ŵᵢ, grey bands) and the SAE's decoder columns (coloured
// arrows) in the hidden space, for the selected instance large and every instance small.
// m = 2 exactly; m = 3 as a rotatable orthographic view. React draws; d3 supplies scales.

import * as d3 from 'd3';
import { useRef, useState } from 'react';
import { selectSaeInstance, setSaeHover, useSae } from '../../../state/saeStore.ts';
import { HIGHLIGHT } from '../../colors.ts';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { DEFAULT_ROTATION, rotate3d, type Rotation } from '../geometry/projection.ts';
import { Panel } from '../Panel.tsx';
import { DEAD_COLOR, decoderColumn, latentColor, TRUTH_COLOR, useSaeView, type SaeViewData } from './saeView.ts';
import { project } from '../../../engine/sae/pca.ts';

const RADIUS = 1.3;

interface PictureProps {
  data: SaeViewData;
  k: number;
  size: number;
  small?: boolean;
  rotation: Rotation;
  onRotate?: (r: Rotation) => void;
}

function Picture({ data, k, size, small, rotation, onRotate }: PictureProps) {
  const { base, snap } = data;
  const hoverLatent = useSae((s) => s.hoverLatent);
  const hoverFeature = useSae((s) => s.hoverFeature);
  const drag = useRef<{ x: number; y: number; r: Rotation } | null>(null);
  const { dIn: d, L, G } = snap;
  const pad = small ? 6 : 16;
  const scale = d3.scaleLinear().domain([-RADIUS, RADIUS]).range([pad, size - pad]);
  const c = scale(0);
  // d > 3 (file data): every direction is drawn by its coordinates on the data's top 3 principal components
  const pca = base.file?.pca ?? null;
  const threeD = d === 3 || (!!pca && pca.k === 3);
  const proj = (u: number[]) => {
    const v = pca ? project({ ...pca, d }, u) : u;
    const [x, y, z] = threeD ? rotate3d([v[0], v[1], v[2]], rotation) : [v[0], v[1], 0];
    return { x: scale(x), y: size - scale(y), z };
  };
  const depth = (z: number) => (threeD ? 0.45 + 0.55 * Math.min(1, Math.max(0, (z + 1) / 2)) : 1);
  const focusLatent = small ? null : hoverLatent;
  const focusFeature = small ? null : hoverFeature;
  const truths = d3.range(G).map((g) => ({ g, ...proj(Array.from(base.trueDirections.subarray(g * d, (g + 1) * d))) }));
  const latents = d3.range(L).map((l) => ({ l, dead: !!snap.dead[k * L + l], match: snap.bestFeature[k * L + l], ...proj(decoderColumn(snap, k, l)) }));
  const items = [...truths.map((t) => ({ kind: 'truth' as const, z: t.z, t })), ...latents.map((a) => ({ kind: 'latent' as const, z: a.z + 1e-3, a }))].sort((p, q) => p.z - q.z);

  const drag3d = threeD && onRotate
    ? {
        onPointerDown: (e: React.PointerEvent<SVGSVGElement>) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          drag.current = { x: e.clientX, y: e.clientY, r: rotation };
        },
        onPointerMove: (e: React.PointerEvent<SVGSVGElement>) => {
          const dr = drag.current;
          if (!dr) return;
          onRotate({ yaw: dr.r.yaw + (e.clientX - dr.x) * 0.01, pitch: Math.max(-1.5, Math.min(1.5, dr.r.pitch + (e.clientY - dr.y) * 0.01)) });
        },
        onPointerUp: () => (drag.current = null),
        onPointerCancel: () => (drag.current = null),
      }
    : {};

  return (
    <svg
      width={size}
      height={size}
      className={`feature-arrows sae-directions${threeD ? ' feature-arrows-3d' : ''}`}
      role="img"
      aria-label={`Instance ${k + 1}: ${G} true feature directions (grey) and ${L} SAE decoder directions (coloured)${threeD ? ', 3-D; drag to rotate' : ''}`}
      data-instance={k}
      {...drag3d}
    >
      <circle cx={c} cy={c} r={Math.max(0, scale(1) - c)} className="unit-circle" />
      {!threeD && !small && (
        <>
          <line x1={pad} x2={size - pad} y1={c} y2={c} className="guide" />
          <line y1={pad} y2={size - pad} x1={c} x2={c} className="guide" />
        </>
      )}
      {items.map((it) => {
        if (it.kind === 'truth') {
          const { g, x, y, z } = it.t;
          const on = focusFeature === g || (focusLatent !== null && latents[focusLatent]?.match === g);
          const lx = c + (x - c) * 1.17, ly = c + (y - c) * 1.17;
          return (
            <g key={`t${g}`} className="sae-truth" data-feature={g} opacity={depth(z)}
              onPointerMove={small ? undefined : () => setSaeHover(null, g)} onPointerLeave={small ? undefined : () => setSaeHover(null, null)}>
              <line x1={c} y1={c} x2={x} y2={y} stroke={on ? '#f3b19e' : TRUTH_COLOR} strokeWidth={small ? 5 : 11} strokeLinecap="round" />
              {!small && <text className="sae-truth-label" x={lx} y={ly} dy="0.35em" textAnchor="middle">{pca || base.file ? `d${g + 1}` : base.featureOf[g] + 1}</text>}
            </g>
          );
        }
        const { l, dead, x, y, z } = it.a;
        const color = dead ? DEAD_COLOR : latentColor(l, L);
        const on = focusLatent === l;
        const faded = focusLatent !== null && !on;
        const len = Math.hypot(x - c, y - c);
        const ux = len > 1e-6 ? (x - c) / len : 0, uy = len > 1e-6 ? (y - c) / len : 0;
        const head = small ? 0 : Math.min(8, len * 0.4);
        const bx = x - ux * head, by = y - uy * head;
        return (
          <g key={`l${l}`} className="sae-latent" data-latent={l} data-dead={dead ? 1 : 0} opacity={(faded ? 0.35 : 1) * depth(z)}
            onPointerMove={small ? undefined : () => setSaeHover(l, null)} onPointerLeave={small ? undefined : () => setSaeHover(null, null)}>
            <line x1={c} y1={c} x2={bx} y2={by} stroke={on ? HIGHLIGHT : color} strokeWidth={small ? 1.6 : on ? 3.5 : 2.2} strokeDasharray={dead ? '4 3' : undefined} strokeLinecap="round" />
            {head > 0.5 && <path d={`M${x},${y}L${bx - uy * head * 0.5},${by + ux * head * 0.5}L${bx + uy * head * 0.5},${by - ux * head * 0.5}Z`} fill={on ? HIGHLIGHT : color} />}
            {!small && <line x1={c} y1={c} x2={x} y2={y} className="hit-area" />}
          </g>
        );
      })}
    </svg>
  );
}

export function DirectionsPanel() {
  const data = useSaeView();
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(380);
  const [rotation, setRotation] = useState<Rotation>(DEFAULT_ROTATION);
  if (!data) return <Panel id="sae-directions" title="Feature directions and SAE dictionary" waiting bodyRef={bodyRef} />;
  const { snap, k, base } = data;
  const pca = base.file?.pca ?? null;
  const drawable = snap.dIn === 2 || snap.dIn === 3 || (!!pca && pca.k === 3);
  const explained = pca ? pca.variances.reduce((a, b) => a + b, 0) / pca.total : 1;
  const big = Math.max(180, Math.min(340, width));
  const smallSize = 86;
  const alive = snap.L - Array.from(snap.dead.subarray(k * snap.L, (k + 1) * snap.L)).reduce((a, b) => a + b, 0);
  return (
    <Panel
      id="sae-directions"
      title="Feature directions and SAE dictionary"
      subtitle={`instance ${k + 1}: λ = ${num(snap.l1[k], 3)}, MMCS ${num(snap.mmcs[k], 3)}, ${alive} of ${snap.L} latents alive${pca ? `; on PC1–PC3 of d = ${snap.dIn}` : ''}`}
      legend={
        <ul className="swatches">
          {snap.G > 0 && <li><span className="swatch sae-swatch-truth" />{base.file ? 'ground-truth directions (numbered)' : 'true feature directions Ŵᵢ (numbered)'}</li>}
          <li><span className="swatch" style={{ background: latentColor(0, Math.max(2, snap.L)) }} />SAE decoder columns (one colour per latent)</li>
          <li><span className="swatch sae-swatch-dead" />dead latent</li>
        </ul>
      }
      caption={base.file ? (
        <>
          {pca ? (
            <>
              Your activations have d = {snap.dIn} dimensions, so every direction is drawn by its coordinates on the data's top
              three <strong>principal components</strong> (PC1–PC3 hold {num(100 * explained, 3)}% of the variance; drag to rotate).
              A unit vector that lies outside those three components is drawn shorter than the circle.{' '}
            </>
          ) : null}
          Coloured arrows are the SAE's decoder columns, one per latent; dashed grey ones are <strong>dead latents</strong>.
          {snap.G > 0
            ? ' Grey bands are your ground-truth directions (d1, d2, …): recovery means an arrow on every band.'
            : ' Load ground-truth directions to see them as grey bands and score the match (MMCS).'}{' '}
          Click a small picture to inspect that instance.
        </>
      ) : (
        <>
          <strong>What recovery looks like:</strong> every grey band (a direction the toy model gave one of its features)
          gets a coloured arrow lying on it, and no arrow points anywhere else. The toy model's features overlap in only {base.m}{' '}
          dimensions, so no single hidden neuron is "about" one feature, yet the SAE can still name them because at most one
          or two are active at a time. Dashed grey arrows are <strong>dead latents</strong>: they never fire, so they recover
          nothing. Click a small picture to inspect that instance.{snap.dIn === 3 ? ' Drag the large picture to rotate it.' : ''}
        </>
      )}
    >
      <div ref={bodyRef} className="sae-directions-body">
        {drawable ? (
          <>
            <Picture data={data} k={k} size={big} rotation={rotation} onRotate={setRotation} />
            {snap.K > 1 && (
              <div className="sae-multiples" role="group" aria-label="All instances">
                {Array.from({ length: snap.K }, (_, i) => (
                  <button
                    key={i}
                    type="button"
                    className={`sae-multiple${i === k ? ' sae-multiple-selected' : ''}`}
                    onClick={() => selectSaeInstance(i)}
                    aria-pressed={i === k}
                    title={`Instance ${i + 1}: λ = ${num(snap.l1[i], 3)}, MMCS ${num(snap.mmcs[i], 3)}`}
                  >
                    <Picture data={data} k={i} size={smallSize} small rotation={rotation} />
                    <span className="sae-multiple-label">#{i + 1} · MMCS {num(snap.mmcs[i], 2)}</span>
                  </button>
                ))}
              </div>
            )}
          </>
        ) : (
          <p className="panel-note">The toy model has m = {snap.dIn} hidden dimensions: the picture needs m = 2 or 3. The heatmap shows the same match.</p>
        )}
      </div>
    </Panel>
  );
}
