// The "Locate & edit" tab's model and fact: the model the worker holds (the shipped one, or one trained here with a
// seed, with progress), the fact picker, its prompt in words, its true object and P(o); and the plain words on what
// a tiny model can and cannot show (transformers.md §2.5).

import { useState } from 'react';
import { buildPrompt, objectToken, RELATION_NAMES } from '../../../engine/rome/facts.ts';
import { objectName, promptWords, subjectName } from '../../../engine/rome/locate.ts';
import { getLocateController } from '../../../state/locateController.ts';
import { currentFact, useLocate } from '../../../state/locateStore.ts';
import { ProgressBar } from '../../charts/ProgressBar.tsx';
import { NumberField } from '../../controls/NumberField.tsx';
import { count } from '../../format.ts';
import { Panel } from '../Panel.tsx';
import { FactPicker, pct, useLocateController } from './shared.tsx';

export function LocateControlsPanel() {
  useLocateController();
  return (
    <Panel
      id="locate-controls"
      className="panel-wide"
      title="Locate & edit a fact: causal tracing and ROME on a tiny GPT"
      summary={null}
      caption={
        <>
          A 4-layer GPT (d_model 32, MLPs) has memorised 384 made-up facts: 96 two-token subjects (“A3 B7”) × 4 relations, each with one
          of 8 objects (“o0.5” is object 5 of relation 0). <strong>Causal tracing</strong> (Meng et al. 2022) corrupts the subject’s
          embeddings with noise and restores one clean state at a time: cells that bring the answer back carry the fact.{' '}
          <strong>ROME</strong> then rewrites it with a rank-one change of one MLP’s output weights. What a model this small can show: the
          whole procedure, whether a subject-position MLP site exists in <em>this</em> model, that the closed-form edit hits its target exactly
          and carries over to the paraphrase, and its trade-offs against neighbours and token-sharing subjects. What it cannot: with 4
          layers the localisation is coarse (it may sit at layer 0 or 1) and depends on the seed; memorised random facts have no
          meaning, so there are no semantic neighbours, no fluency or generation metrics; and the trace’s peak is not proof of where to
          edit (Hase et al. 2023) — check it with “Edit at every layer” below.
        </>
      }
    >
      <div className="loc-controls">
        <ModelSection />
        <FactSection />
      </div>
    </Panel>
  );
}

function ModelSection() {
  const model = useLocate((s) => s.model);
  const status = useLocate((s) => s.status);
  const seed = useLocate((s) => s.trainSeed);
  const c = getLocateController();
  const [seedErrors, setSeedErrors] = useState<string[]>([]);
  const training = status?.stage === 'training' ? status.progress : null;
  return (
    <section className="sae-section" aria-label="Model">
      <h3>Model</h3>
      {model ? (
        <dl className="readout loc-readout" data-loc-model={model.source}>
          <div><dt>model</dt><dd>{model.source === 'shipped' ? 'shipped (seed 1)' : `trained here (seed ${model.seed})`}</dd></div>
          <div><dt>top-1 accuracy</dt><dd data-loc-accuracy={model.accuracy.all}>{pct(model.accuracy.all)} of 3 072 prompts</dd></div>
          <div><dt>shape</dt><dd>{model.layers} layers, d_model {model.dModel}, d_mlp {model.dMlp}, {model.heads} heads</dd></div>
          <div><dt>trained</dt><dd>{count(model.steps)} steps, {model.trainSeconds.toFixed(1)} s ({model.engine})</dd></div>
        </dl>
      ) : (
        <p className="panel-waiting" data-loc-loading>{status?.stage === 'training' ? 'Training the facts model…' : 'Loading the trained facts model…'}</p>
      )}
      {training && (
        <ProgressBar
          value={training.step}
          max={training.steps}
          label="training"
          detail={`step ${count(training.step)} (stops at ≥ 99.9% accuracy, at most ${count(training.steps)}), loss ${Number.isFinite(training.loss) ? training.loss.toFixed(3) : '—'}, accuracy ${training.accuracy === null ? '—' : pct(training.accuracy)}`}
        />
      )}
      <div className="loc-train">
        <NumberField label="seed" value={seed} errors={seedErrors} edit={(raw) => setSeedErrors(c.setTrainSeed(raw))} hint="seed of the facts and of the new model's weights and batches" attributes={{ 'data-loc-field': 'trainSeed' }} />
        <div className="button-row">
          <button type="button" data-loc-action="train" onClick={() => c.train()} disabled={status?.stage === 'training' || seedErrors.length > 0} title="Train a new facts model in the worker (about a minute), then use it">Train a new model</button>
          {(model?.source === 'trained' || status?.stage === 'training') && <button type="button" data-loc-action="shipped" onClick={() => c.useShipped()}>Use the shipped model</button>}
        </div>
      </div>
    </section>
  );
}

function FactSection() {
  const set = useLocate((s) => s.set);
  const fact = useLocate((s) => currentFact(s));
  const trace = useLocate((s) => s.trace);
  const p = trace && fact && trace.factId === fact.id ? trace.p : null;
  const words = set && fact ? promptWords(buildPrompt(set, fact.subject, fact.relation, 0).tokens) : null;
  const para = set && fact ? promptWords(buildPrompt(set, fact.subject, fact.relation, 1).tokens) : null;
  return (
    <section className="sae-section" aria-label="Fact">
      <h3>Fact</h3>
      <FactPicker />
      {set && fact && words && para ? (
        <div className="loc-fact" data-loc-fact={fact.id}>
          <p>
            <span className="loc-prompt">{words.map((w, i) => <span key={i} className={i < 2 ? 'loc-word loc-subject' : 'loc-word'}>{w}</span>)}</span>
            <span className="loc-arrow">→</span>
            <span className="loc-word loc-object">{objectName(fact.relation, fact.object)}</span>
            <span className="loc-p" data-loc-p={p ?? ''}>P(o) = {p === null ? '…' : pct(p)}</span>
          </p>
          <p className="field-hint">
            Subject {subjectName(set, fact.subject)} (starred in the maps), relation “{RELATION_NAMES[fact.relation]}”, true object{' '}
            {objectName(fact.relation, fact.object)} (token {objectToken(fact.relation, fact.object)}). Paraphrase: “{para.join(' ')}”.
          </p>
        </div>
      ) : (
        <p className="panel-waiting">The facts appear when the model is ready.</p>
      )}
    </section>
  );
}
