// Keeps the address bar's hash and the store in step, both ways. A settled edit becomes one
// history entry (a burst of slider moves replaces the entry it started), so Back and Forward
// step through the runs; a hash change (Back, Forward, a pasted link) goes through the
// validator and is applied like any other edit.

import type { LabController } from './labController.ts';
import { selectInstance, setView, useLab } from './labStore.ts';
import { decodeHash, encodeHash, type LinkState, type LinkVocabulary } from './linkState.ts';
import { selectPanel, useUi } from './uiStore.ts';
import { pageSearch } from './urlConfig.ts';
import { getViewsController } from './viewsController.ts';
import { useViews } from './viewStore.ts';

/** The seed override of a paper view's session, if it has one. */
function viewSeedOf(view: string): number | undefined {
  return useViews.getState().sessions[view]?.overrides.seed;
}

/** Edits closer together than this share one history entry. */
export const HISTORY_BURST_MS = 1000;

export function currentLink(): LinkState {
  const s = useLab.getState();
  const viewSeed = viewSeedOf(s.view);
  return { config: s.config, view: s.view, instance: s.selectedInstance, panel: useUi.getState().panel, ...(viewSeed !== undefined ? { viewSeed } : {}) };
}

/** The address of the current state (page parameters kept, run state in the hash). */
export function currentUrl(): string {
  return `${window.location.origin}${window.location.pathname}${pageSearch(window.location.search)}${encodeHash(currentLink())}`;
}

/** Put a decoded link into the store; the run restarts only if the config changed. */
export function applyLink(state: LinkState, controller: LabController): void {
  const { config } = useLab.getState();
  if (JSON.stringify(config) !== JSON.stringify(state.config)) controller.applyConfig(state.config, state.config);
  if (useLab.getState().view !== state.view) setView(state.view);
  if (useLab.getState().selectedInstance !== state.instance) selectInstance(state.instance);
  if (useUi.getState().panel !== state.panel) selectPanel(state.panel);
  // a paper view's seed: before the view opens (it then trains with it) or, when it is open, train it again
  if (state.view !== 'lab' && viewSeedOf(state.view) !== state.viewSeed) {
    getViewsController().setOverrides(state.view, state.viewSeed !== undefined ? { seed: state.viewSeed } : {});
  }
}

export function startUrlSync(controller: LabController, vocab: LinkVocabulary): () => void {
  let applying = false;
  let lastWrite = 0;

  const write = (mode: 'auto' | 'replace' = 'auto') => {
    const hash = encodeHash(currentLink());
    const search = pageSearch(window.location.search);
    if (hash === window.location.hash && search === window.location.search) return;
    const url = `${window.location.pathname}${search}${hash}`;
    const now = Date.now();
    if (mode === 'replace' || applying || now - lastWrite < HISTORY_BURST_MS) window.history.replaceState(window.history.state, '', url);
    else window.history.pushState(null, '', url);
    lastWrite = now;
  };

  const onHashChange = () => {
    const decoded = decodeHash(window.location.hash, vocab);
    useLab.setState({ urlErrors: decoded.errors });
    applying = true;
    try {
      applyLink(decoded.state, controller);
      write('replace'); // show the cleaned-up link
    } finally {
      applying = false;
    }
  };

  window.addEventListener('hashchange', onHashChange);
  const offLab = useLab.subscribe((s, prev) => {
    if (s.config !== prev.config || s.view !== prev.view || s.selectedInstance !== prev.selectedInstance) write();
  });
  const offUi = useUi.subscribe((s, prev) => {
    if (s.panel !== prev.panel) write();
  });
  // a view trained again with another seed
  const offViews = useViews.subscribe((s, prev) => {
    const view = useLab.getState().view;
    if (s.sessions[view]?.overrides !== prev.sessions[view]?.overrides) write();
  });
  write('replace');
  return () => {
    window.removeEventListener('hashchange', onHashChange);
    offLab();
    offUi();
    offViews();
  };
}
