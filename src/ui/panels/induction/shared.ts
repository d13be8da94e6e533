// Shared bits of the induction panels: the controller started on mount (so an embedded panel trains
// too), head names and colours, token labels, the step axis.

import * as d3 from 'd3';
import { useEffect } from 'react';
import { getInductionController } from '../../../state/inductionController.ts';

/** Start the tab's controller (and its worker) the first time any of its panels is shown. */
export function useInductionController(): void {
  useEffect(() => void getInductionController(), []);
}

export const headName = (layer: number, head: number) => `L${layer}H${head}`;

/** Colour of head h of layer l: one hue family per layer, so layer-0 and layer-1 heads read apart. */
const LAYER_SCHEMES = [['#4477aa', '#66ccee', '#2b5c8a', '#88aacc'], ['#ee6677', '#cc3311', '#ee9988', '#aa3377'], ['#228833', '#77bb44', '#116622', '#99cc88']];
export function headColor(layer: number, head: number): string {
  return LAYER_SCHEMES[layer % 3][head % 4];
}

/** A token as the panels label it: BOS, or its number. */
export function tokenLabel(token: number, vocab: number): string {
  return token >= vocab ? 'BOS' : String(token);
}

export const stepFormat = (d: number) => (d >= 1000 ? `${d / 1000}k` : String(d));

export const ATTENTION_SCALE = d3.interpolateBlues;
export const SCORE_SCALE = d3.interpolateYlOrRd;
export const INDUCTION_THRESHOLD_LABEL = '0.4 (detector threshold)';
