// The location codec: the one place that reads and writes the address (hash, query and display
// parameters) for every tab. link.ts: the run in the hash; tabs.ts: tabs that add their settings;
// query.ts: the page's own parameters; display.ts: embed, hidden controls, presentation, theme;
// sync.ts: the address bar kept in step with the stores.

export { displaySearch, readDisplayParams, type DisplayParams, type ThemeChoice } from './display.ts';
export { decodeHash, encodeHash, MAX_HASH_LENGTH, sameLink, type DecodedLink, type LinkState, type LinkVocabulary } from './link.ts';
export { quote, withQueryParam } from './params.ts';
export { currentPageParams, pageSearch, readPageParams, type PageParams } from './query.ts';
export { applyInitialLink, currentLink, currentUrl, pageBase, readLocation, readUrl, setQueryParam, startUrlSync, type AddressState, type UrlState } from './sync.ts';
export { TAB_SETTINGS, type TabSettings } from './tabs.ts';
