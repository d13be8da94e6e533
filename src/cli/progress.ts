// A one-line progress bar on a terminal: steps, steps/s and loss, redrawn at most 10 times a second.

import type { RunProgress } from '../engine/toy/runner';

export function progressBar(stream: NodeJS.WriteStream): { update(p: RunProgress): void; done(): void } {
  let last = 0;
  const draw = (p: RunProgress) => {
    const width = 30;
    const filled = Math.round((p.step / p.total) * width);
    const mean = p.losses.reduce((a, b) => a + b, 0) / p.losses.length;
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.step}/${p.total} steps  ${Math.round(p.stepsPerSecond)} steps/s  loss ${mean.toPrecision(4)}\x1b[K`);
  };
  let latest: RunProgress | null = null;
  return {
    update(p) {
      latest = p;
      const now = performance.now();
      if (now - last < 100 && p.step < p.total) return;
      last = now;
      draw(p);
    },
    done() {
      if (latest) draw(latest);
      stream.write('\n');
    },
  };
}

/** mm:ss, or h:mm:ss from an hour */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const t = Math.round(seconds);
  const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), sec = t % 60;
  const two = (x: number) => String(x).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`;
}

export interface SweepProgress {
  /** dictionary size being trained, 0-based, and how many */
  row: number;
  rows: number;
  ratio: number;
  dictSize: number;
  /** steps of this size done, of each size's total */
  step: number;
  steps: number;
  /** work (steps × latents) done and in total, over the whole sweep */
  workDone: number;
  workTotal: number;
  elapsedSeconds: number;
}

/** One line for the SAE sweep: the bar over the whole sweep's work, the current size, elapsed and ETA. */
export function sweepLine(p: SweepProgress): string {
  const width = 30;
  const frac = p.workTotal ? p.workDone / p.workTotal : 1;
  const filled = Math.round(frac * width);
  const eta = frac > 0 ? (p.elapsedSeconds * (1 - frac)) / frac : NaN;
  const row = Math.min(p.row + 1, p.rows);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * frac).toFixed(1)}%  D/G ${p.ratio} (D = ${p.dictSize}, size ${row}/${p.rows}) step ${p.step}/${p.steps}  elapsed ${clock(p.elapsedSeconds)}  ETA ${clock(eta)}`;
}

/** sweepLine on a terminal, redrawn at most twice a second; lines of their own go above it. */
export function sweepProgressBar(stream: NodeJS.WriteStream): { update(p: SweepProgress): void; line(text: string): void; done(): void } {
  let last = 0;
  let latest: SweepProgress | null = null;
  const draw = () => latest && stream.write(`\r${sweepLine(latest)}\x1b[K`);
  return {
    update(p) {
      latest = p;
      const now = performance.now();
      if (now - last < 500) return;
      last = now;
      draw();
    },
    line(text) {
      stream.write(`\r${text}\x1b[K\n`);
      draw();
    },
    done() {
      draw();
      stream.write('\n');
    },
  };
}
