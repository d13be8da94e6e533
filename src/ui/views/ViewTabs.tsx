// Tabs that switch between the views.

import { setView, useLab } from '../../state/labStore.ts';
import { useHidden } from '../../state/uiStore.ts';
import { VIEWS } from '../catalog.ts';

export function ViewTabs() {
  const view = useLab((s) => s.view);
  const hidden = useHidden('tabs');
  if (VIEWS.length < 2 || hidden) return null;
  return (
    <nav className="view-tabs" aria-label="Views">
      <div role="tablist" className="view-tablist">
        {VIEWS.map((v) => (
          <button key={v.id} type="button" role="tab" aria-selected={v.id === view} className={v.id === view ? 'active' : ''} title={v.description} onClick={() => setView(v.id)}>
            {v.title}
          </button>
        ))}
      </div>
    </nav>
  );
}
