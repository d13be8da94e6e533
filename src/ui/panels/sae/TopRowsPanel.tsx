// File data: for each latent of the selected instance, the rows of the user's file that activate it most, with
// their activation (engine/sae/topRows.ts, measured in the worker every so often and at the end); and the learned
// dictionary of that instance as .npy or JSON.

import { useSae } from '../../../state/saeStore.ts';
import { dictionaryJson, dictionaryNpy } from '../../../engine/sae/dictionaryExport.ts';
import { downloadBlob, downloadText } from '../../export/download.ts';
import { count, fixed, num } from '../../format.ts';
import { Panel } from '../Panel.tsx';
import { DEAD_COLOR, latentColor, useSaeView, type SaeViewData } from './saeView.ts';

/** latents listed (the most often firing first) */
const MAX_LISTED = 64;

function exportName(data: SaeViewData, ext: string): string {
  const stem = (data.base.file?.name ?? 'activations').replace(/\.(npy|json)$/i, '').replace(/[^\w.-]+/g, '_');
  return `${stem}-sae-dictionary-${data.snap.L}x${data.snap.dIn}-instance${data.k + 1}.${ext}`;
}

export function TopRowsPanel() {
  const data = useSaeView();
  const top = useSae((s) => s.topRows);
  if (!data?.base.file) return null; // file data only (the toy bases have no rows to point at)
  const { snap, k } = data;
  const { L, G } = snap;
  const fresh = top && top.runId === snap.runId ? top : null;
  const order = Array.from({ length: L }, (_, l) => l).sort((a, b) => snap.fireRate[k * L + b] - snap.fireRate[k * L + a]);
  const listed = order.slice(0, MAX_LISTED);
  const T = fresh?.T ?? 0;
  return (
    <Panel
      id="sae-top-rows"
      className="panel-wide"
      title="Top-activating rows per latent"
      subtitle={fresh ? `instance ${k + 1}, measured at step ${count(fresh.step)} over all ${count(data.base.file.rows)} rows` : `instance ${k + 1}: measuring…`}
      legend={
        <div className="button-row" role="group" aria-label="Export the dictionary">
          <button type="button" data-sae-action="export-npy" onClick={() => downloadBlob(new Blob([dictionaryNpy(snap, k) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), exportName(data, 'npy'))}>
            Dictionary .npy
          </button>
          <button type="button" data-sae-action="export-json" onClick={() => downloadText(dictionaryJson(snap, k), exportName(data, 'json'), 'application/json')}>
            Dictionary JSON
          </button>
          <span className="field-hint">instance {k + 1}'s decoder columns as rows: {L} × {snap.dIn}, float32</span>
        </div>
      }
      caption={
        <>
          Which inputs does a latent stand for? For each latent (most often firing first), the rows of your file on which its
          activation z is largest, as <code>row (z)</code>; row numbers count from 0, as <code>acts[row]</code> in NumPy. A
          latent whose top rows share something you know about them (the same token, the same class) has found a feature.
          Latents marked dead never fired on the {count(snap.evalSize)} evaluation rows; they may still reach a small z on
          a few rows of the whole file. The exported dictionary loads back in the lab as a truth file, and in NumPy with{' '}
          <code>np.load</code>.
        </>
      }
    >
      <div className="sae-top-rows">
        <table className="sae-top-table" data-sae-top-rows={fresh ? fresh.step : -1}>
          <caption className="visually-hidden">Top {T} activating rows of each latent of instance {k + 1}</caption>
          <thead>
            <tr>
              <th scope="col">latent</th>
              <th scope="col">fires on</th>
              {G > 0 && <th scope="col">best match</th>}
              {Array.from({ length: T }, (_, t) => <th key={t} scope="col">#{t + 1} row (z)</th>)}
            </tr>
          </thead>
          <tbody>
            {listed.map((l) => {
              const dead = !!snap.dead[k * L + l];
              const g = snap.bestFeature[k * L + l];
              return (
                <tr key={l} data-latent={l}>
                  <th scope="row">
                    <span className="swatch swatch-dot" style={{ background: dead ? DEAD_COLOR : latentColor(l, L) }} /> z{l + 1}{dead ? ' (dead)' : ''}
                  </th>
                  <td>{fixed(100 * snap.fireRate[k * L + l], 1)}%</td>
                  {G > 0 && <td>{g >= 0 ? `d${g + 1}, cos ${fixed(snap.cosines[(k * L + l) * G + g], 2)}` : '—'}</td>}
                  {Array.from({ length: T }, (_, t) => {
                    const o = (k * L + l) * T + t;
                    const row = fresh!.rows[o];
                    return <td key={t} className="sae-top-cell">{row >= 0 ? <>{row} <span className="muted">({num(fresh!.values[o], 3)})</span></> : '—'}</td>;
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
        {L > MAX_LISTED && <p className="field-hint">The {MAX_LISTED} most often firing of {L} latents; the CLI's record lists all.</p>}
      </div>
    </Panel>
  );
}
