// View 2: dimensionality (science.md §4.3–4.5, §5.3, A5).

import { useMemo } from 'react';
import { dimensionalityAnalysis } from '../../engine/views/views.ts';
import { useThrottled } from '../hooks/useThrottled.ts';
import { DimScatterPanel } from '../panels/views/DimScatterPanel.tsx';
import { DimsCurvePanel } from '../panels/views/DimsCurvePanel.tsx';
import { ViewToolbar } from './ViewToolbar.tsx';
import { latestSnapshot, useRun, useViewSession } from './viewSession.ts';
import './views.css';

/** The scatter holds a couple of thousand dots: while training, redraw it at most this often. */
const REDRAW_MS = 400;

export function DimensionalityView() {
  useViewSession('dimensionality');
  const run = useRun('dimensionality', 'dimensionality');
  const latest = latestSnapshot(run);
  const training = run?.passes[0].status === 'training';
  const shown = useThrottled(latest, REDRAW_MS, !training);
  const result = useMemo(() => (shown ? dimensionalityAnalysis(shown.config, shown.snapshot) : null), [shown]);
  return (
    <>
      <ViewToolbar viewId="dimensionality">
        <p>
          Fifty equally important features squeezed into five dimensions, trained at sixteen sparsities from dense to
          S = 0.95. How many dimensions does each represented feature get? The paper's finding: the answer is <strong>quantised</strong>.
          The dimensions per feature stick at 1/2 (every dimension holds an antipodal pair) over a range of sparsities, and each
          feature's own share Dᵢ sits on fractions that belong to uniform polytopes (digons, triangles, pentagons, tetrahedra,
          square antiprisms), which combine as orthogonal pieces.
        </p>
        <p className="muted">Look for: the flat stretch of the curve at 1/2; dots lined up on the dashed fractions, not spread between them. The scatter redraws a few times a second while training.</p>
      </ViewToolbar>
      <DimsCurvePanel result={result} m={run?.passes[0].config.m ?? 5} />
      <DimScatterPanel result={result} snapshot={shown?.snapshot ?? null} />
    </>
  );
}
