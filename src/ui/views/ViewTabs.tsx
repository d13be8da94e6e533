// Tabs that switch between the views.

import { setView, useLab } from '../../state/labStore.ts';
import { VIEWS } from './registry.ts';

export function ViewTabs() {
  const view = useLab((s) => s.view);
  if (VIEWS.length < 2) return null;
  return (
    <nav className="view-tabs" aria-label="Views">
      {VIEWS.map((v) => (
        <button key={v.id} type="button" role="tab" aria-selected={v.id === view} className={v.id === view ? 'active' : ''} title={v.description} onClick={() => setView(v.id)}>
          {v.title}
        </button>
      ))}
    </nav>
  );
}
