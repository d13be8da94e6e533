// Small buttons in every panel's header: save as SVG or PNG, copy embed code, copy a link to the panel.

import { useHidden, useUi } from '../../state/uiStore.ts';
import { copyPanelLink, exportPanel, openEmbedDialog } from './actions.ts';

export function PanelTools({ id, title }: { id: string; title: string }) {
  const hidden = useHidden('share');
  const embed = useUi((s) => s.embed);
  if (hidden) return null;
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
          <button type="button" className="tool-button" onClick={() => openEmbedDialog(id, title)} aria-label={`Embed code for “${title}”`} title="Copy the <iframe> code to embed this panel" data-action="embed-code">
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
