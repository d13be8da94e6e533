// What the share and export buttons do (and the keyboard shortcuts that reach them). Each action
// reads the stores at the moment it runs and reports through the UI store's message line.

import { embedSnippet, type EmbedOptions } from '../../state/embedCode.ts';
import { buildRunFile, parseRunFile, runFileName, MAX_IMPORT_BYTES, IMPORT_LIMIT, megabytes } from '../../state/export/runJson.ts';
import { pytorchScript, pytorchScriptFileName } from '../../state/export/pytorchScript.ts';
import type { LabController } from '../../state/labController.ts';
import { selectInstance, setView, useLab } from '../../state/labStore.ts';
import { showMessage, useUi } from '../../state/uiStore.ts';
import { currentLink, currentUrl, encodeHash, pageBase } from '../../state/location/index.ts';
import { downloadBlob, downloadText } from '../export/download.ts';
import { panelToSvg } from '../export/panelSvg.ts';
import { svgToPng } from '../export/rasterize.ts';
import { exportFileName, PNG_SCALE } from '../export/svgCompose.ts';
import { linkVocabulary } from '../linkVocabulary.ts';
import { useSae } from '../../state/saeStore.ts';
import { FILE_LINK_CAVEAT } from '../panels/sae/fileText.ts';

const problem = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Copy to the clipboard; where that is not allowed, show the text in a dialog to copy by hand. */
export async function copyText(text: string, what: string, caveat = ''): Promise<boolean> {
  try {
    if (!navigator.clipboard) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    showMessage({ kind: 'info', text: `${what} copied to the clipboard.${caveat}` });
    return true;
  } catch {
    useUi.setState({ copyDialog: { title: what, text, note: `The clipboard is not available here: select the text and copy it (Ctrl+C / ⌘C).${caveat}` } });
    return false;
  }
}

export function copyLink(): Promise<boolean> {
  return copyText(currentUrl(), 'Link to this run', linkCaveat());
}

/** What a link leaves out: the SAE tab's activations file (a link holds settings, never a file). */
function linkCaveat(): string {
  return useLab.getState().view === 'sae' && useSae.getState().base === 'file' ? ` ${FILE_LINK_CAVEAT}` : '';
}

export function copyPanelLink(panel: string): Promise<boolean> {
  useUi.setState({ panel });
  return copyText(currentUrl(), 'Link to this panel', linkCaveat());
}

export function embedOptions(id: string, title: string, hide: readonly string[] = []): EmbedOptions {
  const { presentation } = useUi.getState();
  return {
    base: pageBase(),
    hash: encodeHash({ ...currentLink(), panel: null }),
    id,
    title,
    hide,
    presentation,
  };
}

export function openEmbedDialog(id: string, title: string): void {
  useUi.setState({ copyDialog: { title: `Embed “${title}”`, text: embedSnippet(embedOptions(id, title)), note: 'Paste this into a web page or slide tool that accepts HTML.', embed: { id, title } } });
}

function findPanelElement(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-panel="${CSS.escape(id)}"]`);
  if (!el) throw new Error(`no panel "${id}" on the page`);
  return el;
}

export async function exportPanel(id: string, format: 'svg' | 'png'): Promise<void> {
  try {
    const picture = panelToSvg(findPanelElement(id));
    if (format === 'svg') downloadText(picture.svg, exportFileName(picture.title, 'svg'), 'image/svg+xml');
    else downloadBlob(await svgToPng(picture.svg, picture.width, picture.height, PNG_SCALE), exportFileName(picture.title, 'png'));
    showMessage({ kind: 'info', text: `Saved “${picture.title}” as ${format.toUpperCase()}${format === 'png' ? ` (${picture.width * PNG_SCALE} × ${picture.height * PNG_SCALE} px)` : ''}.` });
  } catch (e) {
    showMessage({ kind: 'error', text: `Could not export the panel: ${problem(e)}` });
  }
}

export function exportRun(): void {
  const s = useLab.getState();
  try {
    if (!s.snapshot || !s.runConfig) throw new Error('the run has not started yet');
    const file = buildRunFile({
      config: s.runConfig,
      snapshot: s.snapshot,
      history: s.history,
      engine: s.run?.engine ?? '',
      backend: s.run?.engine === 'tfjs' ? (s.run?.backend ?? null) : null,
      seconds: s.run ? (s.run.step * s.run.msPerStep) / 1000 : 0,
      view: s.view,
      selectedInstance: s.selectedInstance,
    });
    downloadText(JSON.stringify(file) + '\n', runFileName(s.runConfig), 'application/json');
    showMessage({ kind: 'info', text: `Saved the run (step ${file.steps}) as JSON; the CLI writes the same format.` });
  } catch (e) {
    showMessage({ kind: 'error', text: `Could not export the run: ${problem(e)}` });
  }
}

export function exportPytorch(): void {
  const { config } = useLab.getState();
  try {
    downloadText(pytorchScript(config), pytorchScriptFileName(config), 'text/x-python');
    showMessage({ kind: 'info', text: 'Saved a PyTorch script for this config: run it with python3; it prints the final loss of each instance.' });
  } catch (e) {
    showMessage({ kind: 'error', text: `Could not write the script: ${problem(e)}` });
  }
}

/** Read a run file, check it, and restore its config and view (the run retrains from its seed). */
export async function importRun(file: File, controller: LabController): Promise<boolean> {
  if (file.size > MAX_IMPORT_BYTES) {
    showMessage({ kind: 'error', text: `Could not open ${file.name}: the file is too large (${megabytes(file.size)}; ${IMPORT_LIMIT}).` });
    return false;
  }
  const result = parseRunFile(await file.text(), linkVocabulary().views);
  if (!result.ok) {
    showMessage({ kind: 'error', text: `Could not open ${file.name}: it is not a valid run file.`, details: result.errors });
    return false;
  }
  const errors = controller.applyConfig(result.config, result.config);
  if (errors.length) {
    showMessage({ kind: 'error', text: `Could not open ${file.name}.`, details: errors });
    return false;
  }
  if (result.view) setView(result.view);
  selectInstance(result.selectedInstance);
  showMessage({ kind: 'info', text: `Opened ${file.name}: its config (seed ${result.config.seed}) is training again; the same seed gives the same run.` });
  return true;
}
