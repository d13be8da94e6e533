// Small buttons in every panel's header: save as SVG or PNG, copy embed code, copy a link to the panel.

import { useLab } from '../../state/labStore.ts';
import { useHidden, useUi } from '../../state/uiStore.ts';
import { findPanel, findView } from '../catalog.ts';
import { copyPanelLink, exportPanel, openEmbedDialog } from './actions.ts';

export function PanelTools({ id, title }: { id: string; title: string }) {
  const hidden = useHidden('share');
  const embed = useUi((s) => s.embed);
  const view = findView(useLab((s) => s.view));
  if (hidden) return null;
  // a panel that cannot stand alone is embedded with its whole view
  const embedId = findPanel(id) || !view ? id : view.id;
  const embedTitle = embedId === id ? title : view!.title;
  return (
    <div className="panel-tools" role="group" aria-label={`Save or share “${title}”`}>
      <button type="button" className="tool-button" onClick={() => void exportPanel(id, 'svg')} aria-label={`Save “${title}” as SVG`} title="Save as SVG (vector)" data-export="svg">
        SVG
      </button>
      <button type="button" className="tool-button" onClick={() => void exportPanel(id, 'png')} aria-label={`Save “${title}” as PNG`} title="Save as PNG (3× resolution)" data-export="png">
        PNG
      </button>
      {!embed && (
        <>
          <button type="button" className="tool-button" onClick={() => openEmbedDialog(embedId, embedTitle)} aria-label={`Embed code for “${embedTitle}”`} title="Copy the <iframe> code to embed this panel" data-action="embed-code">
            Embed
          </button>
          <button type="button" className="tool-button" onClick={() => void copyPanelLink(id)} aria-label={`Copy a link to “${title}”`} title="Copy a link that opens this run at this panel" data-action="panel-link">
            Link
          </button>
        </>
      )}
    </div>
  );
}
