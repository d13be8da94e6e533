// Weight geometry: where each feature points in the hidden space, one small multiple per
// instance. m = 2 draws W's columns exactly; m = 3 is a rotatable 3-D view; m = 1 and
// m > 3 are drawn in 2-D (on a line, or projected) with a note saying so.

import { useMemo, useRef, useState } from 'react';
import { REPRESENTED_NORM } from '../../engine/toy/metrics.ts';
import { selectInstance, useLab } from '../../state/labStore.ts';
import { resolvedTheme, useUi } from '../../state/uiStore.ts';
import { importanceColor } from '../colors.ts';
import { ColorLegend } from '../charts/ColorLegend.tsx';
import { fixed, sparsityLabel } from '../format.ts';
import { useElementWidth } from '../hooks/useElementWidth.ts';
import { FeatureArrows, pictureRadius } from './geometry/FeatureArrows.tsx';
import { FeatureArrows3D } from './geometry/FeatureArrows3D.tsx';
import { describeInstance } from './geometry/geometryWords.ts';
import { columns2d, DEFAULT_ROTATION, principalPlane, project, type PrincipalPlane, type Rotation } from './geometry/projection.ts';
import { Panel } from './Panel.tsx';
import { instanceWeights, perFeature, shownInstances, useHoveredFeature, useRunView } from './useRunView.ts';

const MAX_MULTIPLES = 12;

/**
 * All small multiples in one row if they can be at least 150 px; otherwise balanced rows. Never below MIN_SIZE: while
 * the layout settles the panel's body can measure a few pixels wide, and a picture that small has negative radii.
 */
function multiplesLayout(count: number, width: number, maxSingle = 340): { cols: number; size: number } {
  const { cols, size } = layoutFor(count, width, maxSingle);
  return { cols, size: Math.max(MIN_SIZE, size) };
}

const MIN_SIZE = 80;

function layoutFor(count: number, width: number, maxSingle: number): { cols: number; size: number } {
  const GAP = 16;
  if (count === 1) return { cols: 1, size: Math.min(width, maxSingle) };
  const oneRow = Math.floor((width - GAP * (count - 1)) / count);
  if (oneRow >= 150) return { cols: count, size: Math.min(260, oneRow) };
  const maxCols = Math.max(1, Math.floor((width + GAP) / (170 + GAP)));
  const rows = Math.ceil(count / maxCols);
  const cols = Math.ceil(count / rows);
  return { cols, size: Math.min(260, Math.floor((width - GAP * (cols - 1)) / cols)) };
}

export function GeometryPanel() {
  const view = useRunView();
  const highlighted = useHoveredFeature();
  const selected = useLab((s) => s.selectedInstance);
  const [rotation, setRotation] = useState<Rotation>(DEFAULT_ROTATION);
  const planes = useRef(new Map<number, PrincipalPlane>());
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(640);
  // a single picture grows to fill an embed's frame, or for a projector
  const stronger = useUi((s) => (resolvedTheme(s) === 'dark' ? 'brighter' : 'darker')); // the importance scale's direction
  // in an embed the picture leaves room for the controls, the legend and the caption (≈ 400 px) so the panel fits its frame
  const maxSingle = useUi((s) => (s.embed ? Math.max(220, Math.min(640, window.innerHeight - 400)) : s.presentation ? 440 : 340));

  const instances = useMemo(() => (view ? shownInstances(view.snapshot.K, MAX_MULTIPLES) : []), [view]);
  if (!view) return <Panel id="geometry" title="Feature directions (columns of W)" waiting bodyRef={bodyRef} />;
  const { snapshot: s, importance, sparsities } = view;
  const { m, n, K } = s;
  const { cols, size } = multiplesLayout(instances.length, width, maxSingle);
  const sel = Math.min(selected, K - 1);
  const selNorms = perFeature(s.metrics.featureNorms, sel, n);
  const represented = Array.from(selNorms).filter((v) => v >= REPRESENTED_NORM).length;

  const mode = m === 2 ? 'exact' : m === 3 ? '3d' : m === 1 ? 'line' : 'projection';
  let explainedMin = 1;

  const multiples = instances.map((k) => {
    const W = instanceWeights(s, k);
    const norms = perFeature(s.metrics.featureNorms, k, n);
    const radius = pictureRadius(norms);
    const geometry = s.metrics.geometry[k] ?? '';
    const label = `${K > 1 ? `Instance ${k + 1}, ` : ''}${sparsityLabel(sparsities[k])}: ${geometry}`;
    let picture;
    if (mode === '3d') {
      picture = (
        <FeatureArrows3D W={W} n={n} importance={importance} instance={k} size={size} highlighted={highlighted} radius={radius} rotation={rotation} onRotate={setRotation} label={label} geometry={geometry} />
      );
    } else {
      let points = columns2d(W, m, n);
      if (mode === 'projection') {
        const plane = principalPlane(W, m, n, planes.current.get(k));
        planes.current.set(k, plane);
        explainedMin = Math.min(explainedMin, plane.explained);
        points = project(W, m, n, plane);
      }
      const gaps = s.metrics.angleGaps?.[k];
      picture = (
        <FeatureArrows
          points={points}
          importance={importance}
          instance={k}
          size={size}
          highlighted={highlighted}
          radius={radius}
          svgProps={{
            role: 'img',
            'aria-label': label,
            'data-instance': String(k),
            'data-geometry': geometry,
            'data-sparsity': String(sparsities[k]),
            ...(gaps ? { 'data-angle-gaps': JSON.stringify(gaps.map((g) => Math.round(g * 10) / 10)) } : {}),
          }}
        />
      );
    }
    return (
      <div
        key={k}
        className={`multiple ${K > 1 && k === sel ? 'multiple-selected' : ''}`}
        style={{ width: size }}
        onClick={() => selectInstance(k)}
      >
        {picture}
        <div className="multiple-label">
          {K > 1 ? (
            <button type="button" className="link-button" onClick={() => selectInstance(k)} aria-pressed={k === sel}>
              {sparsityLabel(sparsities[k])}
            </button>
          ) : (
            <span>{sparsityLabel(sparsities[k])}</span>
          )}
          <span className="geometry-name" data-geometry-name={k}>{geometry}</span>
        </div>
      </div>
    );
  });

  const note =
    mode === 'projection'
      ? `m = ${m}: each picture is a projection onto the plane that holds the most of W (at least ${Math.round(explainedMin * 100)}% of ‖W‖²). Lengths and angles are distorted; trust the other panels for exact values.`
      : mode === 'line'
        ? 'm = 1: there is only one hidden dimension, so every feature points left or right along one line.'
        : mode === '3d'
          ? 'Drag a picture (or focus it and use the arrow keys) to rotate the view.'
          : null;

  return (
    <Panel
      id="geometry"
      className={K > 1 ? 'panel-wide' : undefined}
      title="Feature directions (columns of W)"
      subtitle={K > 1 ? `${K} instances${K > MAX_MULTIPLES ? `, ${instances.length} shown` : ''} · click one to inspect it in the other panels` : undefined}
      legend={
        <ColorLegend
          title="importance Iᵢ (feature 1 is the most important)"
          color={(v) => importanceColor(v)}
          domain={[0, 1]}
          ticks={[{ value: 0, label: '0' }, { value: 0.5, label: '0.5' }, { value: 1, label: '1' }]}
          width={200}
        />
      }
      caption={
        <>
          Each arrow is the direction Wᵢ the model gives feature i in its {m}-dimensional hidden space; {stronger} arrows are more
          important features, and the dashed circle has length 1. <strong>{describeInstance(s.metrics.geometry[sel] ?? '', represented, n, m)}</strong>{' '}
          With dense data only the {m} most important features get a direction; as data gets sparser, more features squeeze in at
          angles that keep their interference small: that is superposition.
          {m === 2 && s.metrics.angleGaps?.[sel]?.length ? ` Angles between neighbours: ${s.metrics.angleGaps[sel].map((g) => `${fixed(g, 0)}°`).join(', ')}.` : ''}
        </>
      }
    >
      <div ref={bodyRef} className="multiples" style={{ gridTemplateColumns: `repeat(${cols}, ${size}px)` }}>
        {multiples}
      </div>
      {note && <p className="panel-note">{note}</p>}
    </Panel>
  );
}
