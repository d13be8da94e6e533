// Tabs that switch between the views.

import { setView, useLab } from '../../state/labStore.ts';
import { useHidden } from '../../state/uiStore.ts';
import { aboutSeconds, browserEstimateStore, estimateView } from '../../state/viewEstimate.ts';
import { useViews } from '../../state/viewStore.ts';
import { VIEWS } from '../catalog.ts';

export function ViewTabs() {
  const view = useLab((s) => s.view);
  const hidden = useHidden('tabs');
  const sessions = useViews((s) => s.sessions);
  if (VIEWS.length < 2 || hidden) return null;
  return (
    <nav className="view-tabs" aria-label="Views">
      <div role="tablist" className="view-tablist">
        {VIEWS.map((v) => {
          // a paper view not trained yet: how long it should take here
          const estimate = sessions[v.id]?.finishedAt == null ? estimateView(v.id, sessions[v.id]?.overrides ?? {}, browserEstimateStore()) : null;
          const title = estimate ? `${v.description} (training takes ${aboutSeconds(estimate.seconds)} on this machine)` : v.description;
          return (
            <button key={v.id} type="button" role="tab" aria-selected={v.id === view} className={v.id === view ? 'active' : ''} title={title} data-estimate={estimate?.seconds.toFixed(1)} onClick={() => setView(v.id)}>
              {v.title}
            </button>
          );
        })}
      </div>
    </nav>
  );
}
