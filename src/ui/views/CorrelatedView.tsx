// View 4: correlated and anticorrelated features (science.md §2.4, §5.4).

import { SetAnglesPanel } from '../panels/views/SetAnglesPanel.tsx';
import { SetGeometryPanel } from '../panels/views/SetGeometryPanel.tsx';
import { ViewToolbar } from './ViewToolbar.tsx';
import { useRun, useViewSession } from './viewSession.ts';
import './views.css';

export function CorrelatedView() {
  useViewSession('correlated');
  const correlated = useRun('correlated', 'correlated');
  const anticorrelated = useRun('correlated', 'anticorrelated');
  return (
    <>
      <ViewToolbar viewId="correlated">
        <p>
          Real features are not independent. Here four features in two dimensions come in pairs: in the first model the two
          features of a pair are always active together (<strong>correlated</strong>), in the second never together (<strong>anticorrelated</strong>).
          The paper's finding: superposition is organised by co-occurrence. Correlated features avoid sharing directions and
          sit at right angles; anticorrelated features share a direction, antipodally, because their interference never happens.
        </p>
        <p className="muted">Look for: same-coloured arrows at 90° in the first row of pictures and at 180° in the second.</p>
      </ViewToolbar>
      <SetGeometryPanel id="set-geometry-correlated" run={correlated} />
      <SetAnglesPanel correlated={correlated} anticorrelated={anticorrelated} />
      <SetGeometryPanel id="set-geometry-anticorrelated" run={anticorrelated} />
    </>
  );
}
