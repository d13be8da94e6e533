// Words for the views' screen-reader summaries (ViewPanelSummary): where a run is, as a sentence.

import type { RunState } from '../../state/viewStore.ts';

/** 10,000 rather than the figures' thin-space 10 000. */
export const spokenInt = (x: number) => Math.round(x).toLocaleString('en-US');

/** "Training, step 4,000 of 10,000." / "Finished." / "" (no pass started) for the pass in progress. */
export function runProgressWords(run: RunState | undefined): string {
  if (!run) return '';
  const pass = run.passes.find((p) => p.status === 'training' || p.status === 'paused');
  if (pass) {
    const of = run.passes.length > 1 ? ` (pass ${run.passes.indexOf(pass) + 1} of ${run.passes.length})` : '';
    return `${pass.status === 'paused' ? 'Paused' : 'Training'}${of}, step ${spokenInt(pass.step)} of ${spokenInt(pass.totalSteps)}.`;
  }
  if (run.passes.length && run.passes.every((p) => p.status === 'done')) return 'Finished.';
  return '';
}

import type { DimensionalityResult, DynamicsResult, NeuronResult, PhaseGridResult, SweepResult } from '../../engine/views/views.ts';

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const sWords = (S: number) => `S = ${Number(S.toPrecision(3))}`;

export function dimsCurveWords(r: DimensionalityResult): string {
  const first = r.points[0], last = r.points[r.points.length - 1];
  if (!first || !last) return '';
  return `Dimensions per feature fall from ${f2(first.dimsPerFeature)} at ${sWords(first.sparsity)} to ${f2(last.dimsPerFeature)} at ${sWords(last.sparsity)}; ${r.plateau.instances.length} of ${r.points.length} models sit on the plateau at 1/2.`;
}

export function dimScatterWords(r: DimensionalityResult): string {
  const counts = Object.entries(r.stickyCounts).filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1]);
  return `${r.features.length} represented features over ${r.points.length} models${counts.length ? `; on sticky fractions: ${counts.map(([label, c]) => `${c} ${label}`).join(', ')}` : ''}.`;
}

export function dynamicsLossWords(a: DynamicsResult): string {
  const last = a.frames[a.frames.length - 1];
  if (!last) return '';
  const jumps = a.jumps.length ? ` ${a.jumps.length} jump${a.jumps.length > 1 ? 's' : ''}, at step${a.jumps.length > 1 ? 's' : ''} ${a.jumps.map((j) => spokenInt(j.step)).join(', ')}.` : ' No jumps yet.';
  return `Loss ${Number.isFinite(last.loss) ? last.loss.toExponential(2) : '–'} at step ${spokenInt(last.step)}.${jumps}`;
}

export function dynamicsTraceWords(a: DynamicsResult): string {
  const last = a.frames[a.frames.length - 1];
  if (!last) return '';
  return `At step ${spokenInt(last.step)} the features' dimensionalities are ${last.D.map(f2).join(', ')} (${last.geometry}).`;
}

export function neuronWords(r: NeuronResult): string {
  return r.instances.map((i) => `${sWords(i.sparsity)}: ${Math.round(i.monosemanticFraction * 100)}% of neurons monosemantic, ${i.featuresComputed} of ${r.n} features read.`).join(' ');
}

export function phaseWords(r: PhaseGridResult): string {
  const c = r.counts;
  return `${r.rows} by ${r.cols} models: ${c['not represented'] ?? 0} drop the extra feature, ${c.dedicated ?? 0} give it its own dimension, ${c.superposition ?? 0} superpose it${r.agreement !== null ? `; ${Math.round(r.agreement * 100)}% of cells match the closed form` : ''}.`;
}

export function sweepWords(label: string, r: SweepResult): string {
  const first = r.instances[0], last = r.instances[r.instances.length - 1];
  if (!first || !last) return '';
  return `${label}: ${first.represented} of ${r.n} features represented at ${sWords(first.sparsity)}, ${last.represented} (${last.superposed} in superposition) at ${sWords(last.sparsity)}.`;
}
