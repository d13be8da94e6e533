// The "Monitor & ablate" tab's settings and run status: the base, the target, the toy model and SAE
// settings (every value through validateMonitorConfig via the controller), and what the run is doing.

import { useId } from 'react';
import { MONITOR_BASES, MONITOR_FIELDS, type MonitorConfig } from '../../../engine/monitor/config.ts';
import { MONOSEMANTIC_SHARE } from '../../../engine/monitor/toy.ts';
import { getMonitorController } from '../../../state/monitorController.ts';
import { useMonitor } from '../../../state/monitorStore.ts';
import { FieldErrors } from '../../controls/FieldErrors.tsx';
import { NumberField } from '../../controls/NumberField.tsx';
import { count, num, shortNumber } from '../../format.ts';
import { Panel } from '../Panel.tsx';
import { useMonitorController } from './shared.ts';

type NumericKey = 'n' | 'm' | 'sparsity' | 'importanceDecay' | 'saeLatents' | 'l1' | 'seed';

const FIELDS: { key: NumericKey; label: string; slider?: { min: number; max: number; step: number; scale?: 'log' } }[] = [
  { key: 'n', label: 'features n' },
  { key: 'm', label: 'neurons m' },
  { key: 'sparsity', label: 'sparsity S', slider: { min: 0.5, max: 0.99, step: 0.01 } },
  { key: 'importanceDecay', label: 'importance decay r', slider: { min: 0.5, max: 1, step: 0.01 } },
  { key: 'saeLatents', label: 'SAE latents', slider: { min: 5, max: 40, step: 1 } },
  { key: 'l1', label: 'SAE λ (L1)', slider: { min: 0.003, max: 0.3, step: 0.05, scale: 'log' } },
  { key: 'seed', label: 'seed' },
];

const BASE_LABELS = { toy: 'privileged-basis toy model', induction: 'induction-heads transformer', lab: 'the live lab\'s current model' } as const;

const help = (key: keyof MonitorConfig) => MONITOR_FIELDS.find((f) => f.key === key)?.help ?? '';

function Field({ field, label, slider }: (typeof FIELDS)[number] & { field: NumericKey }) {
  const value = useMonitor((s) => s.config[field]);
  const errors = useMonitor((s) => s.editErrors[field]);
  return <NumberField label={label} value={value} errors={errors} slider={slider} edit={(raw) => getMonitorController().edit(field, raw)} format={shortNumber} hint={help(field)} attributes={{ 'data-mon-field': field }} />;
}

function BaseChoice() {
  const id = useId();
  const value = useMonitor((s) => s.config.base);
  const errors = useMonitor((s) => s.editErrors.base);
  return (
    <div className="field">
      <div className="field-head">
        <label htmlFor={id}>base model</label>
        <select id={id} value={value} data-mon-field="base" onChange={(e) => getMonitorController().edit('base', e.target.value)}>
          {MONITOR_BASES.map((b) => <option key={b} value={b}>{BASE_LABELS[b]}</option>)}
        </select>
      </div>
      <p className="field-hint">{help('base')}</p>
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function TargetChoice() {
  const id = useId();
  const target = useMonitor((s) => s.target);
  const result = useMonitor((s) => s.result);
  const n = useMonitor((s) => (s.config.base === 'lab' ? s.result?.toy?.n ?? s.config.n : s.config.n));
  const features = result?.features.map((f) => f.target) ?? Array.from({ length: n }, (_, i) => i);
  return (
    <div className="field">
      <div className="field-head">
        <label htmlFor={id}>target feature</label>
        <select id={id} value={target} data-mon-field="target" onChange={(e) => getMonitorController().setTarget(Number(e.target.value))}>
          {features.map((i) => {
            const f = result?.features.find((x) => x.target === i);
            return <option key={i} value={i}>{`feature ${i}${f && !f.represented ? ' (not represented)' : ''}`}</option>;
          })}
        </select>
      </div>
      <p className="field-hint">the feature the ROC, ablation, steering and live panels show (every feature is analysed)</p>
    </div>
  );
}

export function MonitorControlsPanel() {
  useMonitorController();
  const config = useMonitor((s) => s.config);
  const toy = config.base === 'toy';
  const features = config.base !== 'induction';
  return (
    <Panel
      id="monitor-controls"
      className="panel-wide"
      title="Monitor & ablate: is a feature something we can watch and remove?"
      summary={null}
      caption={
        <>
          If we can find the features behind a behaviour we can <strong>detect</strong> when they fire, <strong>monitor</strong> them as a
          safety signal and <strong>ablate</strong> them to remove the behaviour. This tab measures how well that works on the privileged-basis
          toy model, h = ReLU(Wx), x′ = ReLU(Wᵀh + b), where superposition makes every neuron polysemantic: it compares the best single neuron,
          an SAE latent (an SAE trained on h with the lab's SAE engine, matched to the target by its decoder direction) and a linear probe
          (trained with the labels: the supervised ceiling). On the induction model it asks whether the induction head's attention tells
          whether a sequence repeats.
        </>
      }
    >
      <div className="ind-controls">
        <section className="sae-section" aria-label="Base and target">
          <h3>Base and target</h3>
          <BaseChoice />
          {features && <TargetChoice />}
          {config.base === 'lab' && <p className="field-hint" data-mon-lab-note>The live lab's model as it is now (its selected instance; relu-output, linear or relu-hidden-tied), with its own n, m, sparsity and importance. “Run again” reads it anew.</p>}
          <Field field="seed" key="seed" label="seed" />
        </section>
        {toy && (
          <section className="sae-section" aria-label="Toy model">
            <h3>Toy model</h3>
            {FIELDS.slice(0, 4).map((f) => <Field key={f.key} field={f.key} label={f.label} slider={f.slider} />)}
          </section>
        )}
        {features && (
          <section className="sae-section" aria-label="SAE">
            <h3>SAE</h3>
            {FIELDS.slice(4, 6).map((f) => <Field key={f.key} field={f.key} label={f.label} slider={f.slider} />)}
          </section>
        )}
        <RunSection />
      </div>
    </Panel>
  );
}

const PHASES = { base: 'training the base', sae: 'training the SAE', analyse: 'measuring detectors and ablations', done: 'done' } as const;

function RunSection() {
  const status = useMonitor((s) => s.status);
  const result = useMonitor((s) => s.result);
  const c = getMonitorController();
  const t = result?.toy;
  return (
    <section className="sae-section" aria-label="Run">
      <h3>Run</h3>
      <div className="button-row">
        <button type="button" className="primary" data-mon-action="reset" onClick={() => c.reset()} title="Train the base and the SAE again with the same settings and seed">↻ Run again</button>
      </div>
      <dl className="readout ind-readout" data-mon-phase={status?.phase ?? 'starting'}>
        <div className="ind-formed"><dt>now</dt><dd>{status ? `${PHASES[status.phase]}${status.phase === 'done' ? '' : ` ${count(status.phaseDone)} / ${count(status.phaseTotal)}`}` : 'starting the worker…'}</dd></div>
        {result && <div><dt>took</dt><dd>{num(result.seconds, 3)} s</dd></div>}
        {t && <div><dt>base loss</dt><dd>{num(t.loss, 3)}</dd></div>}
        {t && <div className="ind-formed"><dt>neurons: max|w| / Σ|w|</dt><dd data-mon-mono>{t.monosemanticity.map((x) => num(x, 2)).join(' · ')} ({t.topShare.every((s) => s < MONOSEMANTIC_SHARE) ? 'none monosemantic' : `${t.topShare.filter((s) => s >= MONOSEMANTIC_SHARE).length} monosemantic`}: top w² share ≤ {num(Math.max(...t.topShare), 2)})</dd></div>}
        {t && <div className="ind-formed"><dt>SAE</dt><dd>{t.sae.L} latents, {t.sae.dead} dead, {t.sae.resampled} resampled, L0 {num(t.sae.l0, 2)}, MMCS {num(t.sae.mmcs, 3)}</dd></div>}
      </dl>
    </section>
  );
}
