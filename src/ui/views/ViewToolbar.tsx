// The head of every paper view: what the paper found and what to look for, the controls of the
// view's training (pause, train again with another seed) and its progress, run by run.

import { useId, useMemo, useState, type ReactNode } from 'react';
import { findViewSpec } from '../../engine/views/views.ts';
import { aboutSeconds, browserEstimateStore, estimateSession, secondsLeft } from '../../state/viewEstimate.ts';
import { getViewsController } from '../../state/viewsController.ts';
import { sessionProgress, trainingSeconds, useViews, type PassState } from '../../state/viewStore.ts';
import { ProgressBar } from '../charts/ProgressBar.tsx';
import { count } from '../format.ts';
import { useSession } from './viewSession.ts';

const STATUS_WORDS: Record<PassState['status'], string> = { waiting: 'waiting', training: 'training', paused: 'paused', done: 'done' };

interface ViewToolbarProps {
  viewId: string;
  /** what the paper found, what to look for */
  children: ReactNode;
}

export function ViewToolbar({ viewId, children }: ViewToolbarProps) {
  const spec = findViewSpec(viewId);
  const session = useSession(viewId);
  const current = useViews((s) => s.current);
  const notice = useViews((s) => s.notice);
  const seedId = useId();
  const seedNow = session?.runs[0]?.passes[0]?.config.seed ?? 1;
  const [seed, setSeed] = useState<string>('');
  const [errors, setErrors] = useState<string[]>([]);
  const progress = sessionProgress(session);
  const mine = current?.viewId === viewId;
  const paused = mine && session?.runs[current.run]?.passes[current.pass]?.status === 'paused';
  // training time only: paused time does not count
  const elapsed = trainingSeconds(session, performance.now());
  // the estimate as it stood when this session was made (it does not move as passes finish and teach the rate)
  const estimate = useMemo(() => (session ? estimateSession(session, browserEstimateStore()) : null), [session?.viewId, session?.overrides]); // eslint-disable-line react-hooks/exhaustive-deps
  const left = session && estimate && !progress.finished ? secondsLeft(session, elapsed, estimate) : null;
  const estimateWords = estimate ? `${aboutSeconds(estimate.seconds)} on this machine${estimate.source === 'last' ? ' (last time)' : estimate.source === 'guess' ? ' (a rough guess until a view has run here)' : ''}` : null;
  const percent = Math.round((100 * progress.done) / Math.max(1, progress.total));
  const passes = session?.runs.flatMap((r) => r.passes) ?? [];
  const cachedPasses = passes.filter((p) => p.cached).length;
  const stoppedPasses = passes.filter((p) => p.stoppedEarly !== null).length;
  const views = getViewsController();

  const restart = () => {
    const raw = seed.trim() === '' ? seedNow : seed.trim();
    const errs = views.restart(viewId, { seed: raw as unknown as number });
    setErrors(errs);
  };

  return (
    <section className="view-head panel panel-wide" data-view-head={viewId} aria-labelledby={`${viewId}-head-title`}>
      <div className="view-head-text">
        <h2 id={`${viewId}-head-title`}>{spec?.title}</h2>
        <div className="view-intro">{children}</div>
      </div>
      <div className="view-head-controls">
        <div className="button-row">
          <button type="button" className="primary" disabled={!mine} onClick={() => (paused ? views.play() : views.pause())} data-action="view-pause">
            {progress.finished ? '✓ Finished' : paused ? '▶ Resume' : '❚❚ Pause'}
          </button>
          <button type="button" onClick={restart} data-action="view-restart" title="Train every model of this view again from step 0">
            ↻ Train again
          </button>
        </div>
        <div className="field-head view-seed">
          <label htmlFor={seedId}>seed</label>
          <input
            id={seedId}
            className="field-input"
            inputMode="numeric"
            placeholder={String(seedNow)}
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && restart()}
            aria-invalid={errors.length > 0}
          />
        </div>
        {errors.length > 0 && <div className="field-error" role="alert">{errors.map((e) => <p key={e}>{e}</p>)}</div>}
        <ProgressBar
          className="view-progress"
          label={progress.finished ? 'finished' : 'overall'}
          value={progress.done}
          max={progress.total}
          valueText={progress.finished ? `finished, ${elapsed.toFixed(0)} seconds of training` : `${percent} percent, ${elapsed.toFixed(0)} seconds of training${left !== null ? `, ${aboutSeconds(left).replace(/ s$/, ' seconds').replace(/ min$/, ' minutes')} left` : ''}`}
          detail={progress.finished ? `100% · ${elapsed.toFixed(1)} s of training` : `${percent}% · ${elapsed.toFixed(1)} s${left !== null ? ` · ${aboutSeconds(left)} left` : ''}`}
        />
        {estimateWords && !progress.finished && (
          <p className="view-estimate" data-view-estimate={estimate?.seconds.toFixed(1)}>
            Whole view: {estimateWords}
          </p>
        )}
        <ol className="view-runs" data-finished={progress.finished || undefined}>
          {session?.runs.map((r) => (
            <li key={r.spec.id} data-run={r.spec.id}>
              <span className="view-run-label">{r.spec.label}</span>
              {r.passes.map((p, i) => (
                <span key={i} className={`view-pass view-pass-${p.status}`} data-cached={p.cached || undefined} data-stopped-early={p.stoppedEarly ?? undefined} title={`${r.passes.length > 1 ? `pass ${i + 1} (seed ${p.config.seed}): ` : ''}${STATUS_WORDS[p.status]}, ${count(p.step)} / ${count(p.totalSteps)} steps${p.stoppedEarly !== null ? ' (stopped early: its result had settled)' : ''}${p.cached ? ', from the cache' : p.seconds ? `, ${p.seconds.toFixed(1)} s` : ''}`}>
                  {r.passes.length > 1 ? `${i + 1}: ` : ''}
                  {p.status === 'done' ? (p.cached ? '✓ cached' : `✓ ${p.seconds.toFixed(1)} s`) : p.status === 'waiting' ? '…' : `${Math.round((100 * p.step) / p.totalSteps)}%`}
                </span>
              ))}
            </li>
          ))}
        </ol>
        {(cachedPasses > 0 || stoppedPasses > 0) && (
          <p className="view-estimate" data-view-cached={cachedPasses} data-view-stopped={stoppedPasses}>
            {cachedPasses > 0 ? `${cachedPasses === passes.length ? 'All' : `${cachedPasses} of ${passes.length}`} from an earlier run with these settings on this machine (cached). ` : ''}
            {stoppedPasses > 0 ? `${stoppedPasses} stopped early: the result had settled.` : ''}
          </p>
        )}
        {notice && <p className="notice notice-warning">{notice}</p>}
      </div>
    </section>
  );
}
