// The A/B compare tab's controls: what A is, B's settings (every edit through the toy validator over B, by the
// controller), what the worker is training, the verdict, and the compare record as JSON.

import { useId } from 'react';
import { changedSettings } from '../../../engine/compare/settings.ts';
import { FIELDS, MODELS, type LabConfig } from '../../../engine/toy/config.ts';
import { getCompareController } from '../../../state/compareController.ts';
import { useCompare } from '../../../state/compareStore.ts';
import { compareExport } from '../../../state/export/compareExport.ts';
import { setView } from '../../../state/labStore.ts';
import { FieldErrors } from '../../controls/FieldErrors.tsx';
import { NumberField, type SliderSpec } from '../../controls/NumberField.tsx';
import { downloadText } from '../../export/download.ts';
import { count, num, shortNumber } from '../../format.ts';
import { Panel } from '../Panel.tsx';
import { sideName, SIDE_TEXT_COLORS, useCompareController } from './shared.ts';

type NumericKey = 'sparsity' | 'importanceDecay' | 'n' | 'm' | 'lr' | 'weightDecay' | 'batch' | 'steps';

const B_FIELDS: { key: NumericKey; label: string; slider?: SliderSpec }[] = [
  { key: 'sparsity', label: 'sparsity S', slider: { min: 0, max: 0.99, step: 0.01 } },
  { key: 'importanceDecay', label: 'importance decay r', slider: { min: 0.5, max: 1, step: 0.01 } },
  { key: 'n', label: 'features n' },
  { key: 'm', label: 'hidden dimensions m' },
  { key: 'lr', label: 'learning rate', slider: { min: 1e-4, max: 1e-1, step: 0.1, scale: 'log' } },
  { key: 'weightDecay', label: 'weight decay' },
  { key: 'batch', label: 'batch' },
  { key: 'steps', label: 'steps' },
];

const help = (key: keyof LabConfig) => FIELDS.find((f) => f.key === key)?.help ?? '';

function BField({ field, label, slider }: { field: NumericKey; label: string; slider?: SliderSpec }) {
  const value = useCompare((s) => s.pair?.b[field] ?? 0);
  const errors = useCompare((s) => s.editErrors[field]);
  return <NumberField label={label} value={value} errors={errors} slider={slider} edit={(raw) => getCompareController().editB(field, raw)} format={shortNumber} hint={help(field)} attributes={{ 'data-compare-field': field }} />;
}

function BModel() {
  const id = useId();
  const value = useCompare((s) => s.pair?.b.model ?? 'relu-output');
  const errors = useCompare((s) => s.editErrors.model);
  return (
    <div className="field">
      <div className="field-head">
        <label htmlFor={id}>model</label>
        <select id={id} value={value} data-compare-field="model" onChange={(e) => getCompareController().editB('model', e.target.value)}>
          {MODELS.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </div>
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

const describe = (c: LabConfig) => `n = ${c.n}, m = ${c.m}, S = ${c.sparsity}, r = ${c.importanceDecay}, ${c.model}, ${count(c.steps)} steps, seed ${c.seed}`;

export function CompareControlsPanel() {
  useCompareController();
  const pair = useCompare((s) => s.pair);
  const a = useCompare((s) => s.a);
  const b = useCompare((s) => s.b);
  const training = useCompare((s) => s.training);
  const comparison = useCompare((s) => s.comparison);
  if (!pair) {
    return (
      <Panel id="compare-controls" title="A/B compare" className="panel-wide" caption="Pin a finished run of the live lab as A, change B's settings, and see what changes: B trains with A's seed.">
        <p className="compare-empty" data-compare-empty>
          Nothing pinned yet. Train a run in the Live lab to the end, then press <strong>Pin as A</strong> there.{' '}
          <button type="button" className="link-button" onClick={() => setView('lab')}>Go to the live lab</button>
        </p>
      </Panel>
    );
  }
  const changes = changedSettings(pair);
  const running = training ? (training === 'a' ? a : b) : null;
  const status = training ? `Training ${sideName(training)}: step ${count(running?.step ?? 0)} of ${count(pair[training].steps)}` : comparison ? 'Both runs finished.' : changes.length ? '' : 'B has A\'s settings: change one to train B.';
  const exportJson = () => {
    const record = compareExport(pair, a, b);
    if (record) downloadText(JSON.stringify(record, null, 1), 'superposition-compare.json', 'application/json');
  };
  return (
    <Panel
      id="compare-controls"
      title="A/B compare"
      className="panel-wide"
      caption={<>B is A with the settings you change here, trained with A&apos;s seed ({pair.a.seed}); the link holds both, and opening it trains both again to the same result.</>}
    >
      <div className="compare-controls">
        <div className="compare-a">
          <h3 style={{ color: SIDE_TEXT_COLORS.a }}>A</h3>
          <p data-compare-a>
            {a?.source === 'lab' ? 'pinned from the live lab' : 'trained from the link'}{pair.a.instances > 1 ? `, instance ${pair.instance + 1} of ${pair.a.instances}` : ''}: {describe(pair.a)}
            {a?.done ? ` — ${a.geometry[pair.instance] ?? ''}, final loss ${num(a.losses[pair.instance], 3)}` : ''}
          </p>
          <p className="compare-verdict" role="status" data-compare-verdict={comparison?.verdict ?? ''}>
            {comparison ? <><strong>What changed:</strong> {comparison.verdict}</> : status}
          </p>
          {comparison && status && <p className="field-hint">{status}</p>}
          <p className="field-hint" data-compare-changes>B changes: {changes.length ? changes.join(', ') : 'nothing yet'}</p>
          <div className="compare-buttons">
            <button type="button" onClick={exportJson} disabled={!comparison} data-action="compare-export">Export the pair as JSON</button>
            <button type="button" onClick={() => getCompareController().clear()} data-action="compare-clear">Unpin A</button>
          </div>
        </div>
        <fieldset className="compare-b">
          <legend style={{ color: SIDE_TEXT_COLORS.b }}>B&apos;s settings</legend>
          <BModel />
          {B_FIELDS.map((f) => <BField key={f.key} field={f.key} label={f.label} slider={f.slider} />)}
        </fieldset>
      </div>
    </Panel>
  );
}
