// One tooltip for the whole page: exact values of the hovered feature, whichever panel it is in.

import { useLab } from '../state/labStore.ts';
import { fixed, num, sparsityLabel } from './format.ts';
import { instanceWeights, perFeature, useRunView } from './panels/useRunView.ts';

export function FeatureTooltip() {
  const hover = useLab((s) => s.hover);
  const view = useRunView();
  if (!hover || !view) return null;
  const { snapshot: s, importance, sparsities } = view;
  const { feature: i, instance: k } = hover;
  if (i >= s.n || k >= s.K) return null;
  const W = instanceWeights(s, k);
  const column = Array.from({ length: s.m }, (_, j) => W[j * s.n + i]);
  const norm = perFeature(s.metrics.featureNorms, k, s.n)[i];
  const sup = perFeature(s.metrics.superposition, k, s.n)[i];
  const D = perFeature(s.metrics.featureDimensionality, k, s.n)[i];
  const label = s.metrics.labels[k]?.[i] ?? '';
  const bias = s.b[k * s.n + i];
  const left = Math.min(hover.x + 14, window.innerWidth - 250);
  const top = hover.y + 14;
  return (
    <div className="tooltip" role="tooltip" style={{ left, top }} data-feature={i}>
      <div className="tooltip-title">
        Feature {i + 1}
        {s.K > 1 && <span className="tooltip-sub"> · instance {k + 1} ({sparsityLabel(sparsities[k])})</span>}
      </div>
      <table>
        <tbody>
          <tr><th>importance Iᵢ</th><td>{num(importance[i], 4)}</td></tr>
          <tr><th>‖Wᵢ‖</th><td>{fixed(norm, 4)}</td></tr>
          <tr><th>superposition</th><td>{fixed(sup, 4)}</td></tr>
          <tr><th>dimensionality Dᵢ</th><td>{fixed(D, 4)} <span className="muted">{label}</span></td></tr>
          <tr><th>bias bᵢ</th><td>{fixed(bias, 4)}</td></tr>
          {s.m <= 4 && (
            <tr><th>Wᵢ</th><td>({column.map((v) => fixed(v, 3)).join(', ')})</td></tr>
          )}
        </tbody>
      </table>
      {hover.detail && <div className="tooltip-detail">{hover.detail}</div>}
    </div>
  );
}
