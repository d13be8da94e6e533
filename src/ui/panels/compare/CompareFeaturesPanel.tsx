// Per feature: ‖Wᵢ‖ and Dᵢ in A and in B with their change (a bar per delta), and the feature's role (the polytope
// of its orthogonal group, named from the represented features only) in each.

import * as d3 from 'd3';
import type { PolytopeLabel } from '../../../engine/toy/metrics.ts';
import { useCompare } from '../../../state/compareStore.ts';
import { fixed } from '../../format.ts';
import { Panel } from '../Panel.tsx';
import { useCompareController, useCompareView, waitingText } from './shared.ts';

const TITLE = 'Per feature: norm ‖Wᵢ‖, dimensions Dᵢ and role';
const BAR = 60;

const ROLE_WORDS: Partial<Record<PolytopeLabel, string>> = { digon: 'antipodal pair', 'not represented': 'dropped' };
export const roleWord = (r: PolytopeLabel) => ROLE_WORDS[r] ?? r;

/** A signed delta as a number and a small bar from the middle (red up, blue down). */
function Delta({ value, scale }: { value: number; scale: number }) {
  const x = d3.scaleLinear().domain([-scale, scale]).range([0, BAR]).clamp(true);
  const text = `${value > 0 ? '+' : value < 0 ? '−' : '±'}${fixed(Math.abs(value), 2)}`;
  return (
    <span className="compare-delta">
      <svg width={BAR} height={10} aria-hidden="true">
        <line x1={BAR / 2} x2={BAR / 2} y1={0} y2={10} stroke="#9ca3af" />
        <rect x={Math.min(x(0), x(value))} width={Math.abs(x(value) - x(0))} y={2} height={6} fill={value >= 0 ? '#b2182b' : '#2166ac'} />
      </svg>
      <span>{text}</span>
    </span>
  );
}

export function CompareFeaturesPanel() {
  useCompareController();
  const view = useCompareView();
  const training = useCompare((s) => s.training);
  const c = view?.live;
  if (!view || !c) return <Panel id="compare-features" title={TITLE} waiting={<p className="panel-waiting">{waitingText(view, training)}</p>} />;
  const changed = c.features.filter((f) => f.roleA !== f.roleB).length;
  const normScale = Math.max(0.1, ...c.features.map((f) => Math.abs(f.normB - f.normA)));
  const summary = `${changed} of ${c.features.length} features changed their role.`;
  return (
    <Panel
      id="compare-features"
      title={TITLE}
      className="panel-wide"
      summary={summary}
      caption={
        <>
          For each feature its norm ‖Wᵢ‖ (about 1 = represented, 0 = dropped) and its dimensionality Dᵢ (1 = a dimension of its own,
          1/2 = an antipodal pair, 2/5 = a pentagon), in A and in B, with B − A beside them; the role is the polytope its group forms.
          Rows whose role changed are marked. {summary}
        </>
      }
    >
      <div className="compare-table-wrap" tabIndex={0} role="region" aria-label="Per-feature deltas table">
        <table className="compare-table">
          <thead>
            <tr>
              <th scope="col">feature</th>
              <th scope="col">‖Wᵢ‖ A</th>
              <th scope="col">B</th>
              <th scope="col">Δ‖Wᵢ‖</th>
              <th scope="col">Dᵢ A</th>
              <th scope="col">B</th>
              <th scope="col">ΔDᵢ</th>
              <th scope="col">role in A → B</th>
            </tr>
          </thead>
          <tbody>
            {c.features.map((f) => (
              <tr key={f.feature} data-compare-feature={f.feature} className={f.roleA !== f.roleB ? 'compare-changed' : undefined}>
                <th scope="row">{f.feature + 1}</th>
                <td>{fixed(f.normA, 2)}</td>
                <td>{fixed(f.normB, 2)}</td>
                <td><Delta value={f.normB - f.normA} scale={normScale} /></td>
                <td>{fixed(f.dimA, 2)}</td>
                <td>{fixed(f.dimB, 2)}</td>
                <td><Delta value={f.dimB - f.dimA} scale={1} /></td>
                <td>{f.roleA === f.roleB ? roleWord(f.roleA) : <strong>{roleWord(f.roleA)} → {roleWord(f.roleB)}</strong>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
