import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createLabController } from './state/labController.ts';
import { useLab } from './state/labStore.ts';
import { applyInitialLink, readLocation, startUrlSync } from './state/location/index.ts';
import { resolvedTheme, useUi } from './state/uiStore.ts';
import { App } from './ui/App.tsx';
import { EmbedApp } from './ui/embed/EmbedApp.tsx';
import { findPanel, findView } from './ui/catalog.ts';
import { LabControllerContext } from './ui/LabContext.tsx';
import { embeddableIds, linkVocabulary } from './ui/linkVocabulary.ts';
import { exposeTestHooks } from './ui/testHooks.ts';
import { initDisplay } from './ui/theme.ts';
import './ui/styles.css';
import './ui/theme.css';

// Everything the address says, read once through the location codec: the run and every tab's
// settings (the hash, or the old ?n=5&m=2 form), how the page is shown (?embed= ?hide= ?present=
// ?theme=) and how it runs (?backend= ?engine= ?autoplay=). Problems become notices.
const vocab = linkVocabulary();
const { page, display, link, errors } = readLocation(window.location.search, window.location.hash, vocab, embeddableIds());
applyInitialLink(link.state);
useLab.setState({ urlErrors: errors });
initDisplay(display, link.state.panel);

// The controller (and its worker) lives outside React, so StrictMode's double mount cannot spawn two workers.
// An embed of a view with its own controls does not show the live lab, so the lab's model does not train there.
// (a panel id wins over a view id, as in EmbedApp: ?embed=dimensionality is the lab's panel)
const embedsOtherView = !!display.embed && !findPanel(display.embed) && !!findView(display.embed)?.ownControls;
const controller = createLabController({ backends: page.backends ?? ['wasm', 'cpu'], engine: page.engine, autoplay: embedsOtherView ? false : page.autoplay });
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
