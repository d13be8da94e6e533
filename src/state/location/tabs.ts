// The tabs whose settings travel in the link beside the lab's config. A tab registers by declaring
// its field table (validated by engine/shared/fields.ts), a tab id and a key prefix, and how its
// store reads, announces and takes its settings; the codec (link.ts) and the address bar (sync.ts)
// need nothing more. To add a tab: one entry in TAB_SETTINGS.

import { validateFields, type FieldSpec, type ValidationResult } from '../../engine/shared/fields.ts';
import { SAE_FIELDS, validateSaeConfig, type SaeConfig } from '../../engine/sae/config.ts';
import { INDUCTION_FIELDS, validateInductionConfig, type InductionConfig } from '../../engine/transformer/config.ts';
import { existingInductionController } from '../inductionController.ts';
import { existingLocateController } from '../locateController.ts';
import { useLocate } from '../locateStore.ts';
import { LOCATE_FIELDS, validateLocateSettings, type LocateSettings } from '../../engine/rome/locate.ts';
import { MONITOR_FIELDS, validateMonitorConfig, type MonitorConfig } from '../../engine/monitor/config.ts';
import { existingMonitorController } from '../monitorController.ts';
import { useMonitor } from '../monitorStore.ts';
import { useInduction } from '../inductionStore.ts';
import { existingSaeController } from '../saeController.ts';
import { BASE_PRESETS, useSae, type BaseChoice } from '../saeStore.ts';
import { COMPARE_DEFAULTS, COMPARE_FIELDS, compareWrites, flatten, unflatten, validateCompareFlat, type CompareFlat } from '../../engine/compare/settings.ts';
import { existingCompareController } from '../compareController.ts';
import { useCompare } from '../compareStore.ts';
import type { AnySection, SettingsSection } from './sections.ts';
import { GRID_FIELDS, validateGridConfig, type GridConfig } from '../../engine/grid/config.ts';
import { existingGridController } from '../gridController.ts';
import { useGrid } from '../gridStore.ts';

export interface TabSettings<T extends object> extends SettingsSection<T> {
  /** the settings the tab shows now */
  read(): T;
  /** calls back when they change (the address bar then follows) */
  subscribe(onChange: () => void): () => void;
  /** puts a link's settings in place; the tab trains again with them */
  apply(settings: T): void;
}

/** The SAE tab: which toy model it reads, and its SAE config. */
export type SaeLinkSettings = SaeConfig & { base: BaseChoice };

const BASE_FIELD: FieldSpec<{ base: BaseChoice }> = {
  key: 'base',
  flag: 'base',
  help: 'the toy model the SAE reads: a preset, or the live lab\'s model; file: activations from a file, which the link cannot carry (the page asks for it)',
  type: { kind: 'enum', values: [...BASE_PRESETS.map((b) => b.id), 'lab', 'file'] },
};

function validateSaeLink(input: unknown, defaults: Readonly<SaeLinkSettings>): ValidationResult<SaeLinkSettings> {
  if (input === null || typeof input !== 'object') return { ok: false, config: null, errors: ['settings must be an object'] };
  const { base, ...sae } = input as Record<string, unknown>;
  const b = validateFields([BASE_FIELD], base === undefined ? {} : { base }, { base: defaults.base }, {}, () => []);
  const s = validateSaeConfig(sae, defaults);
  if (!b.ok || !s.ok) return { ok: false, config: null, errors: [...b.errors, ...s.errors] };
  return { ok: true, config: { ...s.config, base: b.config.base }, errors: [] };
}

const saeInitial = useSae.getInitialState();

export const SAE_SETTINGS: TabSettings<SaeLinkSettings> = {
  id: 'sae',
  prefix: 'sae.',
  fields: [BASE_FIELD, ...SAE_FIELDS],
  defaults: { ...saeInitial.sae, base: saeInitial.base },
  validate: validateSaeLink,
  read: () => ({ ...useSae.getState().sae, base: useSae.getState().base }),
  subscribe: (onChange) => useSae.subscribe((s, prev) => void ((s.sae !== prev.sae || s.base !== prev.base) && onChange())),
  apply({ base, ...sae }) {
    const running = existingSaeController();
    if (running) running.restore(base, sae);
    else useSae.setState({ base, sae }); // the controller starts with them when the tab first opens
  },
};

const inductionInitial = useInduction.getInitialState();

/** The "Induction heads" tab: its whole config, under ind. (#view=induction&ind.layers=1). */
export const INDUCTION_SETTINGS: TabSettings<InductionConfig> = {
  id: 'induction',
  prefix: 'ind.',
  fields: INDUCTION_FIELDS,
  defaults: inductionInitial.config,
  validate: (input, base) => validateInductionConfig(input, base),
  read: () => useInduction.getState().config,
  subscribe: (onChange) => useInduction.subscribe((s, prev) => void (s.config !== prev.config && onChange())),
  apply(config) {
    const running = existingInductionController();
    if (running) running.restore(config);
    else useInduction.setState({ config }); // the controller starts with it when the tab first opens
  },
};

const locateInitial = useLocate.getInitialState();

/** The "Locate & edit" tab: the fact, the edit layer and the new object, under rome. (#view=locate&rome.subject=12). */
export const LOCATE_SETTINGS: TabSettings<LocateSettings> = {
  id: 'locate',
  prefix: 'rome.',
  fields: LOCATE_FIELDS,
  defaults: locateInitial.settings,
  validate: (input, base) => validateLocateSettings(input, base),
  read: () => useLocate.getState().settings,
  subscribe: (onChange) => useLocate.subscribe((s, prev) => void (s.settings !== prev.settings && onChange())),
  apply(settings) {
    const running = existingLocateController();
    if (running) running.restore(settings);
    else useLocate.setState({ settings }); // the controller starts with them when the tab first opens
  },
};

const monitorInitial = useMonitor.getInitialState();

/** The "Monitor & ablate" tab: its whole config, under mon. (#view=monitor&mon.target=3). */
export const MONITOR_SETTINGS: TabSettings<MonitorConfig> = {
  id: 'monitor',
  prefix: 'mon.',
  fields: MONITOR_FIELDS,
  defaults: monitorInitial.config,
  validate: (input, base) => validateMonitorConfig(input, base),
  read: () => useMonitor.getState().config,
  subscribe: (onChange) => useMonitor.subscribe((s, prev) => void (s.config !== prev.config && onChange())),
  apply(config) {
    const running = existingMonitorController();
    if (running) running.restore(config);
    else useMonitor.setState({ config }); // the controller starts with it when the tab first opens
  },
};

/** The "A/B compare" tab: the pinned pair, A's settings and what B changes, under ab. (#view=compare&ab.pinned=true&ab.a.sparsity=0.95&ab.b.sparsity=0.9). */
export const COMPARE_SETTINGS: TabSettings<CompareFlat> = {
  id: 'compare',
  prefix: 'ab.',
  fields: COMPARE_FIELDS,
  defaults: COMPARE_DEFAULTS,
  validate: (input, base) => validateCompareFlat(input, base),
  writes: compareWrites,
  // B's settings that are not in the link are A's
  fallback: (key) => (key.startsWith('b.') ? `for B: A's ab.a.${key.slice(2)}` : null),
  read: () => flatten(useCompare.getState().pair),
  subscribe: (onChange) => useCompare.subscribe((s, prev) => void (s.pair !== prev.pair && onChange())),
  apply(flat) {
    const pair = unflatten(flat);
    const running = existingCompareController();
    if (running) running.restore(pair);
    else useCompare.setState({ pair, a: null, b: null, comparison: null }); // the controller trains it when the tab first opens
  },
};

const gridInitial = useGrid.getInitialState();

/** The "Grid" tab: its whole config, under grid. (#view=grid&grid.xSetting=lr). */
export const GRID_SETTINGS: TabSettings<GridConfig> = {
  id: 'grid',
  prefix: 'grid.',
  fields: GRID_FIELDS,
  defaults: gridInitial.config,
  validate: (input, base) => validateGridConfig(input, base),
  read: () => useGrid.getState().config,
  subscribe: (onChange) => useGrid.subscribe((s, prev) => void (s.config !== prev.config && onChange())),
  apply(config) {
    const running = existingGridController();
    if (running) running.restore(config);
    else useGrid.setState({ config }); // the controller starts with it when the tab first opens
  },
};

// each tab has its own settings type; the codec only moves them between text and validator
export const TAB_SETTINGS: readonly (TabSettings<any> & AnySection)[] = [SAE_SETTINGS, INDUCTION_SETTINGS, LOCATE_SETTINGS, MONITOR_SETTINGS, COMPARE_SETTINGS, GRID_SETTINGS];
