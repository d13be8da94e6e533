// The paper's "basic results" figure, live: for each model (rows) and sparsity (columns), WᵀW with
// the bias beside it, and ‖Wᵢ‖ coloured by superposition.

import { useMemo } from 'react';
import { instanceSparsities } from '../../../engine/toy/config.ts';
import { gram } from '../../../engine/toy/metrics.ts';
import { sweepSummary, type SweepResult } from '../../../engine/views/views.ts';
import type { RunState } from '../../../state/viewStore.ts';
import { ColorLegend } from '../../charts/ColorLegend.tsx';
import { MiniHeatmap } from '../../charts/MiniHeatmap.tsx';
import { MiniNormBars } from '../../charts/MiniNormBars.tsx';
import { divergingColor, superpositionColor, SUPERPOSITION_MAX } from '../../colors.ts';
import { num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { latestSnapshot } from '../../views/viewSession.ts';
import { Panel, Waiting } from '../Panel.tsx';
import { sweepWords } from '../../a11y/viewSummaries.ts';

interface Row {
  run: RunState;
  gram: Float32Array[];
  bias: Float32Array[];
  summary: SweepResult;
  norms: Float32Array;
  superposition: Float32Array;
  n: number;
  K: number;
}

function useRow(run: RunState | undefined): Row | null {
  const latest = latestSnapshot(run);
  const s = latest?.snapshot;
  const config = latest?.config;
  return useMemo(() => {
    if (!run || !s || !config) return null;
    const size = s.m * s.n;
    return {
      run,
      gram: Array.from({ length: s.K }, (_, k) => gram(s.W.subarray(k * size, (k + 1) * size), s.m, s.n)),
      bias: Array.from({ length: s.K }, (_, k) => s.b.subarray(k * s.n, (k + 1) * s.n)),
      summary: sweepSummary(config, s),
      norms: s.metrics.featureNorms,
      superposition: s.metrics.superposition,
      n: s.n,
      K: s.K,
    };
  }, [s, config, run]);
}

export function SweepGridPanel({ relu, linear }: { relu: RunState | undefined; linear: RunState | undefined }) {
  const rows = [useRow(relu), useRow(linear)].filter((r): r is Row => r !== null);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(1000);
  const config = relu?.passes[0].config;
  const sparsities = config ? instanceSparsities(config) : [];
  const K = sparsities.length;
  const labelW = 92;
  const cell = Math.max(70, Math.min(150, Math.floor((width - labelW) / Math.max(1, K)) - 10));
  const mapSide = Math.round(cell * 0.72);
  const biasW = Math.max(6, Math.round(cell * 0.1));
  const barsH = Math.round(cell * 0.5);
  return (
    <Panel
      id="sweep-grid"
      summary={rows.length ? rows.map((row) => sweepWords(row.run.spec.label, row.summary)).join(" ") : null}
      className="panel-wide"
      title="Dense to sparse: linear and ReLU-output models"
      subtitle={config ? `n = ${config.n}, m = ${config.m}, importance ${config.importanceDecay}ⁱ` : undefined}
      legend={
        <>
          <ColorLegend title="WᵀW entries and bias" color={(v) => divergingColor(v)} domain={[-1, 0, 1]} ticks={[{ value: -1, label: '−1' }, { value: 0, label: '0' }, { value: 1, label: '1' }]} />
          <ColorLegend title="bars ‖Wᵢ‖, coloured by superposition" color={(v) => superpositionColor(v)} domain={[0, SUPERPOSITION_MAX]} ticks={[{ value: 0, label: '0 (alone)' }, { value: 2, label: '≥ 2 (shared)' }]} width={200} />
        </>
      }
      caption={
        <>
          Each column is one sparsity, each row one model. Squares: WᵀW (feature i against feature j) with the bias b as a
          strip on its right; bars: ‖Wᵢ‖ for the {config?.n ?? 20} features, most important on top, the tick marks 1. The paper:
          the <strong>linear</strong> model keeps the {config?.m ?? 5} most important features at every sparsity (an identity block, like PCA),
          while the <strong>ReLU</strong> model packs more and more features into superposition as data gets sparser: off-diagonal
          interference, yellow bars and negative biases.
        </>
      }
    >
      <div ref={bodyRef} className="sweep-grid" style={{ gridTemplateColumns: `${labelW}px repeat(${K}, ${cell}px)` }}>
        {rows.length === 0 && <Waiting />}
        {rows.length > 0 && (
          <>
            <div />
            {sparsities.map((S, k) => (
              <div key={k} className="sweep-col-head">S = {num(S, 3)}</div>
            ))}
          </>
        )}
        {rows.map((row) => (
          <SweepRow key={row.run.spec.id} row={row} mapSide={mapSide} biasW={biasW} barsH={barsH} cell={cell} />
        ))}
      </div>
    </Panel>
  );
}

function SweepRow({ row, mapSide, biasW, barsH, cell }: { row: Row; mapSide: number; biasW: number; barsH: number; cell: number }) {
  const { run, summary, n } = row;
  return (
    <>
      <div className="sweep-row-head">
        <strong>{run.spec.label}</strong>
        <span className="muted">{run.passes[0].status === 'done' ? 'trained' : run.passes[0].status}</span>
      </div>
      {summary.instances.map((inst, k) => (
        <div key={k} className="sweep-cell" data-run={run.spec.id} data-instance={k} data-represented={inst.represented} data-superposed={inst.superposed}>
          <div className="sweep-maps">
            <MiniHeatmap values={row.gram[k]} rows={n} cols={n} width={mapSide} height={mapSide} label={`${run.spec.label}, S = ${num(inst.sparsity, 3)}: WᵀW`} />
            <MiniHeatmap values={row.bias[k]} rows={n} cols={1} width={biasW} height={mapSide} label="bias" />
          </div>
          <MiniNormBars norms={row.norms.subarray(k * n, (k + 1) * n)} superposition={row.superposition.subarray(k * n, (k + 1) * n)} width={Math.min(cell - 6, mapSide + biasW + 4)} height={barsH} label={`‖Wᵢ‖: ${inst.represented} of ${n} represented`} />
          <div className="sweep-cell-text">
            {inst.represented} represented{inst.superposed ? `, ${inst.superposed} superposed` : ''}
          </div>
        </div>
      ))}
    </>
  );
}
