// The "Induction heads" tab's settings and run controls: the worked examples, the model and data
// settings (every value through validateInductionConfig via the controller), play/pause/reset, a
// readout, and the exports (the run's JSON record and a PyTorch script of the config).

import { useId } from 'react';
import { INDUCTION_FIELDS, REPEAT_MODES, TRANSFORMER_ENGINES, type InductionConfig } from '../../../engine/transformer/config.ts';
import { getInductionController } from '../../../state/inductionController.ts';
import { exampleOf, INDUCTION_EXAMPLES, useInduction } from '../../../state/inductionStore.ts';
import { inductionRecordFileName, inductionRecordJson, inductionScript, inductionScriptFileName } from '../../../state/export/inductionExport.ts';
import { showMessage } from '../../../state/uiStore.ts';
import { FieldErrors } from '../../controls/FieldErrors.tsx';
import { NumberField } from '../../controls/NumberField.tsx';
import { downloadText } from '../../export/download.ts';
import { count, num, shortNumber } from '../../format.ts';
import { Panel } from '../Panel.tsx';
import { useInductionController } from './shared.ts';

type NumericKey = 'layers' | 'heads' | 'dModel' | 'vocab' | 'ctx' | 'lr' | 'batch' | 'steps' | 'seed';

const FIELDS: { key: NumericKey; label: string; slider?: { min: number; max: number; step: number; scale?: 'log' } }[] = [
  { key: 'layers', label: 'layers', slider: { min: 1, max: 3, step: 1 } },
  { key: 'heads', label: 'heads per layer', slider: { min: 1, max: 4, step: 1 } },
  { key: 'dModel', label: 'd_model' },
  { key: 'vocab', label: 'vocabulary' },
  { key: 'ctx', label: 'context T' },
  { key: 'lr', label: 'learning rate', slider: { min: 1e-4, max: 0.1, step: 0.05, scale: 'log' } },
  { key: 'batch', label: 'batch' },
  { key: 'steps', label: 'steps' },
  { key: 'seed', label: 'seed' },
];

function Field({ field, label, slider }: { field: NumericKey; label: string; slider?: (typeof FIELDS)[number]['slider'] }) {
  const value = useInduction((s) => s.config[field]);
  const errors = useInduction((s) => s.editErrors[field]);
  return (
    <NumberField
      label={label}
      value={value}
      errors={errors}
      slider={slider}
      edit={(raw) => getInductionController().edit(field, raw)}
      format={shortNumber}
      hint={INDUCTION_FIELDS.find((f) => f.key === field)?.help ?? ''}
      attributes={{ 'data-ind-field': field }}
    />
  );
}

function Choice<K extends 'repeat' | 'engine'>({ field, label, values }: { field: K; label: string; values: readonly InductionConfig[K][] }) {
  const id = useId();
  const value = useInduction((s) => s.config[field]);
  const errors = useInduction((s) => s.editErrors[field]);
  return (
    <div className="field">
      <div className="field-head">
        <label htmlFor={id}>{label}</label>
        <select id={id} value={value} data-ind-field={field} onChange={(e) => getInductionController().edit(field, e.target.value)}>
          {values.map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
      </div>
      <p className="field-hint">{INDUCTION_FIELDS.find((f) => f.key === field)?.help}</p>
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function InductionControlsPanel() {
  useInductionController();
  const config = useInduction((s) => s.config);
  const current = exampleOf(config);
  const c = getInductionController();
  return (
    <Panel
      id="induction-controls"
      className="panel-wide"
      title="Induction heads: a tiny transformer learns to copy"
      summary={null}
      caption={
        <>
          A {config.layers}-layer attention-only transformer ({config.heads} heads per layer, d_model {config.dModel}) learns to predict the
          next token of random token sequences in which one segment repeats. The only way to beat chance is to copy: when the current token
          appeared before, predict what came after it then. Two heads in two layers do this together — a <strong>previous-token head</strong>{' '}
          writes “the token before me was A” into each position, and an <strong>induction head</strong> in the next layer finds the position
          whose previous token matches the current one and copies the token there. Watch the circuit form in a sudden phase change; then
          try the 1-layer control, where it cannot, and the fixed-repeat pitfall, where a shortcut hides its absence.
        </>
      }
    >
      <div className="ind-controls">
        <section className="sae-section" aria-label="Examples">
          <h3>Examples</h3>
          <div className="ind-examples" role="group" aria-label="Examples">
            {INDUCTION_EXAMPLES.map((e) => (
              <button key={e.id} type="button" className={`ind-example${current === e.id ? ' ind-example-on' : ''}`} aria-pressed={current === e.id} onClick={() => c.example(e.id)} data-ind-example={e.id} title={e.description}>
                <strong>{e.label}</strong>
                <span>{e.description}</span>
              </button>
            ))}
          </div>
        </section>
        <section className="sae-section" aria-label="Model">
          <h3>Model</h3>
          {FIELDS.slice(0, 5).map((f) => <Field key={f.key} label={f.label} slider={f.slider} field={f.key} />)}
        </section>
        <section className="sae-section" aria-label="Training">
          <h3>Training</h3>
          {FIELDS.slice(5).map((f) => <Field key={f.key} label={f.label} slider={f.slider} field={f.key} />)}
          <Choice field="repeat" label="repeats" values={REPEAT_MODES} />
          <Choice field="engine" label="engine" values={TRANSFORMER_ENGINES} />
        </section>
        <RunSection />
      </div>
    </Panel>
  );
}

function RunSection() {
  const status = useInduction((s) => s.status);
  const snap = useInduction((s) => s.snapshot);
  const run = useInduction((s) => s.runConfig);
  const playing = status?.playing ?? false;
  const done = status?.done ?? false;
  const c = getInductionController();
  const saveRecord = async () => {
    try {
      const record = useInduction.getState().record ?? (await c.requestRecord());
      downloadText(inductionRecordJson(record), inductionRecordFileName(record.config), 'application/json');
      showMessage({ kind: 'info', text: `Saved the run (step ${record.curve.at(-1)?.[0] ?? 0}) as JSON, in the CLI's format.` });
    } catch (e) {
      showMessage({ kind: 'error', text: `Could not export the run: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  const saveScript = () => {
    const config = useInduction.getState().runConfig ?? useInduction.getState().config;
    downloadText(inductionScript(config), inductionScriptFileName(config), 'text/x-python');
    showMessage({ kind: 'info', text: 'Saved a PyTorch script of this config.' });
  };
  return (
    <section className="sae-section" aria-label="Run">
      <h3>Run</h3>
      <div className="button-row">
        <button type="button" className="primary" data-ind-action="play-pause" onClick={() => c.togglePlay()}>
          {playing ? '❚❚ Pause' : done ? '↻ Train again' : '▶ Play'}
        </button>
        <button type="button" data-ind-action="reset" onClick={() => c.reset()} title="Back to step 0 with the same settings and seed">Reset</button>
      </div>
      <dl className="readout ind-readout" data-ind-step={status?.step ?? 0}>
        <div><dt>step</dt><dd>{status ? `${count(status.step)} / ${count(status.totalSteps)}` : '—'}</dd></div>
        <div><dt>steps/s</dt><dd>{status?.playing ? count(status.stepsPerSecond) : '—'}</dd></div>
        <div><dt>engine</dt><dd>{status?.engine || '—'}</dd></div>
        <div><dt>train loss</dt><dd>{status && Number.isFinite(status.loss) ? num(status.loss, 3) : '—'}</dd></div>
        <div className="ind-formed"><dt>induction ≥ 0.4</dt><dd data-ind-formed={snap?.formedAtStep ?? ''}>{snap?.formedAtStep != null ? `at step ${count(snap.formedAtStep)}${run && run.layers < 2 ? ' (one layer: a positional shortcut, not a circuit)' : ''}` : run && run.layers < 2 ? 'needs 2 layers' : 'not yet'}</dd></div>
      </dl>
      <div className="button-row ind-exports">
        <button type="button" className="tool-button" onClick={() => void saveRecord()} data-ind-export="json" title="The run's record: config, curve, head scores, ablations, composition (the CLI's JSON)">Run JSON</button>
        <button type="button" className="tool-button" onClick={saveScript} data-ind-export="pytorch" title="A standalone PyTorch script that trains this config">PyTorch script</button>
      </div>
    </section>
  );
}
