// The run as JSON in the CLI's contract (engine/toy/runRecord.ts, version 1), built from what the
// page holds (latest snapshot, loss history, config), and the reverse: reading such a file back,
// validated, to restore its config and view. Pure.

import { DEFAULT_CONFIG, validateConfig, type LabConfig } from '../../engine/toy/config.ts';
import { buildRunRecord, type RunRecord } from '../../engine/toy/runRecord.ts';
import type { SnapshotMessage } from '../../worker/protocol.ts';
import type { LossHistory } from '../lossHistory.ts';

/** The CLI's record plus where the page was looking (ignored by other readers). */
export type LabRunFile = RunRecord & { view?: string; selectedInstance?: number };

/** Larger files are refused before parsing. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** A size in whole (binary) megabytes, as the import limit is stated: "50 MB". */
export const megabytes = (bytes: number): string => `${Math.max(1, Math.round(bytes / (1024 * 1024)))} MB`;

/** The import limit in words, for every message that states it. */
export const IMPORT_LIMIT = `at most ${megabytes(MAX_IMPORT_BYTES)}`;

/** Per-instance loss averaged over the last 1% of the run's steps, from the loss history (else the latest losses). */
export function tailLosses(history: Pick<LossHistory, 'steps' | 'losses' | 'instances'>, snapshot: Pick<SnapshotMessage, 'step' | 'losses' | 'finalLosses'>, totalSteps: number): number[] {
  // a finished run carries its final loss, measured over exactly the last 1 % of steps by the worker
  if (snapshot.finalLosses) return Array.from(snapshot.finalLosses);
  const K = history.instances;
  const last = snapshot.step;
  const from = last - Math.max(1, Math.floor(totalSteps / 100));
  const out: number[] = [];
  for (let k = 0; k < K; k++) {
    let sum = 0;
    let count = 0;
    for (let t = 0; t < history.steps.length; t++) {
      if (history.steps[t] > from && history.steps[t] <= last && Number.isFinite(history.losses[k][t])) {
        sum += history.losses[k][t];
        count++;
      }
    }
    out.push(count ? sum / count : snapshot.losses[k]);
  }
  return out;
}

export interface RunFileInput {
  config: LabConfig;
  snapshot: SnapshotMessage;
  history: Pick<LossHistory, 'steps' | 'losses' | 'instances'>;
  engine: string;
  backend: string | null;
  /** wall time estimate for `seconds` */
  seconds: number;
  view: string;
  selectedInstance: number;
}

export function buildRunFile(input: RunFileInput): LabRunFile {
  const { config, snapshot, history } = input;
  if (snapshot.step < 1) throw new Error('nothing to export yet: train at least one step');
  if (snapshot.K !== config.instances || snapshot.n !== config.n || snapshot.m !== config.m) {
    throw new Error('the latest snapshot belongs to another config; wait for the new run to start');
  }
  const record = buildRunRecord({
    config,
    snapshot: { ...snapshot, W2: null },
    finalLosses: tailLosses(history, snapshot, config.steps),
    lossCurve: history.steps.map((step, t) => [step, ...history.losses.map((l) => l[t])]),
    seconds: input.seconds,
    engine: input.engine,
    backend: input.backend,
  });
  return { ...record, view: input.view, selectedInstance: input.selectedInstance };
}

export function runFileName(config: LabConfig): string {
  return `superposition-run_${config.model}_n${config.n}_m${config.m}_seed${config.seed}.json`;
}

export type ImportResult =
  | { ok: true; config: LabConfig; view: string | null; selectedInstance: number; record: LabRunFile }
  | { ok: false; errors: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finiteArray = (v: unknown, length: number): boolean => Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/**
 * Read a run file (the CLI's JSON or the page's export). The config goes through validateConfig;
 * the rest is checked for the contract's shape (instances × W m×n, b n, finite losses). Every
 * problem is listed, so a user can fix the file.
 */
/** A file the lab writes that is not a run (a view's, the SAE's, …): what it is, in one sentence. */
function otherFileKind(data: Record<string, unknown>): string | null {
  if (data.config !== undefined) {
    if (typeof data.kind !== 'string') return null;
  }
  if (isObject(data.view) && Array.isArray(data.runs)) {
    const id = typeof data.view.id === 'string' ? ` ${JSON.stringify(data.view.id.slice(0, 40))}` : '';
    return `this is a view file (the paper's view${id} with ${data.runs.length} runs, written by npm run lab -- --view), not a run; the lab opens one run (npm run lab -- --out run.json, or Save run on the page)`;
  }
  if (typeof data.kind === 'string') {
    const kind = data.kind.slice(0, 40);
    return `this file is of kind ${JSON.stringify(kind)} (written by npm run lab -- ${kind}), not a run of the toy model; the lab opens runs written by npm run lab -- --out run.json or by Save run on the page`;
  }
  return null;
}

export function parseRunFile(text: string, views: readonly string[]): ImportResult {
  if (text.length > MAX_IMPORT_BYTES) return { ok: false, errors: [`the file is too large (${megabytes(text.length)}; ${IMPORT_LIMIT})`] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`the file is not JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'})`] };
  }
  if (!isObject(data)) return { ok: false, errors: ['the file must hold a JSON object (a run written by the lab or its CLI)'] };
  const other = otherFileKind(data);
  if (other) return { ok: false, errors: [other] };
  const errors: string[] = [];
  if (data.version !== 1) errors.push(`version must be 1; got ${JSON.stringify(data.version)?.slice(0, 20) ?? 'nothing'}`);
  const checked = validateConfig(data.config, DEFAULT_CONFIG);
  if (!checked.ok) errors.push(...checked.errors.map((e) => `config: ${e}`));
  if (checked.ok) {
    const { instances: K, n, m } = checked.config;
    if (!Array.isArray(data.instances) || data.instances.length !== K) {
      errors.push(`instances must be a list of ${K} runs (config.instances); got ${Array.isArray(data.instances) ? data.instances.length : typeof data.instances}`);
    } else {
      data.instances.forEach((inst: unknown, k: number) => {
        if (errors.length > 8) return;
        if (!isObject(inst)) return void errors.push(`instances[${k}] must be an object`);
        if (!Array.isArray(inst.W) || inst.W.length !== m || !inst.W.every((row) => finiteArray(row, n))) errors.push(`instances[${k}].W must be ${m} rows of ${n} finite numbers`);
        if (!finiteArray(inst.b, n)) errors.push(`instances[${k}].b must be ${n} finite numbers`);
        if (typeof inst.loss !== 'number' || !Number.isFinite(inst.loss)) errors.push(`instances[${k}].loss must be a finite number`);
        if (typeof inst.sparsity !== 'number' || !(inst.sparsity >= 0 && inst.sparsity < 1)) errors.push(`instances[${k}].sparsity must be a number in [0, 1)`);
      });
    }
    if (!Array.isArray(data.lossCurve) || !data.lossCurve.every((row) => Array.isArray(row) && row.length === K + 1 && row.every((x) => typeof x === 'number' || x === null))) {
      errors.push(`lossCurve must be a list of [step, loss_1, …, loss_${K}] rows`);
    }
    if (typeof data.steps !== 'number' || !Number.isInteger(data.steps) || data.steps < 0) errors.push('steps must be a whole number');
  }
  if (data.view !== undefined && (typeof data.view !== 'string' || !views.includes(data.view))) {
    errors.push(`view must be one of ${views.join(', ')}; got ${JSON.stringify(data.view)?.slice(0, 40)}`);
  }
  if (errors.length || !checked.ok) return { ok: false, errors };
  const K = checked.config.instances;
  const sel = typeof data.selectedInstance === 'number' && Number.isInteger(data.selectedInstance) && data.selectedInstance >= 0 && data.selectedInstance < K ? data.selectedInstance : 0;
  return { ok: true, config: checked.config, view: typeof data.view === 'string' ? data.view : null, selectedInstance: sel, record: data as unknown as LabRunFile };
}
