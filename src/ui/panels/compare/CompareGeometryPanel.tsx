// A and B side by side: each side's feature directions drawn as the lab draws them (m = 2 exactly, otherwise the
// plane that holds most of W), with its geometry name; the caption carries the verdict.

import { useRef } from 'react';
import { useCompare } from '../../../state/compareStore.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { FeatureArrows, pictureRadius } from '../geometry/FeatureArrows.tsx';
import { columns2d, principalPlane, project, type PrincipalPlane } from '../geometry/projection.ts';
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
  if (!view?.a) return <Panel id="compare-geometry" title={TITLE} waiting={<p className="panel-waiting">{waitingText(view, training)}</p>} bodyRef={bodyRef} />;
  const size = Math.max(120, Math.min(300, Math.floor((width - 24) / 2)));
  const radius = Math.max(...[view.a, view.b].filter((s): s is ShownSide => !!s).map((s) => pictureRadius(featureNorms(s.W, s.run.m, s.run.n))));
  const picture = (s: ShownSide | null, side: 'a' | 'b') => {
    if (!s) return <div className="compare-side compare-side-empty" style={{ width: size, height: size }}><p className="panel-waiting">{waitingText(view, training)}</p></div>;
    const { m, n } = s.run;
    let points = columns2d(s.W, m, n);
    if (m > 2) {
      const plane = principalPlane(s.W, m, n, planes.current.get(side));
      planes.current.set(side, plane);
      points = project(s.W, m, n, plane);
    }
    const label = `${sideName(side)}: ${s.geometry}${s.run.done ? '' : ` (training, step ${s.run.step})`}`;
    return (
      <div className="compare-side" data-compare-side={side} style={{ width: size }}>
        <FeatureArrows points={points} importance={s.importance} instance={0} size={size} highlighted={null} radius={radius} hoverable={false} svgProps={{ role: 'img', 'aria-label': label, 'data-geometry': s.geometry }} />
        <div className="multiple-label">
          <strong style={{ color: SIDE_TEXT_COLORS[side] }}>{sideName(side)}</strong>
          <span className="geometry-name" data-compare-geometry={side}>{s.run.done ? s.geometry : `training… ${s.geometry}`}</span>
        </div>
      </div>
    );
  };
  const m = view.a.run.m;
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
          {m > 2 ? ` m = ${m}: each picture is a projection onto the plane that holds the most of W.` : ''}
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
