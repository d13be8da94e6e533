// Keyboard shortcuts as data: the key handler and the help overlay read the same list.

import type { LabController } from '../state/labController.ts';
import { availablePresets } from './presetList.ts';
import { useUi } from '../state/uiStore.ts';
import { setPresentation, toggleTheme } from './theme.ts';

export interface Shortcut {
  /** how the help overlay writes the keys */
  keys: string[];
  label: string;
  match(e: KeyboardEvent): boolean;
  run(controller: LabController, e: KeyboardEvent): void;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Space'], label: 'Play / pause', match: (e) => e.key === ' ', run: (c) => c.togglePlay() },
  { keys: ['S', '→'], label: 'One optimiser step', match: (e) => (e.key === 's' || e.key === 'ArrowRight') && !e.shiftKey, run: (c) => c.step(1) },
  { keys: ['Shift+S', 'Shift+→'], label: '100 steps', match: (e) => (e.key === 'S' || e.key === 'ArrowRight') && e.shiftKey, run: (c) => c.step(100) },
  { keys: ['R'], label: 'Reset to step 0 (same seed)', match: (e) => e.key === 'r' || e.key === 'R', run: (c) => c.reset() },
  {
    keys: ['1', '…', '9'],
    label: 'Load an example (in the order of the Examples menu)',
    match: (e) => /^[1-9]$/.test(e.key) && Number(e.key) <= availablePresets().length,
    run: (c, e) => {
      const preset = availablePresets()[Number(e.key) - 1];
      useUi.setState({ preset: preset.id });
      c.applyPreset(preset.id);
    },
  },
  { keys: ['P'], label: 'Presentation mode (large type) on / off', match: (e) => e.key === 'p' || e.key === 'P', run: () => setPresentation(!useUi.getState().presentation) },
  { keys: ['T'], label: 'Light / dark theme', match: (e) => e.key === 't' || e.key === 'T', run: () => toggleTheme() },
  { keys: ['?'], label: 'This help', match: (e) => e.key === '?', run: () => useUi.setState({ helpOpen: true }) },
];

/** Keys that work where the focus is (listed in the help, handled by the browser or the control). */
export const FOCUS_KEYS: readonly { keys: string[]; label: string }[] = [
  { keys: ['←', '→', '↑', '↓'], label: 'Move a focused slider; rotate a focused 3-D picture' },
  { keys: ['Home', 'End'], label: 'A focused slider to its ends (sparsity: dense / very sparse)' },
  { keys: ['↑', '↓'], label: 'In a number box: up or down one step' },
  { keys: ['Tab'], label: 'Next control' },
  { keys: ['Esc'], label: 'Close a dialog' },
];
