// Everything the CLI checks before any work: the flags, every config (each run of a --view with its
// presets, the sweep's largest dictionary) and where the output goes. Either a plan to run or the
// problems, one line each (exit 2). Loads no TF.js, trains nothing, so bad input is answered at once.

import { DEFAULT_CONFIG, FIELDS, validateConfig, type LabConfig } from '../engine/toy/config';
import { validateFields } from '../engine/shared/fields';
import { validateSaeConfig, type SaeConfig } from '../engine/sae/config';
import { validateInductionConfig, type InductionConfig } from '../engine/transformer/config';
import { validateRomeCli, type RomeCliConfig } from '../engine/rome/config';
import { viewClashes } from '../engine/views/views';
import { helpText, parseArgs, type CliOptions, type Command } from './args';
import { inductionHelp } from './inductionCommand';
import { monitorCliErrors, monitorHelp } from './monitorCommand';
import { validateMonitorConfig, type MonitorConfig } from '../engine/monitor/config';
import { sweepRatioErrors, validateSweepSae } from './saeCommands';
import { checkOut } from './output';
import { checkGridCommand } from './gridCommand';
import type { GridCliOptions } from './gridCommand';
import type { GridConfig } from '../engine/grid/config';

export type Plan =
  | { kind: 'help'; text: string }
  | { kind: 'errors'; errors: string[] }
  | { kind: 'train'; config: LabConfig; options: CliOptions }
  | { kind: 'view'; target: string; raw: Record<string, string>; config: LabConfig; options: CliOptions }
  | { kind: 'sae'; config: LabConfig; sae: SaeConfig; options: CliOptions }
  | { kind: 'sae-sweep'; sae: SaeConfig; options: CliOptions }
  | { kind: 'induction'; config: InductionConfig; options: CliOptions }
  | { kind: 'rome'; config: RomeCliConfig; options: CliOptions }
  | { kind: 'monitor'; config: MonitorConfig; options: CliOptions }
  | { kind: 'grid'; config: GridConfig; options: GridCliOptions };

/** The settings typed on the command line, validated, to lay over a view's presets. */
export function viewOverrides(raw: Record<string, string>, config: LabConfig): Partial<LabConfig> {
  return Object.fromEntries(Object.keys(raw).map((k) => [k, config[k as keyof LabConfig]])) as Partial<LabConfig>;
}

/** Every problem with a command line, before any work, or what to run. */
export function checkCommandLine(argv: readonly string[]): Plan {
  if (argv[0] === 'grid') return checkGridCommand(argv.slice(1));
  const { command, raw, saeRaw, options, errors } = parseArgs(argv);
  if (options.help) return { kind: 'help', text: command === 'induction' ? inductionHelp() : command === 'monitor' ? monitorHelp() : helpText() };
  const problems = [...errors];
  const plan = checkCommand(command, raw, saeRaw, options, problems);
  if (options.out !== null) {
    const e = checkOut(options.out);
    if (e) problems.push(e);
  }
  return problems.length || !plan ? { kind: 'errors', errors: dedupe(problems) } : plan;
}

function checkCommand(command: Command, raw: Record<string, string>, saeRaw: Record<string, string>, options: CliOptions, problems: string[]): Plan | null {
  const flag = { naming: 'flag' } as const;
  switch (command) {
    case 'rome': {
      const r = validateRomeCli(raw);
      problems.push(...r.errors);
      return r.ok ? { kind: 'rome', config: r.config, options } : null;
    }
    case 'induction': {
      const r = validateInductionConfig(raw, undefined, flag);
      problems.push(...r.errors);
      return r.ok ? { kind: 'induction', config: r.config, options } : null;
    }
    case 'monitor': {
      const r = validateMonitorConfig(raw, undefined, flag);
      const cli = r.ok ? monitorCliErrors(r.config) : [];
      problems.push(...r.errors, ...cli);
      return r.ok && !cli.length ? { kind: 'monitor', config: r.config, options } : null;
    }
    case 'sae-sweep': {
      const sweep = validateSweepSae(saeRaw);
      problems.push(...sweep.errors);
      // the ratios are checked against a config that is otherwise right (one problem, one line)
      if (sweep.errors.length || !sweep.checked.ok) return null;
      const ratioErrors = sweepRatioErrors(options, sweep.checked.config);
      problems.push(...ratioErrors);
      return ratioErrors.length ? null : { kind: 'sae-sweep', sae: sweep.checked.config, options };
    }
    case 'sae': {
      const toy = validateConfig(raw, undefined, flag);
      const sae = validateSaeConfig(saeRaw, undefined, flag);
      problems.push(...toy.errors, ...sae.errors);
      return toy.ok && sae.ok ? { kind: 'sae', config: toy.config, sae: sae.config, options } : null;
    }
    case 'train': {
      if (options.view) {
        // the typed settings alone, then each run of the view with its presets: every problem before any training
        // (field by field only: a clash between settings is judged on each run's combined config)
        const toy = validateFields(FIELDS, raw, DEFAULT_CONFIG, flag, () => []);
        problems.push(...toy.errors);
        if (!toy.ok) return null;
        const clashes = viewClashes(options.view, viewOverrides(raw, toy.config), flag);
        problems.push(...clashes);
        return clashes.length ? null : { kind: 'view', target: options.view, raw, config: toy.config, options };
      }
      const toy = validateConfig(raw, undefined, flag);
      problems.push(...toy.errors);
      return toy.ok ? { kind: 'train', config: toy.config, options } : null;
    }
  }
}

const dedupe = (xs: string[]) => [...new Set(xs)];
