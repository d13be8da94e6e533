import { useEffect } from 'react';
import type { LabController } from '../state/labController.ts';

/** Space = play/pause, → = one step (Shift: 100), R = reset; ignored while typing in a form control. */
export function useKeyboardShortcuts(controller: LabController): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.closest('input, select, textarea, button, [contenteditable], svg[tabindex]') || t.isContentEditable)) return;
      if (e.key === ' ') controller.togglePlay();
      else if (e.key === 'ArrowRight') controller.step(e.shiftKey ? 100 : 1);
      else if (e.key === 'r' || e.key === 'R') controller.reset();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}
