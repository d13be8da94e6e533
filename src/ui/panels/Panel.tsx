// The frame every panel shares: a title, the figure, a legend slot and a plain-language caption.

import type { ReactNode } from 'react';
import { useHidden, useUi } from '../../state/uiStore.ts';
import { PanelSummary, ViewPanelSummary } from '../a11y/PanelSummary.tsx';
import { PanelTools } from '../share/PanelTools.tsx';

interface PanelProps {
  id: string;
  title: ReactNode;
  /** small text right of the title (e.g. which instance) */
  subtitle?: ReactNode;
  legend?: ReactNode;
  caption: ReactNode;
  className?: string;
  children: ReactNode;
  /**
   * The views' panels: a short plain-text summary of what the figure shows (null while there is
   * nothing to say), announced politely and throttled. Without it the summary comes from the lab's run.
   */
  summary?: string | null;
}

export function Panel({ id, title, subtitle, legend, caption, className, children, summary }: PanelProps) {
  const selected = useUi((s) => s.panel === id);
  const captions = !useHidden('captions');
  return (
    <figure className={`panel ${className ?? ''}`} data-panel={id} data-selected={selected || undefined} aria-labelledby={`${id}-title`}>
      <header className="panel-header">
        <h2 id={`${id}-title`}>{title}</h2>
        {subtitle && <span className="panel-subtitle">{subtitle}</span>}
        <PanelTools id={id} title={typeof title === 'string' ? title : id} />
      </header>
      <div className="panel-body">{children}</div>
      {legend && <div className="panel-legend">{legend}</div>}
      {captions && <figcaption className="panel-caption">{caption}</figcaption>}
      {summary === undefined ? <PanelSummary id={id} /> : <ViewPanelSummary id={id} text={summary} />}
    </figure>
  );
}

/** What a panel shows before the first snapshot arrives. */
export function Waiting() {
  return <p className="panel-waiting">Starting the training worker…</p>;
}
