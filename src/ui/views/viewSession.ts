// Hooks for the paper's views: open a view's training while it is shown (pausing the live lab's
// run meanwhile), and read its session from the views store.

import { useEffect } from 'react';
import { useLab } from '../../state/labStore.ts';
import { getViewsController } from '../../state/viewsController.ts';
import { useViews, whenViewsIdle, type RunState, type ViewSession } from '../../state/viewStore.ts';
import { useController } from '../LabContext.tsx';

/** The lab's run was paused by a view and should go on when the lab comes back. */
let labPausedByViews = false;
/** A left view still training: the lab's run resumes when it is done (this cancels that). */
let cancelLabResume: () => void = () => {};

/**
 * Train this view; the live lab's run pauses meanwhile (two trainings would share the two cores). When the tab is
 * left the view keeps training, and the lab's run resumes once no view needs the cores.
 */
export function useViewSession(viewId: string): void {
  const lab = useController();
  useEffect(() => {
    cancelLabResume();
    const pauseLab = (playing: boolean | undefined) => {
      if (!playing) return;
      lab.pause();
      labPausedByViews = true;
    };
    pauseLab(useLab.getState().run?.playing);
    // the lab's run may start (or be restarted) while the view is open: it waits too
    const unsubscribe = useLab.subscribe((s, prev) => {
      if (s.run?.playing && !prev.run?.playing && s.view === viewId) pauseLab(true);
    });
    const views = getViewsController();
    views.open(viewId);
    return () => {
      unsubscribe();
      views.leave(viewId);
      cancelLabResume = whenViewsIdle(() => {
        if (labPausedByViews && useLab.getState().view === 'lab') {
          labPausedByViews = false;
          lab.play();
        }
      });
    };
  }, [viewId, lab]);
}

export function useSession(viewId: string): ViewSession | undefined {
  return useViews((s) => s.sessions[viewId]);
}

export function useRun(viewId: string, runId: string): RunState | undefined {
  return useViews((s) => s.sessions[viewId]?.runs.find((r) => r.spec.id === runId));
}

/** The latest snapshot of a run: the pass in progress, else the last one that has one. */
export function latestSnapshot(run: RunState | undefined) {
  if (!run) return null;
  const training = run.passes.find((p) => p.status === 'training' || p.status === 'paused');
  if (training?.snapshot) return { pass: run.passes.indexOf(training), snapshot: training.snapshot, config: training.config };
  for (let i = run.passes.length - 1; i >= 0; i--) {
    const p = run.passes[i];
    if (p.snapshot) return { pass: i, snapshot: p.snapshot, config: p.config };
  }
  return null;
}
