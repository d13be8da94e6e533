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
import { checkCompareArgs } from './compareCommand';
import type { ComparePair } from '../engine/compare/settings';
import { readFileSync, statSync } from 'node:fs';
import { ACTIVATION_LIMITS, parseActivations, parseTruth, type ActivationMatrix, type ParseResult } from '../engine/sae/activationsFile';
import type { SaeFileData } from '../engine/sae/run';
import { checkGridCommand } from './gridCommand';
import type { GridCliOptions } from './gridCommand';
import type { GridConfig } from '../engine/grid/config';

export type Plan =
  | { kind: 'help'; text: string }
  | { kind: 'errors'; errors: string[] }
  | { kind: 'train'; config: LabConfig; options: CliOptions }
  | { kind: 'view'; target: string; raw: Record<string, string>; config: LabConfig; options: CliOptions }
  | { kind: 'sae'; config: LabConfig; sae: SaeConfig; options: CliOptions; file?: SaeFileData }
  | { kind: 'sae-sweep'; sae: SaeConfig; options: CliOptions }
  | { kind: 'induction'; config: InductionConfig; options: CliOptions }
  | { kind: 'rome'; config: RomeCliConfig; options: CliOptions }
  | { kind: 'monitor'; config: MonitorConfig; options: CliOptions }
  | { kind: 'compare'; pair: ComparePair; options: CliOptions }
  | { kind: 'grid'; config: GridConfig; options: GridCliOptions };

/** The settings typed on the command line, validated, to lay over a view's presets. */
export function viewOverrides(raw: Record<string, string>, config: LabConfig): Partial<LabConfig> {
  return Object.fromEntries(Object.keys(raw).map((k) => [k, config[k as keyof LabConfig]])) as Partial<LabConfig>;
}

/** Every problem with a command line, before any work, or what to run. */
export function checkCommandLine(argv: readonly string[]): Plan {
  if (argv[0] === 'compare') return withOut(checkCompareArgs(argv.slice(1)));
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
      const path = saeRaw.data?.startsWith('file:') ? saeRaw.data.slice(5) : null;
      const sae = validateSaeConfig(path !== null ? { ...saeRaw, data: 'file' } : saeRaw, undefined, flag);
      problems.push(...toy.errors, ...sae.errors);
      const file = sae.ok && (sae.config.data === 'file' || options.truth !== null) ? checkActivationFiles(path, sae.config.data === 'file', options.truth, problems) : undefined;
      if (file === null) return null;
      return toy.ok && sae.ok ? { kind: 'sae', config: toy.config, sae: sae.config, options, ...(file ? { file } : {}) } : null;
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

/** The compare command parses its own --b flags; --out is checked the same way. */
function withOut(plan: ReturnType<typeof checkCompareArgs>): Plan {
  if (plan.kind !== 'compare' || plan.options.out === null) return plan;
  const e = checkOut(plan.options.out);
  return e ? { kind: 'errors', errors: [e] } : plan;
}

/** Read and validate `--data file:PATH` and `--truth file:PATH`; null (problems pushed) when either is bad. */
function checkActivationFiles(path: string | null, dataIsFile: boolean, truthPath: string | null, problems: string[]): SaeFileData | null {
  if (path === null && truthPath !== null && !dataIsFile) {
    problems.push('--truth needs --data file:PATH (the toy and sharkey data bring their own directions)');
    return null;
  }
  if (path === null || path === '') {
    problems.push('--data file needs a path, e.g. --data file:acts.npy');
    return null;
  }
  const data = readChecked(path, `--data file:${path}`, problems, parseActivations);
  if (!data) return null;
  const truth = truthPath === null ? null : readChecked(truthPath, `--truth file:${truthPath}`, problems, (b) => parseTruth(b, data.cols));
  if (truthPath !== null && !truth) return null;
  return { data, truth };
}

function readChecked(path: string, label: string, problems: string[], parse: (b: Uint8Array) => ParseResult<ActivationMatrix>): ActivationMatrix | null {
  let bytes: Uint8Array;
  try {
    const st = statSync(path);
    if (!st.isFile()) {
      problems.push(`${label}: not a regular file`);
      return null;
    }
    if (st.size > ACTIVATION_LIMITS.maxFileBytes) {
      problems.push(`${label}: the file is ${st.size} bytes; the largest accepted is ${ACTIVATION_LIMITS.maxFileBytes}`);
      return null;
    }
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    problems.push(`${label}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code ?? String(e)}`);
    return null;
  }
  const r = parse(bytes);
  if (!r.ok) {
    problems.push(...r.errors.map((e) => `${label}: ${e}`));
    return null;
  }
  return r.value;
}
