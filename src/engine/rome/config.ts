// The settings of a ROME run as the CLI (and later the tab) takes them: the facts model's fields
// plus the edit and trace settings, one field table validated by shared/fields.ts.

import { validateFields, type FieldSpec, type ValidationResult } from '../shared/fields';
import { DEFAULT_FACTS_CONFIG, FACTS_FIELDS } from './factsModel';
import type { RomeRunConfig } from './run';

/** The CLI's view of a run config: the edit layer as typed ('auto' or a number). */
export type RomeCliConfig = Omit<RomeRunConfig, 'editLayer'> & { editLayer: string };

const LAYER_CHOICES = ['auto', ...Array.from({ length: 12 }, (_, i) => String(i))] as const;

export const ROME_FIELDS: readonly FieldSpec<RomeCliConfig>[] = [
  ...(FACTS_FIELDS.filter((f) => ['seed', 'layers', 'dModel', 'heads', 'bioFraction'].includes(f.key)) as unknown as FieldSpec<RomeCliConfig>[]),
  { key: 'edits', flag: 'edits', help: 'independent edits per method, each on the original model, over random (fact, new object) pairs', type: { kind: 'int', min: 1, max: 384 } },
  { key: 'editLayer', flag: 'edit-layer', help: 'layer whose MLP is edited, or auto (where the traced MLP effect at the last subject token peaks)', type: { kind: 'enum', values: LAYER_CHOICES } },
  { key: 'traceFacts', flag: 'trace-facts', help: 'facts the causal-tracing heatmaps average over', type: { kind: 'int', min: 1, max: 384 } },
  { key: 'noiseSamples', flag: 'noise-samples', help: 'noise samples K per trace (the same K for every cell)', type: { kind: 'int', min: 1, max: 200 } },
];

export const DEFAULT_ROME_CLI: RomeCliConfig = { ...DEFAULT_FACTS_CONFIG, edits: 50, editLayer: 'auto', traceFacts: 50, noiseSamples: 10 };

export function validateRomeCli(raw: Record<string, string>): ValidationResult<RomeCliConfig> {
  return validateFields(ROME_FIELDS, raw, DEFAULT_ROME_CLI, { naming: 'flag' }, (c, name) => {
    const errors: string[] = [];
    if (c.dModel % c.heads !== 0) errors.push(`${name('heads')} (${c.heads}) must divide ${name('dModel')} (${c.dModel})`);
    if (c.editLayer !== 'auto' && Number(c.editLayer) >= c.layers) errors.push(`${name('editLayer')} must be auto or a layer from 0 to ${c.layers - 1}; got ${c.editLayer}`);
    return errors;
  });
}

export function toRunConfig(c: RomeCliConfig): RomeRunConfig {
  return { ...c, editLayer: c.editLayer === 'auto' ? null : Number(c.editLayer) };
}
