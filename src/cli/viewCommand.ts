// `npm run lab -- --view <id>`: train one of the paper's views headless (every run and pass, with
// the view's presets and the given flags over them) and write the numbers its panels show.

import type { LabConfig } from '../engine/toy/config';
import type { CliOptions } from './args';
import { viewOverrides } from './check';

/** The JSON of a view run (version 1). */
export interface ViewRecord {
  version: 1;
  view: {
    id: string;
    /** settings given on the command line, applied over every run's preset */
    overrides: Partial<LabConfig>;
    runs: { id: string; label: string; passes: { seed: number; seconds: number; engine: string }[]; seconds: number; analysis: unknown }[];
  };
  /** one run record (the CLI's version-1 contract) per run and pass */
  runs: unknown[];
  seconds: number;
}

export async function runViewCommand(
  target: string,
  raw: Record<string, string>,
  checked: LabConfig,
  options: CliOptions,
  write: (out: string, text: string) => void,
): Promise<number> {
  const { initBackend } = await import('../engine/index');
  const { trainView } = await import('../engine/views/runner');
  const { buildRunRecord } = await import('../engine/toy/runRecord');
  const backend = (await initBackend([options.backend, 'cpu'])).active;
  // only the settings typed on the command line override the presets
  const overrides = viewOverrides(raw, checked);
  const show = !options.quiet && process.stderr.isTTY;
  const t0 = performance.now();
  let lastDraw = 0;
  const outcomes = trainView(target, {
    overrides,
    engine: options.engine === 'auto' ? undefined : options.engine,
    curvePoints: options.curvePoints,
    onProgress: show
      ? (run, pass, p) => {
          const now = performance.now();
          if (now - lastDraw < 100 && p.step < p.total) return;
          lastDraw = now;
          process.stderr.write(`\r${run.id}${pass ? ` pass ${pass + 1}` : ''}: ${p.step}/${p.total} steps, ${Math.round(p.stepsPerSecond)} steps/s\x1b[K`);
        }
      : undefined,
  });
  if (show) process.stderr.write('\n');
  const record: ViewRecord = {
    version: 1,
    view: {
      id: target,
      overrides,
      runs: outcomes.map((o) => ({
        id: o.spec.id,
        label: o.spec.label,
        passes: o.passes.map((p) => ({ seed: p.config.seed, seconds: p.seconds, engine: p.engine, stoppedEarly: p.stoppedEarly })),
        seconds: o.seconds,
        analysis: o.analysis?.result ?? null,
      })),
    },
    runs: outcomes.flatMap((o) =>
      o.passes.map((p) =>
        buildRunRecord({ config: p.config, snapshot: p.snapshot, finalLosses: p.finalLosses, lossCurve: p.lossCurve, seconds: p.seconds, engine: p.engine, backend: p.engine === 'tfjs' ? backend : null }),
      ),
    ),
    seconds: (performance.now() - t0) / 1000,
  };
  const json = JSON.stringify(record) + '\n';
  const toFile = options.out !== null && options.out !== '-';
  write(toFile ? options.out! : '-', json);
  if (!options.quiet && toFile) process.stderr.write(`wrote ${options.out}: view ${target}, ${outcomes.length} run(s) in ${record.seconds.toFixed(1)} s\n${outcomes.map(summaryLine).join('\n')}\n`);
  return 0;
}

function summaryLine(o: Awaited<ReturnType<typeof import('../engine/views/runner').trainView>>[number]): string {
  const a = o.analysis;
  const head = `  ${o.spec.id} (${o.seconds.toFixed(1)} s): `;
  if (!a) return head + 'no analysis';
  switch (a.kind) {
    case 'phase':
      return head + `${a.result.rows}×${a.result.cols} cells, ${Object.entries(a.result.counts).map(([k, v]) => `${v} ${k}`).join(', ')}${a.result.agreement !== null ? `; ${(100 * a.result.agreement).toFixed(1)}% match the closed form` : ''}`;
    case 'sweep':
      return head + a.result.instances.map((i) => `S=${i.sparsity.toFixed(3)}: ${i.represented} represented`).join(', ');
    case 'dimensionality':
      return head + `${a.result.plateau.instances.length} models on the 1/2 plateau${a.result.plateau.xRange ? ` (1/(1−S) ${a.result.plateau.xRange.map((x) => x.toFixed(2)).join('–')})` : ''}`;
    case 'feature-sets':
      return head + Object.entries(a.result.meanAngle).filter(([, v]) => Number.isFinite(v)).map(([k, v]) => `${k} ${v.toFixed(1)}°`).join(', ');
    case 'neurons':
      return head + a.result.instances.map((i) => `S=${i.sparsity.toFixed(3)}: ${(100 * i.monosemanticFraction).toFixed(0)}% monosemantic`).join(', ');
    case 'dynamics':
      return head + (a.result.jumps.length ? a.result.jumps.map((j) => `step ${j.step}: ${j.from} → ${j.to}`).join('; ') : 'no jumps');
  }
}
