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
