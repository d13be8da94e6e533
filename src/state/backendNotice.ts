// What the page says when a TF.js backend it asked for did not start (the wasm files blocked by a
// proxy or a policy, or corrupt): which one failed, why, and which backend runs instead. Shown as a
// notice, not only in the engine readout's hover title.

export interface BackendReport {
  /** the backend that runs (or 'starting') */
  backend: string;
  /** the engine training this run: 'fused' does not use TF.js */
  engine: string;
  /** "<backend>: <reason>" for each backend tried before the one that runs */
  backendFailures: readonly string[];
}

export function backendNotice(run: BackendReport | null): string | null {
  if (!run || !run.backendFailures.length) return null;
  const failed = run.backendFailures.map((f) => {
    const i = f.indexOf(':');
    return i > 0 ? `${f.slice(0, i)} (${f.slice(i + 1).trim()})` : f;
  });
  const names = run.backendFailures.map((f) => f.split(':')[0]);
  const instead = run.backend === 'starting' ? 'another backend' : run.backend;
  const why = names.length === 1 ? ` (${failed[0].slice(names[0].length + 2, -1)})` : `: ${failed.join('; ')}`;
  return (
    `TF.js's ${names.join(' and ')} backend${names.length > 1 ? 's' : ''} could not start${why}. ` +
    `TF.js runs on ${instead} instead${run.engine === 'fused' ? '; this run trains on the fused engine, which does not need it' : ', which may be slower'}.`
  );
}
