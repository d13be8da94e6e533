// "Compare methods": the same edit by ROME (C⁻¹-weighted rank-one update), the naive rank-one update (no C⁻¹) and
// fine-tuning the same weight matrix, each applied to the original model, side by side.

import { objectName } from '../../../engine/rome/locate.ts';
import type { EditMethod } from '../../../engine/rome/rome.ts';
import { getLocateController } from '../../../state/locateController.ts';
import { currentFact, editLayer, editObject, useLocate } from '../../../state/locateStore.ts';
import { ProgressBar } from '../../charts/ProgressBar.tsx';
import { Panel } from '../Panel.tsx';
import { pct, useLocateController } from './shared.tsx';

const METHOD_LABEL: Record<EditMethod, string> = { rome: 'ROME', naive: 'naive rank-one', finetune: 'fine-tune W_out' };

export function LocateMethodsPanel() {
  useLocateController();
  const compare = useLocate((s) => s.compare);
  const busy = useLocate((s) => s.busy.compare ?? false);
  const model = useLocate((s) => s.model);
  const fact = useLocate((s) => currentFact(s));
  const layer = useLocate((s) => editLayer(s).layer);
  const newObject = useLocate((s) => editObject(s));
  const c = getLocateController();
  const rows: { label: string; value: (m: NonNullable<typeof compare>['methods'][number]) => string }[] = [
    { label: 'P(new) on the rewrite prompt', value: (m) => pct(m.after.find((p) => p.group === 'rewrite')!.pNew) },
    { label: 'P(new) on the paraphrase', value: (m) => pct(m.after.find((p) => p.group === 'paraphrase')!.pNew) },
    { label: 'efficacy (rewrite, 4 prefixes)', value: (m) => pct(m.scores.efficacy) },
    { label: 'paraphrase (4 prefixes)', value: (m) => pct(m.scores.paraphrase) },
    { label: 'neighbourhood kept', value: (m) => pct(m.scores.neighbourhood) },
    { label: 'token-sharing neighbours kept', value: (m) => pct(m.scores.tokenSharing) },
    { label: 'other relations kept', value: (m) => pct(m.scores.otherRelations) },
    { label: 'accuracy on untouched facts', value: (m) => `${pct(compare!.accuracyBefore)} → ${pct(m.accuracyAfter)}` },
    { label: '‖ΔW‖/‖W‖', value: (m) => m.info.normRatio.toFixed(3) },
  ];
  const shown = compare && fact && compare.request.factId === fact.id ? compare : null;
  return (
    <Panel
      id="locate-methods"
      title="Compare methods for this edit"
      subtitle={shown ? `layer ${shown.request.layer}, new object ${objectName(fact!.relation, shown.request.newObject)}` : undefined}
      summary={shown ? shown.methods.map((m) => `${METHOD_LABEL[m.method]}: efficacy ${pct(m.scores.efficacy)}, neighbourhood ${pct(m.scores.neighbourhood)}`).join('; ') : null}
      caption={
        <>
          The same edit three ways, each on the original model. The naive update is ROME without C⁻¹: ΔW = (v* − Wk*)k*ᵀ/‖k*‖², so it
          moves every key that points like k*; fine-tuning W_out by gradient descent on the rewrite prompts has no constraint at all.
          ROME should keep more neighbours at the same efficacy. One edit is one sample — the CLI (npm run lab -- rome) averages 50.
        </>
      }
    >
      <div className="loc-methods">
        <div className="button-row">
          <button type="button" data-loc-action="compare" disabled={!model || busy || layer === null || newObject === null} onClick={() => c.compareMethods()}>{busy ? 'Comparing…' : 'Compare methods'}</button>
        </div>
        {busy && compare && <ProgressBar value={compare.done} max={compare.total} label="methods" detail={`${compare.done} / ${compare.total}`} />}
        {shown && shown.methods.length > 0 ? (
          <table className="loc-table" data-loc-compare={shown.methods.length}>
            <thead>
              <tr>
                <th scope="col">layer {shown.request.layer}</th>
                {shown.methods.map((m) => <th key={m.method} scope="col">{METHOD_LABEL[m.method]}</th>)}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.label}>
                  <th scope="row">{r.label}</th>
                  {shown.methods.map((m) => <td key={m.method}>{r.value(m)}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          !busy && <p className="panel-waiting">Compares ROME, the naive update and fine-tuning on the edit set above (fact, layer, new object).</p>
        )}
      </div>
    </Panel>
  );
}
