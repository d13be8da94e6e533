// How the page is shown (not what is trained): embed mode, hidden controls, presentation mode,
// theme, the selected panel, the help overlay and short messages. Kept apart from labStore,
// which holds the run.

import { create } from 'zustand';
import type { ThemeChoice } from './location/display.ts';

export interface UiMessage {
  kind: 'info' | 'error';
  text: string;
  /** further lines (e.g. every problem in an imported file) */
  details?: string[];
}

/** Text to copy by hand when the clipboard is not available (or to review, like embed code). */
export interface CopyDialog {
  title: string;
  text: string;
  /** one line under the title */
  note?: string;
  /** the dialog builds embed code for this panel or view, with options */
  embed?: { id: string; title: string };
}

export interface UiState {
  embed: string | null;
  hidden: ReadonlySet<string>;
  presentation: boolean;
  /** the visitor's choice; 'system' follows prefers-color-scheme */
  theme: ThemeChoice;
  /** what 'system' currently resolves to */
  systemDark: boolean;
  /** panel chosen in the link (#panel=…) or with a panel's Link button */
  panel: string | null;
  helpOpen: boolean;
  /** the example last loaded (its description is shown under the menu) */
  preset: string | null;
  message: UiMessage | null;
  copyDialog: CopyDialog | null;
}

export const useUi = create<UiState>()(() => ({
  embed: null,
  hidden: new Set<string>(),
  presentation: false,
  theme: 'system',
  systemDark: false,
  panel: null,
  helpOpen: false,
  preset: null,
  message: null,
  copyDialog: null,
}));

export function resolvedTheme(s: Pick<UiState, 'theme' | 'systemDark'>): 'light' | 'dark' {
  return s.theme === 'system' ? (s.systemDark ? 'dark' : 'light') : s.theme;
}

/** Is this control hidden through the URL? */
export function useHidden(name: string): boolean {
  return useUi((s) => s.hidden.has(name));
}

export function showMessage(message: UiMessage | null): void {
  useUi.setState({ message });
}

export function selectPanel(panel: string | null): void {
  useUi.setState({ panel });
}
