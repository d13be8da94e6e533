// View 1: the sparsity sweep (science.md §5.2), linear beside ReLU output.

import { SweepCountsPanel } from '../panels/views/SweepCountsPanel.tsx';
import { SweepGridPanel } from '../panels/views/SweepGridPanel.tsx';
import { ViewToolbar } from './ViewToolbar.tsx';
import { useRun, useViewSession } from './viewSession.ts';
import './views.css';

export function SweepView() {
  useViewSession('sweep');
  const relu = useRun('sweep', 'sweep-relu');
  const linear = useRun('sweep', 'sweep-linear');
  return (
    <>
      <ViewToolbar viewId="sweep">
        <p>
          Twenty features of decreasing importance (0.7ⁱ) squeezed into five dimensions, trained at seven sparsities from
          dense (S = 0) to very sparse (S = 0.999), once with a linear model and once with the ReLU-output model. The paper's
          finding: <strong>the linear model only ever keeps the five most important features</strong>, like PCA, while the ReLU
          model stores more and more features in superposition as they get sparser, paying for it with interference that the
          ReLU and negative biases filter out.
        </p>
        <p className="muted">Look for: the identity block in the linear row at every sparsity; in the ReLU row, bars turning yellow and off-diagonal blue as S grows.</p>
      </ViewToolbar>
      <SweepGridPanel relu={relu} linear={linear} />
      <SweepCountsPanel relu={relu} linear={linear} />
    </>
  );
}
