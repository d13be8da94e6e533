// Keyboard shortcuts as data: the key handler and the help overlay read the same list.

import type { LabController } from '../state/labController.ts';
import { getViewsController } from '../state/viewsController.ts';
import { useViews } from '../state/viewStore.ts';
import { availablePresets } from './presetList.ts';
import { useUi } from '../state/uiStore.ts';
import { setPresentation, toggleTheme } from './theme.ts';

export interface Shortcut {
  /** how the help overlay writes the keys */
  keys: string[];
  label: string;
  match(e: KeyboardEvent): boolean;
  run(controller: LabController, e: KeyboardEvent): void;
  /**
   * In a view with its own controls (the paper's views, the SAE view) the lab's run is not on show:
   * a shortcut about the run does this to the view's own training instead, or nothing when absent.
   * Shortcuts without `lab: true` (theme, help, …) work everywhere.
   */
  inView?(viewId: string, e: KeyboardEvent): void;
  /** acts on the lab's run (so not in views with their own controls, unless inView says what to do) */
  lab?: boolean;
}

/** Train a paper view again from step 0 with the settings (seed) it has now. */
function restartView(viewId: string): void {
  const session = useViews.getState().sessions[viewId];
  if (session) getViewsController().restart(viewId, session.overrides);
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Space'], label: 'Play / pause (in a paper\'s view: its training)', lab: true, match: (e) => e.key === ' ', run: (c) => c.togglePlay(), inView: (v) => getViewsController().togglePlay(v) },
  { keys: ['S', '→'], label: 'One optimiser step (live lab)', lab: true, match: (e) => (e.key === 's' || e.key === 'ArrowRight') && !e.shiftKey, run: (c) => c.step(1) },
  { keys: ['Shift+S', 'Shift+→'], label: '100 steps (live lab)', lab: true, match: (e) => (e.key === 'S' || e.key === 'ArrowRight') && e.shiftKey, run: (c) => c.step(100) },
  { keys: ['R'], label: 'Reset to step 0, same seed (in a paper\'s view: train it again)', lab: true, match: (e) => e.key === 'r' || e.key === 'R', run: (c) => c.reset(), inView: (v) => restartView(v) },
  {
    keys: ['1', '…', '9'],
    label: 'Load an example (in the order of the Examples menu; live lab)',
    lab: true,
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
