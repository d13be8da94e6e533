// Controls an instructor can hide through the URL, as TensorFlow Playground does:
// ?hide=n,m,seed or ?seed_hide=true. One table; the URL reader, the embed dialog and the
// controls themselves all read it.

export interface HidableControl {
  name: string;
  label: string;
  /** shown in an embed unless hidden (the rest of the controls never appear in embeds) */
  inEmbed?: boolean;
}

export const HIDABLE_CONTROLS: readonly HidableControl[] = [
  { name: 'play', label: 'Play / pause', inEmbed: true },
  { name: 'reset', label: 'Reset', inEmbed: true },
  { name: 'sparsity', label: 'Sparsity', inEmbed: true },
  { name: 'step', label: 'Step buttons' },
  { name: 'speed', label: 'Speed' },
  { name: 'readout', label: 'Step and loss readout' },
  { name: 'presets', label: 'Examples menu' },
  { name: 'model', label: 'Model' },
  { name: 'n', label: 'Features n' },
  { name: 'm', label: 'Hidden dims m' },
  { name: 'importanceDecay', label: 'Importance decay' },
  { name: 'instances', label: 'Instances' },
  { name: 'lr', label: 'Learning rate' },
  { name: 'batch', label: 'Batch size' },
  { name: 'steps', label: 'Steps' },
  { name: 'seed', label: 'Seed' },
  { name: 'tabs', label: 'View tabs' },
  { name: 'share', label: 'Share and export buttons' },
  { name: 'captions', label: 'Explanations under the panels' },
  { name: 'open', label: '"Open in the lab" link (embeds)' },
];

export const HIDABLE_NAMES: readonly string[] = HIDABLE_CONTROLS.map((c) => c.name);
