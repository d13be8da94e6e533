// What the two neuron panels of the computation view share: their props, and the neuron analysis
// of their run's latest snapshot.

import type { ReactNode } from 'react';
import { instanceSparsities } from '../../../engine/toy/config.ts';
import { neuronAnalysis } from '../../../engine/views/views.ts';
import type { RunState } from '../../../state/viewStore.ts';
import { latestSnapshot } from '../../views/viewSession.ts';

export interface NeuronPanelProps {
  run: RunState | undefined;
  id: string;
  title: string;
  caption: ReactNode;
  className?: string;
}

/** The latest snapshot's neurons, or null before the run has one. */
export function latestNeurons(run: RunState | undefined) {
  const latest = latestSnapshot(run);
  if (!latest) return null;
  const { snapshot: s, config } = latest;
  return { s, result: neuronAnalysis(config, s), sparsities: instanceSparsities(config) };
}
