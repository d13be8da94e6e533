// Share, export and display buttons under the header: copy link, run JSON out and in, PyTorch
// script, presentation mode, theme, keyboard help. ?hide=share removes the share/export part.

import { useEffect, useId, useRef } from 'react';
import type { ThemeChoice } from '../../state/location/index.ts';
import { useLab } from '../../state/labStore.ts';
import { useHidden, useUi } from '../../state/uiStore.ts';
import { findView } from '../catalog.ts';
import { useController } from '../LabContext.tsx';
import { setPresentation, setTheme } from '../theme.ts';
import { HelpOverlay } from '../HelpOverlay.tsx';
import { copyLink, exportPytorch, exportRun, importRun } from './actions.ts';
import { CopyDialog } from './CopyDialog.tsx';
import { MessageLine } from './MessageLine.tsx';

/** Bring the panel named in the link (#panel=…) into view, unless it is in view already (e.g. its Link button was clicked). */
function useScrollToSelectedPanel(): void {
  const panel = useUi((s) => s.panel);
  useEffect(() => {
    if (!panel) return;
    const t = setTimeout(() => {
      const el = document.querySelector(`[data-panel="${CSS.escape(panel)}"]`);
      if (!el) return;
      const r = el.getBoundingClientRect();
      if (r.top < 0 || r.top > window.innerHeight * 0.6) el.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }, 100);
    return () => clearTimeout(t);
  }, [panel]);
}

export function LabToolbar() {
  const controller = useController();
  const shareHidden = useHidden('share');
  const presentation = useUi((s) => s.presentation);
  const theme = useUi((s) => s.theme);
  const themeId = useId();
  const file = useRef<HTMLInputElement>(null);
  // views that run their own experiments have no live-lab run to save or script
  const view = findView(useLab((s) => s.view));
  const labRun = !view?.ownControls;
  useScrollToSelectedPanel();
  return (
    <div className="lab-toolbar">
      {!shareHidden && (
        <div className="toolbar-group" role="group" aria-label="Share and export">
          <button type="button" onClick={() => void copyLink()} data-action="copy-link" title="Copy a link that restores this exact run">
            Copy link
          </button>
          {labRun && (
            <>
              <button type="button" onClick={exportRun} data-action="export-json" title="Save the run (config, weights, metrics, loss curve) in the CLI's JSON format">
                Save run (JSON)
              </button>
              <button type="button" onClick={() => file.current?.click()} data-action="import-json" title="Open a run saved by the lab or its CLI">
                Open run…
              </button>
            </>
          )}
          <input
            ref={file}
            type="file"
            accept=".json,application/json"
            hidden
            aria-label="Run file to open"
            data-import-input
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void importRun(f, controller);
            }}
          />
          {labRun && (
            <button type="button" onClick={exportPytorch} data-action="export-pytorch" title="A PyTorch script that trains this config and prints its final loss">
              PyTorch script
            </button>
          )}
        </div>
      )}
      <div className="toolbar-group" role="group" aria-label="Display">
        <button type="button" aria-pressed={presentation} onClick={() => setPresentation(!presentation)} aria-keyshortcuts="P" data-action="presentation">
          Large type
        </button>
        <label htmlFor={themeId} className="toolbar-label">Theme</label>
        <select id={themeId} value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)} data-control="theme">
          <option value="system">auto</option>
          <option value="light">light</option>
          <option value="dark">dark</option>
        </select>
        <button type="button" onClick={() => useUi.setState({ helpOpen: true })} aria-keyshortcuts="Shift+?" data-action="help">
          Shortcuts (?)
        </button>
      </div>
      <MessageLine />
      <CopyDialog />
      <HelpOverlay />
    </div>
  );
}
