import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createLabController } from './state/labController.ts';
import { useLab } from './state/labStore.ts';
import { readUrl } from './state/urlConfig.ts';
import { App } from './ui/App.tsx';
import { LabControllerContext } from './ui/LabContext.tsx';
import { exposeTestHooks } from './ui/testHooks.ts';
import './ui/styles.css';

// The controller (and its worker) lives outside React, so StrictMode's double mount cannot spawn two workers.
const url = readUrl(window.location.search);
useLab.setState({ config: url.config, urlErrors: url.errors });
const controller = createLabController({ backends: url.backends ?? ['wasm', 'cpu'], engine: url.engine, autoplay: url.autoplay });
exposeTestHooks(controller);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LabControllerContext.Provider value={controller}>
      <App />
    </LabControllerContext.Provider>
  </StrictMode>,
);
