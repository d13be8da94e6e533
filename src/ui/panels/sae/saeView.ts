// Shared bits of the SAE panels: the consistent (base, snapshot) pair, latent colours, labels.

import * as d3 from 'd3';
import { useSae } from '../../../state/saeStore.ts';
import type { BaseMessage, SaeSnapshotMessage } from '../../../worker/saeProtocol.ts';

export interface SaeViewData {
  base: BaseMessage;
  snap: SaeSnapshotMessage;
  /** the selected instance, clamped */
  k: number;
}

/** The base model and the latest snapshot of the same run, or null while either is missing. */
export function useSaeView(): SaeViewData | null {
  const base = useSae((s) => s.baseModel);
  const snap = useSae((s) => s.snapshot);
  const selected = useSae((s) => s.selected);
  if (!base || !snap || base.runId !== snap.runId || base.m !== snap.dIn) return null;
  return { base, snap, k: Math.min(selected, snap.K - 1) };
}

/** Colour of latent l of L: Tableau 10 up to ten latents, then evenly around the sinebow. */
export function latentColor(l: number, L: number): string {
  return L <= 10 ? d3.schemeTableau10[l % 10] : d3.interpolateSinebow(l / L);
}

export const DEAD_COLOR = '#9ca3af';
export const TRUTH_COLOR = '#c7ccd4';

/** "feature 3" for true direction g (the toy model's own feature number). */
export function featureName(base: BaseMessage, g: number): string {
  return `feature ${base.featureOf[g] + 1}`;
}

/** Decoder column l of instance k as a dIn-vector. */
export function decoderColumn(snap: SaeSnapshotMessage, k: number, l: number): number[] {
  const { dIn: d, L } = snap;
  return Array.from({ length: d }, (_, j) => snap.Wdec[(k * d + j) * L + l]);
}
