// What the grid tab's panels share: the controller started on mount, the colour of a cell's class.

import { useEffect } from 'react';
import * as d3 from 'd3';
import { getGridController } from '../../../state/gridController.ts';
import { cellClass, isCategorical } from '../../../engine/grid/classify.ts';
import type { GridClassify } from '../../../engine/grid/config.ts';
import type { GridCell } from '../../../engine/grid/run.ts';
import { PHASE_COLORS } from '../../colors.ts';

/** Start the grid's controller (and its worker) when a panel of the tab mounts. */
export function useGridController(): void {
  useEffect(() => void getGridController(), []);
}

const CATEGORY_COLORS = ['#4477aa', '#ee6677', '#228833', '#ccbb44', '#66ccee', '#aa3377', '#bbbbbb', '#332288', '#88ccee', '#117733', '#999933', '#cc6677', '#882255', '#44aa99'];

/** Geometries that come up often keep one colour across grids (the rest take the others by frequency). */
const FIXED: Record<string, string> = {
  pentagon: '#ee6677',
  '2 antipodal pairs': '#4477aa',
  '2 dedicated dimensions': '#228833',
  'antipodal pair + 1 dedicated dimension': '#ccbb44',
  'antipodal pair': '#aa3377',
  '1 dedicated dimension': '#66ccee',
  'nothing represented': '#dddddd',
};

export interface CellPaint {
  /** the class shown, as text */
  label: (c: GridCell) => string;
  color: (c: GridCell) => string;
  /** categorical: each class and its colour (most frequent first) */
  legend: { label: string; color: string; count: number }[];
  /** numeric: the scale's ends */
  range: [number, number] | null;
}

const fmt = (by: GridClassify, v: number) => (by === 'loss' ? v.toExponential(2) : by === 'dims' ? v.toFixed(2) : String(v));

export function cellPaint(cells: readonly GridCell[], by: GridClassify): CellPaint {
  const classified = cells.filter((c) => c.geometry !== undefined);
  const value = (c: GridCell) => cellClass({ geometry: c.geometry!, represented: c.represented!, dims: c.dims!, phase: c.phase!, loss: c.loss }, by);
  if (isCategorical(by)) {
    const counts = new Map<string, number>();
    for (const c of classified) counts.set(String(value(c)), (counts.get(String(value(c))) ?? 0) + 1);
    const order = by === 'represented' ? [...counts.keys()].sort((a, b) => Number(a) - Number(b)) : [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)!);
    const free = CATEGORY_COLORS.filter((c) => !Object.values(FIXED).includes(c));
    let next = 0;
    const colorOf = (k: string, i: number) => (by === 'phase' ? PHASE_COLORS[k as keyof typeof PHASE_COLORS] : by === 'represented' ? d3.interpolateViridis(order.length < 2 ? 0.5 : i / (order.length - 1)) : FIXED[k] ?? free[next++ % free.length]);
    const colors = new Map(order.map((k, i) => [k, colorOf(k, i)]));
    return {
      label: (c) => (c.geometry === undefined ? 'not trained yet' : `${value(c)}${by === 'represented' ? ' represented' : ''}`),
      color: (c) => (c.geometry === undefined ? 'transparent' : colors.get(String(value(c)))!),
      legend: order.map((k) => ({ label: by === 'represented' ? `${k} represented` : k, color: colors.get(k)!, count: counts.get(k)! })),
      range: null,
    };
  }
  const vs = classified.map((c) => Number(value(c))).filter((v) => Number.isFinite(v) && (by !== 'loss' || v > 0));
  const lo = vs.length ? Math.min(...vs) : 0, hi = vs.length ? Math.max(...vs) : 1;
  const scale = by === 'loss' && lo > 0 ? d3.scaleSequentialLog(d3.interpolateViridis).domain([lo, Math.max(hi, lo * 1.0001)]) : d3.scaleSequential(d3.interpolateViridis).domain([lo, Math.max(hi, lo + 1e-9)]);
  return {
    label: (c) => (c.geometry === undefined ? 'not trained yet' : fmt(by, Number(value(c)))),
    color: (c) => (c.geometry === undefined ? 'transparent' : scale(Number(value(c))) as string),
    legend: [],
    range: [lo, hi],
  };
}
