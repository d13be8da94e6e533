// The frame every panel shares: a title and its tools, then either the figure with a legend slot
// and a plain-language caption, or (before there is anything to draw) a waiting message.

import type { ReactElement, ReactNode, Ref } from 'react';
import { useHidden, useUi } from '../../state/uiStore.ts';
import { PanelSummary, ViewPanelSummary } from '../a11y/PanelSummary.tsx';
import { PanelTools } from '../share/PanelTools.tsx';

interface FrameProps {
  id: string;
  title: ReactNode;
  className?: string;
  /**
   * The views' panels: a short plain-text summary of what the figure shows (null while there is
   * nothing to say), announced politely and throttled. Without it the summary comes from the lab's run.
   */
  summary?: string | null;
}

interface FigureProps extends FrameProps {
  /** small text right of the title (e.g. which instance) */
  subtitle?: ReactNode;
  legend?: ReactNode;
  caption: ReactNode;
  children: ReactNode;
  waiting?: never;
}

interface WaitingProps extends FrameProps {
  /** what to say instead of the figure: true for "starting the worker", or a message of the panel's own */
  waiting: true | ReactElement;
  /** the body's width is measured while waiting too, so the first figure is drawn at the right size */
  bodyRef?: Ref<HTMLDivElement>;
}

export function Panel(props: FigureProps | WaitingProps) {
  const { id, title, className, summary } = props;
  const selected = useUi((s) => s.panel === id);
  const captions = !useHidden('captions');
  const figure = props.waiting === undefined ? props : null;
  const body = props.waiting === undefined ? props.children : <div ref={props.bodyRef}>{props.waiting === true ? <Waiting /> : props.waiting}</div>;
  return (
    <figure className={`panel ${className ?? ''}`} data-panel={id} data-selected={selected || undefined} aria-labelledby={`${id}-title`}>
      <header className="panel-header">
        <h2 id={`${id}-title`}>{title}</h2>
        {figure?.subtitle && <span className="panel-subtitle">{figure.subtitle}</span>}
        <PanelTools id={id} title={typeof title === 'string' ? title : id} />
      </header>
      <div className="panel-body">{body}</div>
      {figure?.legend && <div className="panel-legend">{figure.legend}</div>}
      {captions && <figcaption className="panel-caption">{figure?.caption ?? ''}</figcaption>}
      {summary === undefined ? <PanelSummary id={id} /> : <ViewPanelSummary id={id} text={summary} />}
    </figure>
  );
}

/** What a panel shows before the first snapshot arrives. */
export function Waiting() {
  return <p className="panel-waiting">Starting the training worker…</p>;
}
