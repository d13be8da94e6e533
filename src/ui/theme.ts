// Theme and presentation mode on the <html> element: data-theme="light|dark" (following the
// system unless the visitor chose), data-present (large type), data-embed. The colour scales
// switch with the theme (colors.ts); the choice is remembered in localStorage.

import { resolvedTheme, useUi } from '../state/uiStore.ts';
import { setQueryParam, type DisplayParams, type ThemeChoice } from '../state/location/index.ts';
import { setColorTheme } from './colors.ts';

const STORAGE_KEY = 'superposition-lab.theme';

function storedTheme(): ThemeChoice | null {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' || v === 'system' ? v : null;
  } catch {
    return null;
  }
}

function apply(): void {
  const s = useUi.getState();
  const theme = resolvedTheme(s);
  setColorTheme(theme);
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
  if (s.presentation) root.dataset.present = '1';
  else delete root.dataset.present;
  if (s.embed) root.dataset.embed = s.embed;
  else delete root.dataset.embed;
}

/** Read the display parameters into the UI store and keep <html> in step with it. */
export function initDisplay(display: DisplayParams, panel: string | null): void {
  const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  useUi.setState({
    embed: display.embed,
    hidden: new Set(display.hidden),
    presentation: display.presentation,
    theme: display.theme ?? storedTheme() ?? 'system',
    systemDark: media?.matches ?? false,
    panel,
  });
  media?.addEventListener('change', (e) => useUi.setState({ systemDark: e.matches }));
  apply();
  useUi.subscribe((s, prev) => {
    if (s.theme !== prev.theme || s.systemDark !== prev.systemDark || s.presentation !== prev.presentation || s.embed !== prev.embed) apply();
  });
}

export function setTheme(theme: ThemeChoice): void {
  useUi.setState({ theme });
  try {
    window.localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** Light ↔ dark (the T key). */
export function toggleTheme(): void {
  setTheme(resolvedTheme(useUi.getState()) === 'dark' ? 'light' : 'dark');
}

/** Presentation mode on or off; the address bar keeps ?present=1 so a shared link opens in it. */
export function setPresentation(on: boolean): void {
  useUi.setState({ presentation: on });
  setQueryParam('present', on ? '1' : null);
}
