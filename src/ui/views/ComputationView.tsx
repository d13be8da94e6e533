// View 5: the privileged basis (science.md §1.3, §5.5, A6; the tied ReLU-hidden storage model) and
// computation in superposition (§1.4, §5.6; the untied |x| model).

import { NeuronBarsPanel } from '../panels/views/NeuronBarsPanel.tsx';
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
          A ReLU on the hidden layer makes its neurons a <strong>privileged basis</strong>: each neuron's weights over the features
          mean something, so we can look at them one neuron at a time. Two models here. The <strong>privileged-basis model</strong>
          (the paper's “ReLU hidden layer” model) stores x like the lab's models but through a ReLU hidden layer with tied weights, h = ReLU(Wx),
          x′ = ReLU(Wᵀh + b). The <strong>|x| model</strong> (the paper's “computation in superposition” task) computes y = |x| for signed inputs with untied weights,
          h = ReLU(W₁x), y′ = ReLU(W₂h + b); |x| = ReLU(x) + ReLU(−x) takes two neurons per feature.
        </p>
        <p>
          The paper's finding, in both: with dense inputs neurons are <strong>monosemantic</strong> (one feature each, the most
          important ones, the rest dropped); as inputs get sparser the model represents more features than it has neurons by
          sharing neurons between features, and neurons become <strong>polysemantic</strong>, with mixtures of mono- and
          polysemantic neurons in between: a phase change at the level of single neurons.
        </p>
        <p className="muted">Look for: shaded single-colour bars on the left of the privileged-basis sweep, multicoloured bars on the right; one strong cell per row in the dense 5 × 5 model.</p>
      </ViewToolbar>
      <NeuronBarsPanel
        id="neurons-privileged"
        className="panel-wide"
        run={privileged}
        title="Privileged basis: 10 features, 5 neurons, tied weights"
        caption={<>The paper's privileged-basis experiment (with ARENA's config: n = 10, m = 5, importance 0.75ⁱ, density 0.75 → 0.01; ARENA trains 10 000 steps at batch 1 024, this view 4 000 at batch 128 with learning rate 3·10⁻³, the same picture for a twentieth of the work). Each bar is one neuron, stacked from its weight on every feature (positive up, negative down; each model on its own scale); shaded bars are monosemantic and come first. The paper found that with dense inputs every neuron is monosemantic, dedicated to one of the five most important features; as the data gets sparser more features are stored than there are neurons and neurons become polysemantic, and in between one model can mix mono- and polysemantic neurons, like a phase change per neuron.</>}
      />
      <NeuronWeightsPanel
        id="neurons-monosemantic"
        run={mono}
        title="Five features, five neurons, dense"
        caption={<>The same tied model with as many neurons as features and dense data: every neuron is monosemantic, each row has one strong cell on its own feature, so W is a permutation (ARENA's first check of a privileged basis).</>}
      />
      <PolysemanticityPanel runs={[abs, privileged]} />
      <NeuronWeightsPanel
        id="neurons-abs"
        className="panel-wide"
        run={abs}
        title="Computing |x| with 10 neurons for 20 features"
        caption={<>Rows are neurons, columns features (most important on the left); a row's tag says whether the neuron is monosemantic or how many features it reads. The paper's |x| experiment (importance 0.8ⁱ): dense data gives pairs of opposite-signed monosemantic neurons for the top features; sparse data gives neurons that each read several features.</>}
      />
    </>
  );
}
