// The screen-reader summaries say what each panel shows, in words, for a real trained pentagon.

import { describe, expect, it } from 'vitest';
import { createTrainer } from '../../src/engine/index';
import { trainToEnd } from '../../src/engine/toy/runner';
import { largestInterference, panelSummary } from '../../src/ui/a11y/panelSummaries';
import { snapshotMetrics } from '../../src/worker/snapshotMetrics';
import type { SnapshotMessage } from '../../src/worker/protocol';
import { config } from './helpers';

describe('panel summaries for screen readers', () => {
  const c = config({ n: 5, m: 2, sparsity: 0.95, seed: 1, steps: 10_000 });
  const trainer = createTrainer(c, 'fused');
  trainToEnd(trainer);
  const s = trainer.snapshot();
  trainer.dispose();
  const snapshot = { ...s, type: 'snapshot', runId: 1, lossCurve: { steps: new Float64Array(), losses: new Float32Array() }, metrics: snapshotMetrics(s) } as unknown as SnapshotMessage;
  const input = { snapshot, sparsities: [0.95], totalSteps: 10_000, instance: 0 };

  it('names the geometry, the overlaps, the norms, the dimensionality and the loss', () => {
    expect(panelSummary('geometry', input)).toBe('Step 10,000 of 10,000. S = 0.95: Five of 5 features are represented in two dimensions: five features share two dimensions as a pentagon: each gets 2/5 of a dimension.');
    expect(panelSummary('gram', input)).toMatch(/^Step 10,000 of 10,000\. S = 0\.95: The largest overlap between two features is −\d(\.\d+)?, features \d and \d\. Biases range from −0\.\d+ to −0\.\d+\.$/);
    expect(panelSummary('norms', input)).toMatch(/5 of 5 features are represented \(norm at least 0\.5\), 5 of them in superposition\.$/);
    expect(panelSummary('dimensionality', input)).toMatch(/Dimensionality of the represented features: 0\.4, 0\.4, 0\.4, 0\.4, 0\.4\.$/);
    expect(panelSummary('loss', input)).toMatch(/^Step 10,000 of 10,000\. Loss 0\.00\d+\.$/);
    expect(panelSummary('some-future-panel', input)).toBeNull();
  });

  it('finds the most interfering pair', () => {
    const W = new Float32Array([1, 0, -0.9, 0, 1, 0.1]); // m=2 rows of n=3: features (1,0), (0,1), (−0.9,0.1)
    expect(largestInterference({ W, m: 2, n: 3 }, 0)).toMatchObject({ i: 0, j: 2 });
    expect(largestInterference({ W, m: 2, n: 3 }, 0)!.value).toBeCloseTo(-0.9, 6);
  });
});
