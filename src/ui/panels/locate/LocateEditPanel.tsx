// Pick a layer (default: the traced MLP peak at the last subject token) and a new object, press Edit: ROME's
// rank-one update of that layer's MLP output weights, with P(true object) and P(new object) before and after on the
// rewrite prompt, its paraphrase, a neighbour (same relation and object, other subject), a subject sharing a name
// token, and the subject's other relations; ‖ΔW‖/‖W‖; Undo.

import { useId } from 'react';
import { RELATION_NAMES } from '../../../engine/rome/facts.ts';
import { type ProbeGroup, type ProbeRow } from '../../../engine/rome/locate.ts';
import { getLocateController } from '../../../state/locateController.ts';
import { currentFact, currentPeak, editLayer, editObject, useLocate } from '../../../state/locateStore.ts';
import { Panel } from '../Panel.tsx';
import { pct, useLocateController, useOtherObjects, wordOf } from './shared.tsx';

const GROUP_LABEL: Record<ProbeGroup, string> = {
  rewrite: 'rewrite prompt',
  paraphrase: 'paraphrase',
  neighbour: 'neighbour (same relation & object)',
  tokenSharing: 'shares a name token',
  otherRelation: 'same subject, other relation',
};

/** What should win on each probe after a good edit. */
const WANT_NEW: Record<ProbeGroup, boolean> = { rewrite: true, paraphrase: true, neighbour: false, tokenSharing: false, otherRelation: false };

export function EditSettings() {
  const idL = useId();
  const idO = useId();
  const model = useLocate((s) => s.model);
  const settings = useLocate((s) => s.settings);
  const peakLayer = useLocate((s) => currentPeak(s)?.subjectLayer ?? null);
  const objects = useOtherObjects();
  const newObject = useLocate((s) => editObject(s));
  const c = getLocateController();
  const layers = model?.layers ?? 4;
  return (
    <div className="loc-edit-settings">
      <div className="field-head">
        <label htmlFor={idL}>layer</label>
        <select id={idL} value={settings.layer} data-loc-field="layer" onChange={(e) => c.edit('layer', e.target.value)}>
          <option value="peak">trace peak{peakLayer !== null ? ` (layer ${peakLayer})` : ''}</option>
          {Array.from({ length: layers }, (_, l) => <option key={l} value={String(l)}>layer {l}</option>)}
        </select>
      </div>
      <div className="field-head">
        <label htmlFor={idO}>new object</label>
        <select id={idO} value={newObject ?? ''} data-loc-field="newObject" onChange={(e) => c.edit('newObject', e.target.value)} disabled={!objects.length}>
          {objects.map((o) => <option key={o.value} value={String(o.value)}>{o.label}</option>)}
        </select>
      </div>
    </div>
  );
}

export function LocateEditPanel() {
  useLocateController();
  const fact = useLocate((s) => currentFact(s));
  const model = useLocate((s) => s.model);
  const edit = useLocate((s) => s.edit);
  const busy = useLocate((s) => s.busy.edit ?? false);
  const layer = useLocate((s) => editLayer(s).layer);
  const problem = useLocate((s) => editLayer(s).problem);
  const c = getLocateController();
  const shown = edit && fact && edit.request.factId === fact.id ? edit : null;
  const rw = shown?.after.find((r) => r.group === 'rewrite');
  return (
    <Panel
      id="locate-edit"
      className="panel-wide"
      title="Edit the fact with ROME"
      subtitle={shown ? `layer ${shown.request.layer}, edit computed in ${shown.ms.toFixed(0)} ms` : undefined}
      summary={shown && rw ? `After the edit at layer ${shown.request.layer}: P(${wordOf(rw.newToken)}) ${pct(rw.pNew)}, P(${wordOf(rw.trueToken)}) ${pct(rw.pTrue)} on the rewrite prompt.` : null}
      caption={
        <>
          ROME reads the layer’s MLP as a key–value memory: the key k* is the MLP’s hidden vector at the last subject token (averaged
          over random filler prefixes), the value v* is optimised so the new object wins, and the output weights change by the one
          rank-one update that maps k* to v* while disturbing other keys least (weighted by C⁻¹, the keys’ second moment). A good edit
          flips the rewrite prompt <em>and</em> its paraphrase (the subject’s state does not depend on the words after it) and leaves the
          neighbours alone. Subjects sharing a name token are the hard case: their keys overlap. These facts are random, so “neighbour”
          means only “same relation and object” — there is no meaning to generalise.
        </>
      }
    >
      <div className="loc-edit">
        <div className="loc-edit-bar">
          <EditSettings />
          <div className="button-row">
            <button type="button" className="primary" data-loc-action="edit" disabled={!fact || layer === null || busy || !model} onClick={() => c.applyEdit()}>{busy ? 'Editing…' : 'Edit'}</button>
            <button type="button" data-loc-action="undo" disabled={!shown} onClick={() => c.undo()}>Undo</button>
          </div>
          {problem && <p className="field-error">{problem}</p>}
        </div>
        {shown ? <ProbeTable before={shown.before} after={shown.after} /> : <p className="panel-waiting">{fact ? `Press Edit to make “${RELATION_NAMES[fact.relation]}” answer another object.` : 'Waiting for the model…'}</p>}
        {shown && (
          <dl className="readout loc-readout loc-edit-readout" data-loc-edited={shown.request.newObject}>
            <div><dt>‖ΔW‖/‖W‖</dt><dd data-loc-norm={shown.info.normRatio}>{shown.info.normRatio.toFixed(3)}</dd></div>
            <div><dt>‖Ŵk* − v*‖/‖v*‖</dt><dd>{shown.info.constraintErr.toExponential(1)}</dd></div>
            <div><dt>efficacy</dt><dd>{pct(shown.scores.efficacy)} of rewrite prompts</dd></div>
            <div><dt>paraphrase</dt><dd>{pct(shown.scores.paraphrase)}</dd></div>
            <div><dt>neighbourhood kept</dt><dd>{pct(shown.scores.neighbourhood)}</dd></div>
            <div><dt>token-sharing kept</dt><dd>{pct(shown.scores.tokenSharing)}</dd></div>
            <div><dt>other relations kept</dt><dd>{pct(shown.scores.otherRelations)}</dd></div>
          </dl>
        )}
      </div>
    </Panel>
  );
}

export function ProbeTable({ before, after }: { before: ProbeRow[]; after: ProbeRow[] }) {
  return (
    <table className="loc-table" data-loc-probes>
      <thead>
        <tr>
          <th scope="col">prompt</th>
          <th scope="col">P(its true object)</th>
          <th scope="col">P(new object {after[0] ? wordOf(after[0].newToken) : ''})</th>
          <th scope="col">top-1 after</th>
        </tr>
      </thead>
      <tbody>
        {after.map((a, i) => {
          const b = before[i];
          const wantNew = WANT_NEW[a.group];
          const ok = wantNew ? a.top === a.newToken : a.top === a.trueToken;
          return (
            <tr key={i} data-loc-probe={a.group}>
              <th scope="row">
                <span className="loc-group">{GROUP_LABEL[a.group]}</span>
                <span className="loc-prompt-small">{a.words.join(' ')} → {wordOf(a.trueToken)}</span>
              </th>
              <td>{pct(b.pTrue)} → <strong>{pct(a.pTrue)}</strong></td>
              <td>{pct(b.pNew)} → <strong>{pct(a.pNew)}</strong></td>
              <td className={ok ? 'loc-ok' : 'loc-bad'}>{wordOf(a.top)} ({pct(a.pTop)}) {ok ? '✓' : '✗'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
