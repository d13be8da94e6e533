// A labelled progress bar (role="progressbar"), for multi-model views that take a while.

interface ProgressBarProps {
  value: number;
  max: number;
  label: string;
  /** text after the bar, e.g. "1 200 / 3 000 steps" */
  detail?: string;
  /** what a screen reader says for the value (default: detail) */
  valueText?: string;
  className?: string;
}

export function ProgressBar({ value, max, label, detail, valueText, className }: ProgressBarProps) {
  const share = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  return (
    <div className={`progress ${className ?? ''}`}>
      <span className="progress-label">{label}</span>
      <div className="progress-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={Math.round(value)} aria-valuetext={valueText ?? detail}>
        <div className="progress-fill" style={{ width: `${share * 100}%` }} />
      </div>
      {detail && <span className="progress-detail">{detail}</span>}
    </div>
  );
}
