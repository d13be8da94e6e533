import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { readDisplayParams } from './state/displayParams.ts';
import { createLabController } from './state/labController.ts';
import { useLab } from './state/labStore.ts';
import { decodeHash } from './state/linkState.ts';
import { resolvedTheme, useUi } from './state/uiStore.ts';
import { readUrl } from './state/urlConfig.ts';
import { startUrlSync } from './state/urlSync.ts';
import { getViewsController } from './state/viewsController.ts';
import { App } from './ui/App.tsx';
import { EmbedApp } from './ui/embed/EmbedApp.tsx';
import { LabControllerContext } from './ui/LabContext.tsx';
import { embeddableIds, linkVocabulary } from './ui/linkVocabulary.ts';
import { exposeTestHooks } from './ui/testHooks.ts';
import { initDisplay } from './ui/theme.ts';
import './ui/styles.css';
import './ui/theme.css';

// The run's state comes from the hash (#n=5&m=2&…), or from the old ?n=5&m=2 form of a link;
// how it is shown (embed, hidden controls, large type, theme) from ?embed= ?hide= ?present= ?theme=.
const vocab = linkVocabulary();
const url = readUrl(window.location.search, vocab);
const display = readDisplayParams(window.location.search, window.location.hash, embeddableIds());
const fromHash = decodeHash(window.location.hash, vocab);
const link = fromHash.present || !url.legacy ? fromHash : url.legacy;
useLab.setState({ config: link.state.config, view: link.state.view, selectedInstance: link.state.instance, urlErrors: [...display.errors, ...link.errors] });
initDisplay(display, link.state.panel);
// a paper view's seed from the link: its session waits with it until the view opens
if (link.state.viewSeed !== undefined) getViewsController().setOverrides(link.state.view, { seed: link.state.viewSeed });

// The controller (and its worker) lives outside React, so StrictMode's double mount cannot spawn two workers.
const controller = createLabController({ backends: url.backends ?? ['wasm', 'cpu'], engine: url.engine, autoplay: url.autoplay });
startUrlSync(controller, vocab);
exposeTestHooks(controller);

/**
 * The page. It re-renders (without re-mounting, so no view restarts its training) when the theme
 * changes: the figures then redraw with that theme's colour scales.
 */
function Root() {
  useUi((s) => resolvedTheme(s));
  return display.embed ? <EmbedApp id={display.embed} /> : <App />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LabControllerContext.Provider value={controller}>
      <Root />
    </LabControllerContext.Provider>
  </StrictMode>,
);
