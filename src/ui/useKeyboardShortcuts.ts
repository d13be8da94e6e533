import { useEffect } from 'react';
import type { LabController } from '../state/labController.ts';
import { useLab } from '../state/labStore.ts';
import { useUi } from '../state/uiStore.ts';
import { findView } from './catalog.ts';
import { SHORTCUTS } from './shortcuts.ts';

/** Keys a focused button or 3-D picture uses itself. */
const CONTROL_KEYS = new Set([' ', 'Enter', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']);

/**
 * The page-wide shortcuts (shortcuts.ts). Ignored while typing in a form control or with a dialog
 * open; on a focused button or 3-D picture only the keys those use themselves are left to them.
 * In a view with its own controls the run keys act on that view's training (shortcuts.ts inView).
 */
export function useKeyboardShortcuts(controller: LabController): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.closest('input, select, textarea, dialog, [contenteditable]') || t.isContentEditable)) return;
      if (t && CONTROL_KEYS.has(e.key) && t.closest('button, a, svg[tabindex], [role=tab]')) return;
      if (useUi.getState().helpOpen || useUi.getState().copyDialog) return;
      const shortcut = SHORTCUTS.find((s) => s.match(e));
      if (!shortcut) return;
      e.preventDefault();
      // a view with its own controls: the run keys act on its training (or do nothing), never on the hidden lab's run
      const view = findView(useLab.getState().view);
      if (view?.ownControls && shortcut.lab) return shortcut.inView?.(view.id, e);
      shortcut.run(controller, e);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}
