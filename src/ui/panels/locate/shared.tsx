// Shared bits of the "Locate & edit" panels: the controller started on mount (so an embedded panel works too),
// the fact picker, names, and the colours of the three traces (as in the ROME paper: hidden states purple, MLP
// green, attention red).

import * as d3 from 'd3';
import { useEffect, useId } from 'react';
import { OBJECTS_PER_RELATION, RELATION_NAMES, SUBJECTS, tokenName } from '../../../engine/rome/facts.ts';
import { objectName, subjectName } from '../../../engine/rome/locate.ts';
import type { TraceKind } from '../../../engine/rome/trace.ts';
import { getLocateController } from '../../../state/locateController.ts';
import { currentFact, useLocate } from '../../../state/locateStore.ts';

/** Start the tab's controller (and its worker) the first time any of its panels is shown. */
export function useLocateController(): void {
  useEffect(() => void getLocateController(), []);
}

export const TRACE_COLORS: Record<TraceKind, (t: number) => string> = {
  hidden: d3.interpolatePurples,
  mlp: d3.interpolateGreens,
  attn: d3.interpolateReds,
};

export const TRACE_TITLES: Record<TraceKind, string> = {
  hidden: 'hidden state (block output)',
  mlp: 'MLP output',
  attn: 'attention output',
};

export const pct = (p: number) => (p >= 0.995 ? `${(100 * p).toFixed(1)}%` : p >= 0.001 ? `${(100 * p).toFixed(1)}%` : p > 0 ? '<0.1%' : '0%');

/** A token's name: objects as "o2.5" (relation 2's object 5), names as A3/B7, relation words as themselves. */
export const wordOf = tokenName;

/** The subject and relation menus; a new fact is traced at once. */
export function FactPicker({ compact = false }: { compact?: boolean }) {
  const idS = useId();
  const idR = useId();
  const settings = useLocate((s) => s.settings);
  const set = useLocate((s) => s.set);
  const c = getLocateController();
  return (
    <div className={`loc-picker${compact ? ' loc-picker-compact' : ''}`}>
      <div className="field-head">
        <label htmlFor={idS}>subject</label>
        <select id={idS} value={settings.subject} data-loc-field="subject" onChange={(e) => c.edit('subject', e.target.value)} disabled={!set}>
          {Array.from({ length: SUBJECTS }, (_, i) => <option key={i} value={i}>{set ? `${subjectName(set, i)} (#${i})` : `#${i}`}</option>)}
        </select>
      </div>
      <div className="field-head">
        <label htmlFor={idR}>relation</label>
        <select id={idR} value={settings.relation} data-loc-field="relation" onChange={(e) => c.edit('relation', e.target.value)}>
          {RELATION_NAMES.map((r, i) => <option key={r} value={i}>{r}</option>)}
        </select>
      </div>
    </div>
  );
}

/** The objects of the current fact's relation other than the true one, for the new-object menu. */
export function useOtherObjects(): { value: number; label: string }[] {
  const fact = useLocate((s) => currentFact(s));
  if (!fact) return [];
  return Array.from({ length: OBJECTS_PER_RELATION }, (_, k) => k).filter((k) => k !== fact.object).map((k) => ({ value: k, label: objectName(fact.relation, k) }));
}
