// The A/B compare tab's client: a training worker of its own (the toy training session, training.worker.ts) that
// trains B, and A too when a link restores the pair, one after the other. Heartbeat, restart with the run in
// progress and back-pressure come with the TrainingClient.

import { TrainingClient, type TrainingClientOptions } from './trainingClient.ts';

export function createCompareClient(handlers: Omit<TrainingClientOptions, 'label' | 'spawn'>): TrainingClient {
  return new TrainingClient({
    ...handlers,
    label: 'compare',
    spawn: () => new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'compare' }),
  });
}
