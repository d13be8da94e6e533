// The grid's settings: a preset, the two axes (setting:from:to[:log], as on the command line), the
// resolution, what a cell shows and the base toy config; every value through validateGridConfig (the
// controller), so a bad range is named precisely and nothing else changes. Then what the run is doing.

import { useId, useState, type FormEvent } from 'react';
import { formatAxis, GRID_CLASSIFY, parseAxis, parseCells, axisOf, type GridClassify } from '../../../engine/grid/config.ts';
import { GRID_PRESETS } from '../../../engine/grid/presets.ts';
import { getGridController } from '../../../state/gridController.ts';
import { useGrid } from '../../../state/gridStore.ts';
import { FieldErrors } from '../../controls/FieldErrors.tsx';
import { NumberField } from '../../controls/NumberField.tsx';
import { shortNumber } from '../../format.ts';
import { Panel } from '../Panel.tsx';
import { useGridController } from './shared.ts';

type NumericKey = 'n' | 'm' | 'sparsity' | 'importanceDecay' | 'steps' | 'batch' | 'lr' | 'seed' | 'restarts';
const NUMERIC: { key: NumericKey; label: string }[] = [
  { key: 'n', label: 'features n' },
  { key: 'm', label: 'hidden dimensions m' },
  { key: 'sparsity', label: 'sparsity S' },
  { key: 'importanceDecay', label: 'importance decay r' },
  { key: 'steps', label: 'steps (at most)' },
  { key: 'batch', label: 'batch' },
  { key: 'lr', label: 'learning rate' },
  { key: 'restarts', label: 'restarts per cell' },
  { key: 'seed', label: 'seed' },
];


export const CLASSIFY_LABELS: Record<GridClassify, string> = {
  polytope: 'named geometry',
  represented: 'features represented',
  dims: 'dimensions per feature',
  loss: 'loss',
  phase: 'last feature’s phase',
};

function AxisField({ axis }: { axis: 'x' | 'y' }) {
  const id = useId();
  const config = useGrid((s) => s.config);
  const errors = useGrid((s) => s.editErrors[`${axis}Setting`]);
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? formatAxis(axisOf(config, axis));
  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    if (text === null) return;
    const parsed = parseAxis(text, `${axis} axis`);
    if (!parsed.axis) {
      useGrid.setState({ editErrors: { [`${axis}Setting`]: parsed.errors } });
      return;
    }
    const a = parsed.axis;
    const errs = getGridController().edit({ [`${axis}Setting`]: a.setting, [`${axis}From`]: a.from, [`${axis}To`]: a.to, [`${axis}Scale`]: a.scale });
    if (!errs.length) setText(null);
  };
  return (
    <form className="grid-axis" onSubmit={apply} data-grid-axis={axis}>
      <label htmlFor={id}>{axis === 'x' ? 'across (x)' : 'down (y)'}</label>
      <input id={id} type="text" value={shown} spellCheck={false} onChange={(e) => setText(e.target.value)} onBlur={() => apply()} aria-describedby={`${id}-hint`} aria-invalid={errors?.length ? true : undefined} />
      <span id={`${id}-hint`} className="field-hint">setting:from:to, add :log for log spacing</span>
      <FieldErrors id={`${id}-errors`} errors={errors} />
    </form>
  );
}

function CellsField() {
  const id = useId();
  const config = useGrid((s) => s.config);
  const errors = useGrid((s) => s.editErrors.cols);
  const [text, setText] = useState<string | null>(null);
  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    if (text === null) return;
    const c = parseCells(text, 'cells');
    if ('error' in c) {
      useGrid.setState({ editErrors: { cols: [c.error] } });
      return;
    }
    if (!getGridController().edit(c).length) setText(null);
  };
  return (
    <form className="grid-axis" onSubmit={apply}>
      <label htmlFor={id}>cells (columns × rows)</label>
      <input id={id} type="text" value={text ?? `${config.cols}x${config.rows}`} onChange={(e) => setText(e.target.value)} onBlur={() => apply()} data-grid-cells aria-invalid={errors?.length ? true : undefined} />
      <FieldErrors id={`${id}-errors`} errors={errors} />
    </form>
  );
}

function Numeric({ field, label }: { field: NumericKey; label: string }) {
  const value = useGrid((s) => s.config[field]);
  const errors = useGrid((s) => s.editErrors[field]);
  return <NumberField label={label} value={value} errors={errors} edit={(raw) => getGridController().edit({ [field]: raw })} format={shortNumber} attributes={{ 'data-grid-field': field }} />;
}

export function GridControlsPanel() {
  useGridController();
  const presetId = useId();
  const classifyId = useId();
  const classify = useGrid((s) => s.config.classify);
  const status = useGrid((s) => s.status);
  const health = useGrid((s) => s.health);
  const summary = status ? `${status.cellsDone} of ${status.cells} cells done` : null;
  return (
    <Panel id="grid-controls" title="Grid settings" className="panel-wide" summary={summary} caption="Every cell trains the toy model with the settings its row and column give; cells that differ only in sparsity or importance are instances of one trainer. A trainer stops once every cell's class has held for a quarter of the steps.">
      <div className="grid-controls">
        <div className="grid-row">
          <label htmlFor={presetId}>preset</label>
          <select id={presetId} defaultValue="" onChange={(e) => { const p = GRID_PRESETS.find((x) => x.id === e.target.value); if (p) getGridController().restore({ ...p.config }); }} data-grid-preset>
            <option value="" disabled>choose a preset…</option>
            {GRID_PRESETS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
          </select>
          <label htmlFor={classifyId}>colour cells by</label>
          <select id={classifyId} value={classify} onChange={(e) => getGridController().edit({ classify: e.target.value })} data-grid-classify>
            {GRID_CLASSIFY.map((c) => <option key={c} value={c}>{CLASSIFY_LABELS[c]}</option>)}
          </select>
        </div>
        <div className="grid-row">
          <AxisField axis="x" />
          <AxisField axis="y" />
          <CellsField />
        </div>
        <div className="grid-fields">
          {NUMERIC.map((f) => <Numeric key={f.key} field={f.key} label={f.label} />)}
        </div>
        <div className="grid-row">
          <button type="button" disabled={!status || status.done} onClick={() => (status?.playing ? getGridController().pause() : getGridController().play())} data-grid-play>
            {status?.playing === false && !status.done ? 'Resume' : 'Pause'}
          </button>
          <button type="button" onClick={() => getGridController().reset()} data-grid-reset>Train again</button>
        </div>
        <p className="grid-status" aria-live="polite" data-grid-status={status?.done ? 'done' : 'training'}>
          {health.state === 'failed' ? 'The grid worker stopped.' : !status ? 'Starting the grid worker…' : status.done ? `Done: ${status.cells} cells, ${status.trainers} trainer${status.trainers === 1 ? '' : 's'}, ${status.step} steps in ${status.seconds.toFixed(1)} s.` : `${status.playing ? 'Training' : 'Paused at'} trainer ${status.trainer + 1} of ${status.trainers}: ${status.cellsDone} of ${status.cells} cells done.`}
          {status?.agreement != null && ` ${(100 * status.agreement).toFixed(1)}% of cells in their closed-form phase.`}
        </p>
      </div>
    </Panel>
  );
}
