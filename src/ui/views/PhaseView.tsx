// View 3: phase diagrams (science.md §4.6–4.7, A4) for n = 2, m = 1 and n = 3, m = 2.

import { PhaseGridPanel } from '../panels/views/PhaseGridPanel.tsx';
import { ViewToolbar } from './ViewToolbar.tsx';
import { useRun, useViewSession } from './viewSession.ts';
import './views.css';

export function PhaseView() {
  useViewSession('phase');
  const n2 = useRun('phase', 'phase-n2m1');
  const n3 = useRun('phase', 'phase-n3m2');
  return (
    <>
      <ViewToolbar viewId="phase">
        <p>
          When does a model give an extra feature its own dimension, drop it, or store it in superposition? Each diagram is a
          grid of 20 × 20 models, trained together as instances, over the extra feature's importance relative to the others
          (left to right) and how often features are active (top to bottom). The paper's finding: the three solutions meet in
          sharp <strong>phase changes</strong>, and superposition takes over as features get sparse; for two features in one dimension
          the boundaries follow from the expected loss of each solution in closed form.
        </p>
        <p className="muted">
          Each grid is a preset of the Grid tab: 150 steps at learning rate 10⁻¹ and batch 512 (the colab: 10 000 steps at
          10⁻³, batch 1 024, which lands in the same phases but takes a hundred times longer), three times with different seeds,
          each cell keeping the training with the lowest expected loss.
        </p>
      </ViewToolbar>
      <PhaseGridPanel id="phase-n2m1" run={n2} />
      <PhaseGridPanel id="phase-n3m2" run={n3} />
    </>
  );
}
