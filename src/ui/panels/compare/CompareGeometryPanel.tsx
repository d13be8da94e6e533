// A and B side by side: each side's feature directions drawn as the lab draws them (m = 2 exactly, m = 3 in 3-D, turned
// together; otherwise the plane that holds most of W), with its geometry name; the caption carries the verdict.

import { useRef, useState } from 'react';
import { useCompare } from '../../../state/compareStore.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { FeatureArrows, pictureRadius } from '../geometry/FeatureArrows.tsx';
import { FeatureArrows3D } from '../geometry/FeatureArrows3D.tsx';
import { columns2d, DEFAULT_ROTATION, principalPlane, project, type PrincipalPlane, type Rotation } from '../geometry/projection.ts';
import { featureNorms } from '../../../engine/toy/metrics.ts';
import { Panel } from '../Panel.tsx';
import { sideName, SIDE_TEXT_COLORS, useCompareController, useCompareView, waitingText, type ShownSide } from './shared.ts';

const TITLE = 'A and B: feature directions';

export function CompareGeometryPanel() {
  useCompareController();
  const view = useCompareView();
  const training = useCompare((s) => s.training);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(560);
  const planes = useRef(new Map<string, PrincipalPlane>());
  // m = 3: both pictures turn together, so the same view of A and B is compared
  const [rotation, setRotation] = useState<Rotation>(DEFAULT_ROTATION);
  if (!view?.a) return <Panel id="compare-geometry" title={TITLE} waiting={<p className="panel-waiting">{waitingText(view, training)}</p>} bodyRef={bodyRef} />;
  const size = Math.max(120, Math.min(300, Math.floor((width - 24) / 2)));
  const radius = Math.max(...[view.a, view.b].filter((s): s is ShownSide => !!s).map((s) => pictureRadius(featureNorms(s.W, s.run.m, s.run.n))));
  const picture = (s: ShownSide | null, side: 'a' | 'b') => {
    if (!s) return <div className="compare-side compare-side-empty" style={{ width: size, height: size }}><p className="panel-waiting">{waitingText(view, training)}</p></div>;
    const { m, n } = s.run;
    const label = `${sideName(side)}: ${s.geometry}${s.run.done ? '' : ` (training, step ${s.run.step})`}`;
    const name = (
      <div className="multiple-label">
        <strong style={{ color: SIDE_TEXT_COLORS[side] }}>{sideName(side)}</strong>
        <span className="geometry-name" data-compare-geometry={side}>{s.run.done ? s.geometry : `training… ${s.geometry}`}</span>
      </div>
    );
    if (m === 3) {
      return (
        <div className="compare-side" data-compare-side={side} style={{ width: size }}>
          <FeatureArrows3D W={s.W} n={n} importance={s.importance} instance={0} size={size} highlighted={null} radius={radius} rotation={rotation} onRotate={setRotation} label={label} geometry={s.geometry} hoverable={false} />
          {name}
        </div>
      );
    }
    let points = columns2d(s.W, m, n);
    if (m > 3) {
      const plane = principalPlane(s.W, m, n, planes.current.get(side));
      planes.current.set(side, plane);
      points = project(s.W, m, n, plane);
    }
    return (
      <div className="compare-side" data-compare-side={side} style={{ width: size }}>
        <FeatureArrows points={points} importance={s.importance} instance={0} size={size} highlighted={null} radius={radius} hoverable={false} svgProps={{ role: 'img', 'aria-label': label, 'data-geometry': s.geometry }} />
        {name}
      </div>
    );
  };
  const ms = [view.a, view.b].filter((x): x is ShownSide => !!x).map((x) => x.run.m);
  const verdict = view.final?.verdict ?? null;
  return (
    <Panel
      id="compare-geometry"
      title={TITLE}
      className="panel-wide"
      summary={verdict ? `A is ${view.final!.geometryA}, B is ${view.final!.geometryB}: ${verdict}.` : null}
      caption={
        <>
          Each arrow is a feature&apos;s direction Wᵢ in the hidden space, A on the left, B on the right, on the same scale (darker = more
          important; the dashed circle has length 1). {verdict ? <strong data-compare-verdict-caption>What changed: {verdict}.</strong> : 'The verdict appears when both runs have finished.'}
          {ms.includes(3) ? ` m = 3: drag the 3-D ${ms.every((m) => m === 3) ? 'pictures (they turn together)' : 'picture'}, or focus it and use the arrow keys.` : ''}
          {ms.some((m) => m > 3) ? ' m > 3: the picture is a projection onto the plane that holds the most of W.' : ''}
        </>
      }
    >
      <div ref={bodyRef} className="compare-sides">
        {picture(view.a, 'a')}
        {picture(view.b, 'b')}
      </div>
    </Panel>
  );
}
