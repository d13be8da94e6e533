// Shared bits of the monitor panels: the controller started on mount (so an embedded panel runs too),
// detector colours and names, and the findings the captions state, computed from the result.

import { useEffect } from 'react';
import type { FeatureResult } from '../../../engine/monitor/toy.ts';
import { getMonitorController } from '../../../state/monitorController.ts';
import type { MonitorResultMessage } from '../../../worker/monitorProtocol.ts';

export function useMonitorController(): void {
  useEffect(() => void getMonitorController(), []);
}

export const DETECTOR_COLORS: Record<string, string> = { neuron: '#e4572e', sae: '#2a5bd7', probe: '#16a34a', induction: '#2a5bd7', prevToken: '#e4572e' };
/** darker shades of the same hues for text (WCAG AA contrast on white) */
export const DETECTOR_TEXT_COLORS: Record<string, string> = { neuron: '#a8321a', sae: '#1d4ed8', probe: '#166534' };
export const DETECTOR_NAMES: Record<string, string> = { neuron: 'best neuron', sae: 'SAE latent', probe: 'linear probe' };
export const ABLATION_NAMES = { neuron: 'zero the best neuron', neuronMean: 'mean-ablate the best neuron', sae: 'subtract the SAE latent', direction: 'project out the direction' } as const;

/** A fraction as a percentage with a real minus sign (and no "−0%"). */
export const pct = (x: number, digits = 0) => {
  if (!Number.isFinite(x)) return '—';
  const s = (100 * x).toFixed(digits);
  return `${Number(s) === 0 ? (0).toFixed(digits) : s.replace('-', '−')}%`;
};
export const range = (xs: number[], f: (x: number) => string) => (xs.length ? (Math.min(...xs) === Math.max(...xs) ? f(xs[0]) : `${f(Math.min(...xs))}–${f(Math.max(...xs))}`) : '—');

export interface Findings {
  represented: FeatureResult[];
  /** represented features where the SAE latent's false alarms are below a third of the neuron's */
  saeFalseAlarmsThird: number[];
  probeBelowNeuron: number[];
  /** SAE ablation removes ≥ 40% */
  saeRemoves: number[];
  /** SAE collateral below a tenth of the neuron's */
  saeCheap: number[];
}

/** The goals, measured on a finished toy run. */
export function findings(r: MonitorResultMessage): Findings {
  const represented = r.features.filter((f) => f.represented);
  const ids = (p: (f: FeatureResult) => boolean) => represented.filter(p).map((f) => f.target);
  return {
    represented,
    saeFalseAlarmsThird: ids((f) => f.detectors.sae.falseAlarms < f.detectors.neuron.falseAlarms / 3),
    probeBelowNeuron: ids((f) => f.detectors.probe.falseAlarms < f.detectors.neuron.falseAlarms),
    saeRemoves: ids((f) => f.ablations.sae.removed >= 0.4),
    saeCheap: ids((f) => f.ablations.sae.collateral < f.ablations.neuron.collateral / 10),
  };
}

export const featureList = (xs: number[]) => (xs.length ? xs.join(', ') : 'none');
