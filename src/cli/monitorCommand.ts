// `npm run lab -- monitor [flags]`: detect, monitor and ablate a feature (issue 14) and write the run as
// JSON: {"version":1,"kind":"monitor",…} (src/engine/monitor/run.ts monitorRecord).

import { MONITOR_FIELDS, type MonitorConfig } from '../engine/monitor/config';
import type { FieldSpec } from '../engine/shared/fields';
import type { MonitorProgress, MonitorRecord } from '../engine/monitor/run';
import { flagRows, MONITOR_CLI_FLAGS, type CliOptions } from './args';

export function monitorHelp(): string {
  const rows: [string, string][] = [
    ...flagRows(MONITOR_FIELDS as FieldSpec<object>[]),
    ...MONITOR_CLI_FLAGS.map((f): [string, string] => [`--${f.flag}${f.boolean ? '' : ' X'}`, f.help]),
  ];
  const width = Math.max(...rows.map(([a]) => a.length)) + 2;
  return [
    'Monitor & ablate — train a base model, then detect a target feature from its hidden activations (best single',
    'neuron, matched SAE latent, linear probe), measure AUROC and false alarms, ablate it (neuron, SAE latent,',
    'direction) and report what each ablation removes and what it costs the other features.',
    '',
    'Usage: npm run lab -- monitor [flags]',
    'Example: npm run lab -- monitor --seed 1 --out monitor.json',
    'Induction base: npm run lab -- monitor --base induction (the repeat detector from the induction head vs the previous-token head)',
    '',
    'Flags (defaults: the privileged-basis model n = 10, m = 5, S = 0.95, I = 0.75^i; an SAE of 20 latents, λ = 0.03):',
    ...rows.map(([a, b]) => `  ${a.padEnd(width)}${b}`),
    '',
    'falseAlarms: the fraction of inputs with the target absent and another feature present on which the detector fires,',
    'at the threshold catching 90% of the target\'s activations above 0.1. removed: the target\'s loss increase as a',
    'fraction of its increase when dropped entirely; collateral: the other features\' summed increase in the same units.',
    '',
    'Exit codes: 0 done, 2 bad input (one line per problem on stderr), 1 failure.',
  ].join('\n');
}

export interface MonitorCommandInput {
  /** checked before any work (src/cli/check.ts) */
  config: MonitorConfig;
  options: CliOptions;
  write: (out: string, text: string) => void;
}

/** The CLI-only problems of a valid config (one line each). */
export function monitorCliErrors(config: MonitorConfig): string[] {
  return config.base === 'lab' ? ['--base lab (the live lab\'s current model) exists only in the tab; use --base toy or --base induction'] : [];
}

export async function runMonitorCommand({ config, options, write }: MonitorCommandInput): Promise<number> {
  // TF.js loads only now, so bad input is answered at once
  const { runMonitor, monitorRecord } = await import('../engine/monitor/run');
  const { initBackend } = await import('../engine/shared/backend');
  if (config.base === 'toy') await initBackend(['wasm', 'cpu']);
  const show = !options.quiet && process.stderr.isTTY;
  const result = runMonitor(config, show ? progressLine() : undefined);
  if (show) process.stderr.write('\r\x1b[K');
  const record = monitorRecord(result);
  const json = JSON.stringify(record) + '\n';
  const toFile = options.out !== null && options.out !== '-';
  write(toFile ? options.out! : '-', json);
  if (!options.quiet && toFile) process.stderr.write(`wrote ${options.out}\n${monitorSummary(record)}\n`);
  return 0;
}

function progressLine(): (p: MonitorProgress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 100) return;
    last = now;
    const what = p.phase === 'base' ? 'training the base' : p.phase === 'sae' ? 'training the SAE' : 'analysing';
    process.stderr.write(`\r${what}: ${p.done}/${p.total}\x1b[K`);
  };
}

/** A table of the record, one line per feature. */
export function monitorSummary(r: MonitorRecord): string {
  const f = (x: number | null, d = 2) => (x === null ? '–' : x.toFixed(d));
  const pct = (x: number | null, digits = 0) => {
    if (x === null) return '–';
    const v = (100 * x).toFixed(digits);
    return `${Number(v) === 0 ? (0).toFixed(digits) : v}%`;
  };
  if (r.induction) {
    const d = r.induction.detectors;
    return [
      `${r.seconds} s; repeat detector AUROC: induction head L${d.induction.layer}H${d.induction.head} ${f(d.induction.auroc, 3)} (false alarms ${pct(d.induction.falseAlarms, 1)}), previous-token head L${d.prevToken.layer}H${d.prevToken.head} ${f(d.prevToken.auroc, 3)} (${pct(d.prevToken.falseAlarms, 1)})`,
      `zeroing ${r.induction.ablation.heads.map(([l, h]) => `L${l}H${h}`).join(', ')}: removed ${pct(r.induction.ablation.removed)} of in-context copying, collateral ${f(r.induction.ablation.collateral)}`,
    ].join('\n');
  }
  return [
    `${r.seconds} s; monosemanticity per neuron ${r.base.monosemanticity.map((x) => f(x)).join(' ')}`,
    'feature | AUROC neuron/SAE/probe | false alarms neuron/SAE/probe | removed neuron/SAE/direction | collateral neuron/SAE/direction',
    ...r.features.map((x) => {
      const d = x.detectors, a = x.ablations;
      return `  ${String(x.target).padStart(2)}${x.represented ? ' ' : '*'} | ${f(d.neuron.auroc)} ${f(d.sae.auroc)} ${f(d.probe.auroc)} | ${pct(d.neuron.falseAlarms, 1)} ${pct(d.sae.falseAlarms, 1)} ${pct(d.probe.falseAlarms, 1)} | ${pct(a.neuron.removed)} ${pct(a.sae.removed)} ${pct(a.direction.removed)} | ${f(a.neuron.collateral)} ${f(a.sae.collateral)} ${f(a.direction.collateral)}`;
    }),
    '  (* not represented: ‖W_i‖ < 0.5)',
  ].join('\n');
}
