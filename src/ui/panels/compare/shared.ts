// Shared bits of the A/B compare panels: the controller started on mount (so an embedded panel trains its pair
// from the link), the two sides as the panels draw them, and the comparison of what is there now (B may still be
// training: the pictures fill in live; the verdict waits for both final snapshots).

import { useEffect, useMemo } from 'react';
import { compareRuns, type Comparison } from '../../../engine/compare/compare.ts';
import type { ComparePair } from '../../../engine/compare/settings.ts';
import { featureImportance } from '../../../engine/toy/config.ts';
import { getCompareController } from '../../../state/compareController.ts';
import { sideInstance, useCompare, type SideRun } from '../../../state/compareStore.ts';

export function useCompareController(): void {
  useEffect(() => void getCompareController(), []);
}

/** Line and swatch colours of A and B (Okabe–Ito blue and orange), and darker shades for text. */
export const SIDE_COLORS = { a: '#0072b2', b: '#d55e00' } as const;
export const SIDE_TEXT_COLORS = { a: '#005a8c', b: '#a84a00' } as const;

export interface ShownSide {
  side: 'a' | 'b';
  run: SideRun;
  W: Float32Array;
  loss: number;
  geometry: string;
  curve: [number, number][];
  importance: number[];
}

export interface CompareView {
  pair: ComparePair;
  a: ShownSide | null;
  b: ShownSide | null;
  /** of what both sides show now (B may be training) */
  live: Comparison | null;
  /** of the two finished runs: has the verdict */
  final: Comparison | null;
}

function shown(side: 'a' | 'b', run: SideRun | null, k: number): ShownSide | null {
  if (!run || k >= run.K) return null;
  const inst = sideInstance(run, k);
  return { side, run, W: inst.W, loss: inst.loss, geometry: inst.geometry, curve: inst.curve, importance: featureImportance(run.config) };
}

export function useCompareView(): CompareView | null {
  const pair = useCompare((s) => s.pair);
  const a = useCompare((s) => s.a);
  const b = useCompare((s) => s.b);
  const final = useCompare((s) => s.comparison);
  return useMemo(() => {
    if (!pair) return null;
    const sa = shown('a', a, pair.instance);
    const sb = shown('b', b, pair.instance);
    const live = sa && sb ? compareRuns({ W: sa.W, m: sa.run.m, n: sa.run.n, loss: sa.loss }, { W: sb.W, m: sb.run.m, n: sb.run.n, loss: sb.loss }) : null;
    return { pair, a: sa, b: sb, live, final };
  }, [pair, a, b, final]);
}

/** What a panel says while a side is missing. */
export function waitingText(view: CompareView | null, training: 'a' | 'b' | null): string {
  if (!view) return 'Pin a run as A: train a run in the Live lab to the end, then press "Pin as A" there.';
  if (training === 'a') return 'Training A with its seed…';
  if (!view.b && training !== 'b') return 'B has A\'s settings: change one of B\'s settings to train B with the same seed.';
  return 'Training B with A\'s seed…';
}

export const sideName = (side: 'a' | 'b') => side.toUpperCase();
