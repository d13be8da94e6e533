// Angles between features, correlated and anticorrelated runs together: every pair within a set
// (filled dots) and across sets (hollow), against sparsity, with the 90° and 180° lines.

import * as d3 from 'd3';
import { featureSetAngles, type FeatureSetResult, type PairKind } from '../../../engine/views/views.ts';
import type { RunState } from '../../../state/viewStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { fixed, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { latestSnapshot } from '../../views/viewSession.ts';
import { Panel } from '../Panel.tsx';

const HEIGHT = 250;
const KIND_COLOR: Record<PairKind, string> = { correlated: '#4477aa', anticorrelated: '#ee6677', 'across sets': '#9ca3af' };

function analyse(run: RunState | undefined): FeatureSetResult | null {
  const latest = latestSnapshot(run);
  return latest ? featureSetAngles(latest.config, latest.snapshot) : null;
}

export function SetAnglesPanel({ correlated, anticorrelated }: { correlated: RunState | undefined; anticorrelated: RunState | undefined }) {
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(480);
  const runs = [
    { run: correlated, result: analyse(correlated), kind: 'correlated' as const },
    { run: anticorrelated, result: analyse(anticorrelated), kind: 'anticorrelated' as const },
  ].filter((r) => r.result);
  if (!runs.length) return <Panel id="set-angles" title="Angles between features" summary={null} waiting bodyRef={bodyRef} />;
  const margin = { top: 12, right: 12, bottom: 46, left: 44 };
  const innerW = Math.max(160, width - margin.left - margin.right);
  const innerH = HEIGHT - margin.top - margin.bottom;
  const groups = runs.map((r) => r.kind);
  const outer = d3.scaleBand<string>().domain(groups).range([0, innerW]).paddingInner(0.12);
  const y = d3.scaleLinear().domain([0, 190]).range([innerH, 0]);
  const corr = runs.find((r) => r.kind === 'correlated')?.result?.meanAngle.correlated ?? NaN;
  const anti = runs.find((r) => r.kind === 'anticorrelated')?.result?.meanAngle.anticorrelated ?? NaN;
  return (
    <Panel
      id="set-angles"
      summary={`Mean angle within correlated pairs ${Number.isFinite(corr) ? Math.round(corr) + " degrees" : "not known yet"}; within anticorrelated pairs ${Number.isFinite(anti) ? Math.round(anti) + " degrees" : "not known yet"}.`}
      className="panel-row-span-2"
      title="Angles between features"
      legend={
        <ul className="swatches">
          <li><span className="swatch swatch-dot" style={{ background: KIND_COLOR.correlated }} />pair within a correlated set</li>
          <li><span className="swatch swatch-dot" style={{ background: KIND_COLOR.anticorrelated }} />pair within an anticorrelated set</li>
          <li><span className="swatch swatch-dot swatch-hollow" />pair across sets</li>
        </ul>
      }
      caption={
        <>
          Each dot is the angle between two features of one trained model; models go from denser (left) to sparser (right) within
          each group. The paper: correlated features are placed at <strong>90°</strong>, anticorrelated ones at <strong>180°</strong>.{' '}
          <strong>
            Here: correlated {Number.isFinite(corr) ? `${fixed(corr, 1)}°` : '—'}, anticorrelated {Number.isFinite(anti) ? `${fixed(anti, 1)}°` : '—'} (means over pairs and models).
          </strong>
        </>
      }
    >
      <div ref={bodyRef} data-correlated-angle={Number.isFinite(corr) ? corr.toFixed(2) : ''} data-anticorrelated-angle={Number.isFinite(anti) ? anti.toFixed(2) : ''}>
        <svg width={width} height={HEIGHT} role="img" aria-label={`Angles: correlated ${fixed(corr, 0)}°, anticorrelated ${fixed(anti, 0)}°`}>
          <g transform={`translate(${margin.left},${margin.top})`}>
            {[90, 180].map((a) => (
              <g key={a}>
                <line x1={0} x2={innerW} y1={y(a)} y2={y(a)} className="reference-line" />
              </g>
            ))}
            {runs.map(({ kind, result }) => {
              const K = result!.instances.length;
              const inner = d3.scalePoint<number>().domain(d3.range(K)).range([outer(kind)! + 10, outer(kind)! + outer.bandwidth() - 10]);
              return (
                <g key={kind} data-group={kind}>
                  {result!.instances.map((inst, k) =>
                    inst.pairs.filter((p) => Number.isFinite(p.angle)).map((p, j) => {
                      const within = p.kind !== 'across sets';
                      return (
                        <circle
                          key={`${k}-${j}`}
                          cx={inner(k)! + (within ? 0 : 6)}
                          cy={y(p.angle)}
                          r={within ? 4 : 3}
                          fill={within ? KIND_COLOR[p.kind] : 'var(--card, #fff)'}
                          stroke={KIND_COLOR[p.kind]}
                          opacity={within ? 0.9 : 0.8}
                        >
                          <title>{`features ${p.i + 1} and ${p.j + 1} (${p.kind}), S = ${num(inst.sparsity, 4)}: ${fixed(p.angle, 1)}°`}</title>
                        </circle>
                      );
                    }),
                  )}
                  <text x={outer(kind)! + outer.bandwidth() / 2} y={innerH + 16} textAnchor="middle" className="axis-label">
                    {kind} sets
                  </text>
                  <text x={outer(kind)! + outer.bandwidth() / 2} y={innerH + 31} textAnchor="middle" className="axis-tick">
                    S {num(result!.instances[0].sparsity, 3)} → {num(result!.instances[K - 1].sparsity, 4)}
                  </text>
                </g>
              );
            })}
            <line x1={0} x2={innerW} y1={innerH} y2={innerH} stroke="#9ca3af" />
            <Axis scale={y} orient="left" tickValues={[0, 45, 90, 135, 180]} format={(d: number) => `${d}°`} label="angle" labelOffset={34} />
          </g>
        </svg>
      </div>
    </Panel>
  );
}
