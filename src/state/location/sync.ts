// The address bar, both ways. At start-up the whole location is read once (readLocation); then the
// hash follows the stores: a settled edit becomes one history entry (a burst of slider moves
// replaces the entry it started), so Back and Forward step through the runs; a hash change (Back,
// Forward, a pasted link) goes through the validator and is applied like any other edit.

import type { BackendName } from '../../engine/shared/engines.ts';
import type { LabController } from '../labController.ts';
import { selectInstance, setView, useLab } from '../labStore.ts';
import { selectPanel, useUi } from '../uiStore.ts';
import { getViewsController } from '../viewsController.ts';
import { useViews } from '../viewStore.ts';
import { readDisplayParams, type DisplayParams } from './display.ts';
import { decodeHash, decodeParams, encodeHash, MAX_HASH_LENGTH, type DecodedLink, type LinkState, type LinkVocabulary } from './link.ts';
import { parseParams, withQueryParam } from './params.ts';
import { keepsInQuery, pageSearch, readPageParams, type PageParams } from './query.ts';
import { isDefault, sameSettings } from './sections.ts';
import { TAB_SETTINGS } from './tabs.ts';

/** Edits closer together than this share one history entry. */
export const HISTORY_BURST_MS = 1000;

export interface UrlState extends PageParams {
  /** ?backend=cpu forces a backend: the list to try */
  backends: BackendName[] | null;
  /** run state in the old ?n=…&m=… form, or null when the query holds none */
  legacy: DecodedLink | null;
  /** bad page parameters, one sentence each */
  errors: string[];
}

/** The query string: page parameters, and the old form of a shared link (?n=6&m=2&sparsity=0.9), read with the hash's rules. */
export function readUrl(search: string, vocab: LinkVocabulary): UrlState {
  const { params, errors } = readPageParams(search);
  const legacyParams = new Map([...parseParams(search.replace(/^\?/, ''))].filter(([key]) => !keepsInQuery(key)));
  const legacy = !legacyParams.size ? null : search.length > MAX_HASH_LENGTH ? decodeHash('#' + search.slice(1), vocab) : decodeParams(legacyParams, vocab, 'address bar');
  return { ...params, backends: params.backend ? [params.backend] : null, legacy, errors };
}

export interface AddressState {
  page: UrlState;
  display: DisplayParams;
  /** the run: from the hash, else from the old query form */
  link: DecodedLink;
  /** every problem found, for the notices */
  errors: string[];
}

/** Everything the address says: how the page runs, how it is shown, and the run with every tab's settings. */
export function readLocation(search: string, hash: string, vocab: LinkVocabulary, embeddable: readonly string[]): AddressState {
  const page = readUrl(search, vocab);
  const display = readDisplayParams(search, hash, embeddable);
  const fromHash = decodeHash(hash, vocab);
  const link = fromHash.present || !page.legacy ? fromHash : page.legacy;
  return { page, display, link, errors: [...page.errors, ...display.errors, ...link.errors] };
}

/** The seed override of a paper view's session, if it has one. */
function viewSeedOf(view: string): number | undefined {
  return useViews.getState().sessions[view]?.overrides.seed;
}

/** The settings of every registered tab that are not its defaults. */
function tabSettings(): Record<string, object> | undefined {
  const changed = TAB_SETTINGS.filter((tab) => !isDefault(tab, tab.read()));
  return changed.length ? Object.fromEntries(changed.map((tab) => [tab.id, tab.read()])) : undefined;
}

export function currentLink(): LinkState {
  const s = useLab.getState();
  const viewSeed = viewSeedOf(s.view);
  const settings = tabSettings();
  return {
    config: s.config,
    view: s.view,
    instance: s.selectedInstance,
    panel: useUi.getState().panel,
    ...(viewSeed !== undefined ? { viewSeed } : {}),
    ...(settings ? { settings } : {}),
  };
}

/** The address of the current state (page parameters kept unless `withQuery` is false, run state in the hash). */
export function currentUrl(withQuery = true): string {
  return `${pageBase()}${withQuery ? pageSearch(window.location.search) : ''}${encodeHash(currentLink())}`;
}

/** origin + path of the page, e.g. https://example.org/lab/ (an embed's address starts with it) */
export function pageBase(): string {
  return `${window.location.origin}${window.location.pathname}`;
}

/** Set (or with null remove) one display parameter in the query, e.g. ?present=1, without a history entry. */
export function setQueryParam(key: string, value: string | null): void {
  const search = withQueryParam(window.location.search, key, value);
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
}

/** Put a decoded link into the stores: a run (or a tab) restarts only if its settings changed. */
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
  // a tab's settings absent from the link are its defaults
  for (const tab of TAB_SETTINGS) {
    const wanted = state.settings?.[tab.id] ?? tab.defaults;
    if (!sameSettings(tab, tab.read(), wanted)) tab.apply(wanted);
  }
}

/** The state a page opens with, from its location (the run itself starts with the controller). */
export function applyInitialLink(link: LinkState): void {
  useLab.setState({ config: link.config, view: link.view, selectedInstance: link.instance });
  // a paper view's seed from the link: its session waits with it until the view opens
  if (link.viewSeed !== undefined) getViewsController().setOverrides(link.view, { seed: link.viewSeed });
  for (const tab of TAB_SETTINGS) {
    const settings = link.settings?.[tab.id];
    if (settings) tab.apply(settings);
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
  const offTabs = TAB_SETTINGS.map((tab) => tab.subscribe(() => write()));
  write('replace');
  return () => {
    window.removeEventListener('hashchange', onHashChange);
    offLab();
    offUi();
    offViews();
    for (const off of offTabs) off();
  };
}
