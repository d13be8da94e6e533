// The geometry of a run with feature sets, one small picture per sparsity, arrows coloured by
// the set each feature belongs to (correlated or anticorrelated pairs).

import { instanceSparsities } from '../../../engine/toy/config.ts';
import { featureGroup } from '../../../engine/toy/data.ts';
import { featureSetAngles } from '../../../engine/views/views.ts';
import type { RunState } from '../../../state/viewStore.ts';
import { SET_COLORS } from '../../colors.ts';
import { fixed, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { FeatureArrows, pictureRadius } from '../geometry/FeatureArrows.tsx';
import { columns2d } from '../geometry/projection.ts';
import { latestSnapshot } from '../../views/viewSession.ts';
import { Panel } from '../Panel.tsx';
import { RunWaiting } from './RunWaiting.tsx';
import { runProgressWords } from '../../a11y/viewSummaries.ts';

export function SetGeometryPanel({ run, id }: { run: RunState | undefined; id: string }) {
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(600);
  const latest = latestSnapshot(run);
  if (!run || !latest) return <Panel id={id} title={run?.spec.label ?? 'Feature sets'} summary={null} waiting={<RunWaiting run={run} />} bodyRef={bodyRef} />;
  const { snapshot: s, config } = latest;
  const { n, m, K } = s;
  const sparsities = instanceSparsities(config);
  const setKind = config.correlatedSets > 0 ? 'correlated' : 'anticorrelated';
  const colors = Array.from({ length: n }, (_, i) => {
    const g = featureGroup(config, i);
    return g.set >= 0 ? SET_COLORS[g.set % SET_COLORS.length] : '#9ca3af';
  });
  const analysis = featureSetAngles(config, s);
  const size = Math.max(110, Math.min(170, Math.floor((width - 16 * (K - 1)) / K) - 2)); // .multiples has a 16 px gap
  const importance = Array(n).fill(1);
  const target = setKind === 'correlated' ? 90 : 180;
  const mean = analysis.meanAngle[setKind];
  return (
    <Panel
      id={id}
      summary={`${runProgressWords(run)} ${analysis.instances.map((inst) => `S = ${num(inst.sparsity, 3)}: ${inst.geometry}.`).join(" ")} Mean angle within ${setKind} sets: ${Number.isFinite(mean) ? Math.round(mean) : "–"} degrees (expected near ${target}).`.trim()}
      className="panel-span-2"
      title={run.spec.label}
      subtitle={`n = ${n}, m = ${m}; ${config.setSize} features per set`}
      legend={
        <ul className="swatches">
          {Array.from({ length: config.correlatedSets + config.anticorrelatedSets }, (_, j) => (
            <li key={j}>
              <span className="swatch swatch-dot" style={{ background: SET_COLORS[j % SET_COLORS.length] }} />
              {setKind} set {j + 1}: features {Array.from({ length: config.setSize }, (_, t) => j * config.setSize + t + 1).join(', ')}
            </li>
          ))}
        </ul>
      }
      caption={
        setKind === 'correlated' ? (
          <>
            Features of one colour are always active together. Interference between them would show up every time they fire,
            so the model keeps each set's members <strong>orthogonal</strong> (a local basis) and puts the sets against each other,
            antipodally. <strong>Mean angle within sets: {fixed(mean, 1)}°</strong> (target {target}°).
          </>
        ) : (
          <>
            Features of one colour never fire together (at most one per set is active). Sharing a direction then costs nothing,
            so the model stores each set as an <strong>antipodal pair</strong>. At much sparser data any pairing is nearly free and
            the model keeps whichever it starts near, so this run uses denser data. <strong>Mean angle within sets: {fixed(mean, 1)}°</strong> (target {target}°).
          </>
        )
      }
    >
      <div ref={bodyRef} className="multiples set-multiples" data-set-kind={setKind} data-mean-angle={Number.isFinite(mean) ? mean.toFixed(2) : ''} style={{ gridTemplateColumns: `repeat(${K}, ${size}px)` }}>
        {Array.from({ length: K }, (_, k) => {
          const W = s.W.subarray(k * m * n, (k + 1) * m * n);
          const norms = s.metrics.featureNorms.subarray(k * n, (k + 1) * n);
          const inst = analysis.instances[k];
          return (
            <div key={k} className="multiple" style={{ width: size }}>
              <FeatureArrows
                points={columns2d(W, m, n)}
                importance={importance}
                instance={k}
                size={size}
                highlighted={null}
                radius={pictureRadius(norms)}
                colors={colors}
                hoverable={false}
                svgProps={{ role: 'img', 'aria-label': `S = ${num(sparsities[k], 4)}: ${inst.geometry}`, 'data-instance': String(k), 'data-mean-angle': fixed(inst.meanAngle[setKind], 1) }}
              />
              <div className="multiple-label">
                <span>S = {num(sparsities[k], 4)}</span>
                <span className="geometry-name">
                  {inst.pairs.filter((p) => p.kind === setKind).map((p) => `${p.i + 1}–${p.j + 1}: ${Number.isFinite(p.angle) ? `${fixed(p.angle, 0)}°` : '—'}`).join(', ')}
                </span>
              </div>
            </div>
          );
        })}
      </div>
    </Panel>
  );
}
