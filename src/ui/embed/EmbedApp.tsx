// ?embed=<panel or view>: one panel (or a whole view) with its essential controls (play/pause,
// reset, sparsity), no page chrome, filling its <iframe>. ?hide=… removes controls one by one.

import { useLab } from '../../state/labStore.ts';
import { useHidden, useUi } from '../../state/uiStore.ts';
import { currentUrl } from '../../state/location/index.ts';
import { SparsitySliders } from '../controls/SparsityControl.tsx';
import { useController } from '../LabContext.tsx';
import { FeatureTooltip } from '../FeatureTooltip.tsx';
import { findPanel, findView } from '../catalog.ts';
import { panelComponent } from '../panels/registry.ts';
import { MessageLine } from '../share/MessageLine.tsx';
import { useKeyboardShortcuts } from '../useKeyboardShortcuts.ts';
import { HelpOverlay } from '../HelpOverlay.tsx';
import { embedControls, viewComponent } from '../views/registry.ts';

export function EmbedApp({ id }: { id: string }) {
  const controller = useController();
  useKeyboardShortcuts(controller);
  const playing = useLab((s) => s.run?.playing ?? false);
  const done = useLab((s) => s.run?.done ?? false);
  const urlErrors = useLab((s) => s.urlErrors);
  const hidePlay = useHidden('play');
  const hideReset = useHidden('reset');
  const hideSparsity = useHidden('sparsity');
  const hideOpen = useHidden('open');
  // the "open in the lab" link follows the state
  useLab((s) => s.config);
  useLab((s) => s.view);
  useUi((s) => s.panel);
  const panel = findPanel(id);
  const view = panel ? null : findView(id);
  const Content = panel ? panelComponent(panel.id) : view ? viewComponent(view.id) : undefined;
  // a panel of another module brings that module's run controls instead of the lab's
  const ModuleControls = panel?.view ? embedControls(panel.view) : undefined;
  // a view with controls of its own (Correlated, SAE, …) shows only those: the lab's would drive a model the embed does not show
  const controls = !ModuleControls && !view?.ownControls && (!hidePlay || !hideReset || !hideSparsity);
  return (
    <main className="embed" data-embed={id}>
      {controls && (
        <div className="embed-controls" role="group" aria-label="Run controls">
          {!hidePlay && (
            <button type="button" className="primary" onClick={() => controller.togglePlay()} aria-keyshortcuts="Space" data-action="play-pause">
              {playing ? '❚❚ Pause' : done ? '↻ Train again' : '▶ Play'}
            </button>
          )}
          {!hideReset && (
            <button type="button" onClick={() => controller.reset()} aria-keyshortcuts="R" data-action="reset">
              Reset
            </button>
          )}
          {!hideSparsity && (
            <div className="embed-sparsity" data-field="sparsity">
              <SparsitySliders />
            </div>
          )}
        </div>
      )}
      {ModuleControls && <ModuleControls />}
      {urlErrors.length > 0 && (
        <div className="notices" role="status">
          {urlErrors.map((e) => (
            <p key={e} className="notice notice-warning">{e}</p>
          ))}
        </div>
      )}
      <MessageLine />
      <div className={view ? 'panels embed-view' : 'embed-panel'}>{Content && <Content />}</div>
      {!hideOpen && (
        <a className="embed-open" href={currentUrl(false)} target="_blank" rel="noopener">
          Open in Superposition Lab ↗
        </a>
      )}
      <FeatureTooltip />
      <HelpOverlay />
    </main>
  );
}
