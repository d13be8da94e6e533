// The SAE view's settings and run controls: which toy model feeds the SAE, the SAE's L1
// coefficient, dictionary size, instances, resampling and steps; play/pause/reset and a readout.

import { useId } from 'react';
import { instanceL1 } from '../../../engine/sae/config.ts';
import { getSaeController } from '../../../state/saeController.ts';
import { BASE_PRESETS, useSae, type BaseChoice } from '../../../state/saeStore.ts';
import { FieldErrors } from '../../controls/FieldErrors.tsx';
import { count, num } from '../../format.ts';
import { Panel } from '../Panel.tsx';
import { SaeField } from './SaeField.tsx';
import { FileSource } from './FileSource.tsx';
import { kernelText } from './kernelText.ts';

export function SaeControlsPanel() {
  const fromFile = useSae((s) => s.base === 'file');
  return (
    <Panel
      id="sae-controls"
      className="panel-wide"
      title={fromFile ? 'Sparse autoencoder on your activations' : "Sparse autoencoder on the toy model's activations"}
      caption={
        <>
          The toy model squeezes n features into m dimensions; its hidden activations h = W x are what a sparse autoencoder
          sees. The SAE learns a dictionary of directions (its decoder columns) and a sparse code z = ReLU(W<sub>enc</sub>(h − b
          <sub>dec</sub>) + b<sub>enc</sub>) such that h ≈ W<sub>dec</sub> z + b<sub>dec</sub>. Its loss is the reconstruction
          error (mean over the m dimensions) plus <strong>λ Σ z</strong>. With enough latents and a sensible λ, each latent
          ends up pointing at one of the toy model's features: the SAE has recovered the monosemantic features from the
          superposed activations. To use a toy model of your own, set it up in the <strong>Live lab</strong> tab, then pick
          “The live lab's current model” here; to use activations of any model (dumped from PyTorch, say), pick “Activations
          from a file”.
        </>
      }
    >
      <div className="sae-controls">
        <BaseSection />
        <SettingsSection />
        <RunSection />
      </div>
    </Panel>
  );
}

function BaseSection() {
  const id = useId();
  const base = useSae((s) => s.base);
  const errors = useSae((s) => s.editErrors.base);
  const model = useSae((s) => s.baseModel);
  const status = useSae((s) => s.status);
  const training = status?.phase === 'base';
  return (
    <section className="sae-section" aria-label="Base model">
      <h3>Activations</h3>
      <div className="field">
        <label htmlFor={id}>activations from</label>
        <select id={id} value={base} data-sae-control="base" onChange={(e) => getSaeController().setBase(e.target.value as BaseChoice)}>
          {BASE_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>{p.label}</option>
          ))}
          <option value="lab">The live lab's current model</option>
          <option value="file">Activations from a file (.npy or JSON)</option>
        </select>
        {base === 'lab' && (
          <button type="button" className="link-button sae-refresh" onClick={() => getSaeController().setBase('lab')}>
            take the lab's model again
          </button>
        )}
        <FieldErrors id={`${id}-error`} errors={errors} />
      </div>
      {base === 'file' && <FileSource />}
      <p className="field-hint" data-sae-base={model?.geometry ?? ''}>
        {base === 'file'
          ? model?.file
            ? `d = ${model.m}${model.G ? `, ${model.G} ground-truth directions` : ', no ground truth'}${model.file.pca ? `; pictures use the top ${model.file.pca.k} principal components (${num(100 * model.file.pca.variances.reduce((a, b) => a + b, 0) / model.file.pca.total, 3)}% of the variance)` : ''}.`
            : ''
          : training
          ? `Training the toy model first: step ${count(status!.step)} of ${count(status!.totalSteps)}…`
          : model
            ? <>n = {model.n}, m = {model.m}: <strong>{model.geometry}</strong>, {model.G} of {model.n} features represented{Number.isFinite(model.loss) ? `, loss ${num(model.loss, 3)}` : ''}{model.seconds ? ` (trained in ${num(model.seconds, 2)} s)` : ''}.</>
            : 'Waiting for the SAE worker…'}
      </p>
    </section>
  );
}

function SettingsSection() {
  const sae = useSae((s) => s.sae);
  const spread = sae.l1Range !== null;
  const lambdas = instanceL1(sae);
  const id = useId();
  return (
    <section className="sae-section" aria-label="SAE settings">
      <h3>SAE</h3>
      <SaeField field="l1" label="L1 coefficient λ" slider={{ min: 0.001, max: 10, step: 0.05, scale: 'log' }} hint="Weight of Σ z in the loss: the price of every unit of activation." />
      <label className="checkbox" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={spread}
          data-sae-control="spread"
          onChange={(e) => getSaeController().edit('l1Range', e.target.checked ? `${num(sae.l1 / 10, 3)}:${num(sae.l1 * 10, 3)}` : null)}
        />
        spread λ over the instances (λ/10 … 10λ)
      </label>
      {spread && <p className="field-hint">λ per instance: {lambdas.map((l) => num(l, 2)).join(', ')}</p>}
      <SaeField field="dictSize" label="dictionary size" slider={{ min: 1, max: 24, step: 1 }} hint="Latents (decoder directions) per SAE." />
    </section>
  );
}

/** Which SAE kernel build runs, on how many threads, and why (the second core needs a cross-origin isolated page). */
function KernelReadout() {
  const kernel = useSae((s) => s.status?.kernel);
  const engine = useSae((s) => s.status?.engine ?? '');
  const k = kernelText(kernel, engine);
  return (
    <div className="sae-kernel" data-sae-kernel-threads={kernel?.threads ?? 0} data-sae-kernel-build={kernel?.build ?? ''}>
      <dt>kernel</dt>
      <dd title={k?.reason}>
        {k ? k.path : '—'}
        {k?.why && <span className="sae-kernel-why">{k.why}</span>}
      </dd>
    </div>
  );
}

function RunSection() {
  const id = useId();
  const resample = useSae((s) => s.sae.resample);
  const status = useSae((s) => s.status);
  const playing = status?.playing ?? false;
  const done = status?.done ?? false;
  const c = getSaeController();
  return (
    <section className="sae-section" aria-label="Training">
      <h3>Training</h3>
      <label className="checkbox" htmlFor={id}>
        <input id={id} type="checkbox" checked={resample} data-sae-control="resample" onChange={(e) => c.edit('resample', e.target.checked)} />
        resample dead latents (every 2 500 steps)
      </label>
      <SaeField field="saeInstances" label="instances" slider={{ min: 1, max: 16, step: 1 }} hint="SAEs trained side by side, each from its own initial weights." />
      <SaeField field="saeSteps" label="steps" hint="Adam steps, batch 1024 (ARENA: 10 000–20 000)." />
      <div className="button-row">
        <button type="button" className="primary" data-sae-action="play-pause" onClick={() => c.togglePlay()}>
          {playing ? '❚❚ Pause' : done ? '↻ Train again' : '▶ Play'}
        </button>
        <button type="button" data-sae-action="reset" onClick={() => c.reset()} title="Back to step 0 with the same settings and seed">
          Reset
        </button>
      </div>
      <dl className="readout sae-readout" data-sae-step={status?.step ?? 0} data-sae-phase={status?.phase ?? 'idle'}>
        <div>
          <dt>{status?.phase === 'base' ? 'toy model' : 'SAE step'}</dt>
          <dd>{status ? `${count(status.step)} / ${count(status.totalSteps)}` : '—'}</dd>
        </div>
        <div>
          <dt>steps/s</dt>
          <dd>{status?.playing ? count(status.stepsPerSecond) : '—'}</dd>
        </div>
        <div>
          <dt>engine</dt>
          <dd>{status?.engine || status?.baseEngine || '—'}</dd>
        </div>
        <KernelReadout />
      </dl>
      <InstanceReadout />
    </section>
  );
}

/** The selected instance's reconstruction, L0 and dead share; for file data also the share of variance left unexplained. */
function InstanceReadout() {
  const snap = useSae((s) => s.snapshot);
  const base = useSae((s) => s.baseModel);
  const selected = useSae((s) => s.selected);
  if (!snap) return null;
  const k = Math.min(selected, snap.K - 1);
  // the loss's reconstruction term is a mean over d: × d is the squared error per row, against the rows' total variance
  const fvu = base?.file && base.runId === snap.runId && base.file.variance > 0 ? (snap.reconstruction[k] * snap.dIn) / base.file.variance : null;
  return (
    <dl className="readout sae-readout" data-sae-instance-readout={k}>
      <div>
        <dt>reconstruction #{k + 1}</dt>
        <dd>{num(snap.reconstruction[k], 3)}{fvu !== null ? ` (${num(100 * fvu, 2)}% of variance)` : ''}</dd>
      </div>
      <div>
        <dt>L0</dt>
        <dd>{num(snap.l0[k], 3)}</dd>
      </div>
      <div>
        <dt>dead</dt>
        <dd>{num(100 * snap.deadFraction[k], 2)}%</dd>
      </div>
    </dl>
  );
}
