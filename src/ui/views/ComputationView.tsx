// View 5: computation in superposition and the privileged basis (science.md §1.3–1.4, §5.5–5.6, A6).

import { NeuronWeightsPanel } from '../panels/views/NeuronWeightsPanel.tsx';
import { PolysemanticityPanel } from '../panels/views/PolysemanticityPanel.tsx';
import { ViewToolbar } from './ViewToolbar.tsx';
import { useRun, useViewSession } from './viewSession.ts';
import './views.css';

export function ComputationView() {
  useViewSession('computation');
  const abs = useRun('computation', 'abs-sweep');
  const privileged = useRun('computation', 'privileged-basis');
  const mono = useRun('computation', 'monosemantic');
  return (
    <>
      <ViewToolbar viewId="computation">
        <p>
          So far the models only stored features. Here a model computes: y = |x| for signed, sparse inputs, through a hidden
          layer of ReLU neurons, h = ReLU(W₁x), y′ = ReLU(W₂h + b). Because of the ReLU the neurons are a <strong>privileged basis</strong>:
          each neuron's weights over the features mean something, so we can look at them. |x| = ReLU(x) + ReLU(−x) takes two
          neurons per feature. The paper's finding: with dense inputs neurons are <strong>monosemantic</strong> (one feature each, in
          +x/−x pairs, the rest dropped); as inputs get sparser the model computes more features than it has neuron pairs by
          sharing neurons between features, and neurons become <strong>polysemantic</strong>.
        </p>
        <p className="muted">Look for: one strong cell per row on the left of each sweep, rows with several cells on the right; the dense 5 × 5 model is a permutation of single cells.</p>
      </ViewToolbar>
      <NeuronWeightsPanel
        id="neurons-abs"
        className="panel-wide"
        run={abs}
        title="Computing |x| with 10 neurons for 20 features"
        caption={<>Rows are neurons, columns features (most important on the left); a row's tag says whether the neuron is monosemantic or how many features it reads. The paper's |x| experiment (importance 0.8ⁱ): dense data gives pairs of opposite-signed monosemantic neurons for the top features; sparse data gives neurons that each read several features.</>}
      />
      <NeuronWeightsPanel
        id="neurons-privileged"
        className="panel-wide"
        run={privileged}
        title="Privileged basis: 10 features, 5 neurons"
        caption={<>ARENA's privileged-basis sweep (importance 0.75ⁱ, density 0.75 → 0.01) with the |x| model: a neuron-level phase change, from monosemantic neurons to mixtures of mono- and polysemantic ones within one model.</>}
      />
      <PolysemanticityPanel runs={[abs, privileged]} />
      <NeuronWeightsPanel
        id="neurons-monosemantic"
        run={mono}
        title="Five features, five neurons, dense"
        caption={<>With dense inputs and as many neurons as features every neuron is monosemantic: each row has one strong cell (science.md A6).</>}
      />
    </>
  );
}
