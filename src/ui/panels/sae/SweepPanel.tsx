// Sharkey et al.'s benchmark, scaled down: synthetic data with G known features in d dimensions,
// SAEs of dictionary size D = ratio × G, each ratio with several λ. The grid (ratio × λ) of final
// MMCS fills in as the sweep trains in its own worker.

import * as d3 from 'd3';
import { useId, useState } from 'react';
import { getSaeController } from '../../../state/saeController.ts';
import { useSae, type SweepSettings } from '../../../state/saeStore.ts';
import { ColorLegend } from '../../charts/ColorLegend.tsx';
import { FieldErrors } from '../../controls/FieldErrors.tsx';
import { count, fixed, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';

type MetricKey = 'mmcs' | 'l0' | 'deadFraction';

const METRICS: { key: MetricKey; label: string }[] = [
  { key: 'mmcs', label: 'MMCS' },
  { key: 'l0', label: 'L0 (active latents per input)' },
  { key: 'deadFraction', label: 'dead fraction' },
];

const MMCS_LO = 0.4;
const mmcsColor = d3.scaleSequential(d3.interpolateViridis).domain([MMCS_LO, 1]).clamp(true);
const deadColor = d3.scaleSequential(d3.interpolateReds).domain([0, 1]).clamp(true);

function SweepField({ name, label, hint }: { name: keyof SweepSettings; label: string; hint?: string }) {
  const id = useId();
  const value = useSae((s) => s.sweepSettings[name]);
  return (
    <div className="field sae-sweep-field" data-sweep-field={name}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="field-input"
        type="text"
        spellCheck={false}
        autoComplete="off"
        value={String(value)}
        title={hint}
        onChange={(e) => getSaeController().editSweep({ [name]: typeof value === 'number' && e.target.value.trim() !== '' && Number.isFinite(Number(e.target.value)) ? Number(e.target.value) : e.target.value } as Partial<SweepSettings>)}
      />
    </div>
  );
}

export function SweepPanel() {
  const sweep = useSae((s) => s.sweep);
  const running = useSae((s) => s.sweepRunning);
  const errors = useSae((s) => s.sweepErrors);
  const settings = useSae((s) => s.sweepSettings);
  const [metric, setMetric] = useState<MetricKey>('mmcs');
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(600);
  const metricId = useId();
  const c = getSaeController();

  const R = sweep?.ratios.length ?? 0;
  const K = sweep?.l1.length ?? 0;
  const left = 118, top = 26, bottom = 44;
  const cellW = K ? Math.max(44, Math.min(88, Math.floor((Math.min(width, 760) - left - 10) / K))) : 0;
  const cellH = 38;
  const values = sweep ? sweep[metric] : new Float32Array();
  const l0Max = sweep ? Math.max(1, d3.max(Array.from(sweep.l0).filter(Number.isFinite)) ?? 1) : 1;
  const l0Color = d3.scaleSequentialLog(d3.interpolateYlOrBr).domain([0.1, l0Max]).clamp(true);
  const color = (v: number) => (metric === 'mmcs' ? mmcsColor(v) : metric === 'l0' ? l0Color(Math.max(0.1, v)) : deadColor(v));
  const dark = (v: number) => (metric === 'mmcs' ? v < 0.75 : metric === 'l0' ? v > l0Max / 3 : v > 0.5);
  const grid = sweep ? Array.from({ length: R }, (_, r) => Array.from(sweep.mmcs.subarray(r * K, (r + 1) * K), (v) => (Number.isFinite(v) ? Number(v.toFixed(4)) : null))) : [];
  const bestPerRatio = sweep ? Array.from({ length: R }, (_, r) => d3.max(Array.from(sweep.mmcs.subarray(r * K, (r + 1) * K)).filter(Number.isFinite))) : [];

  return (
    <Panel
      id="sae-sweep"
      className="panel-wide"
      title="Benchmark: when can an SAE recover every feature? (Sharkey et al.)"
      subtitle={
        sweep
          ? sweep.done
            ? `done in ${num(sweep.seconds, 3)} s (${sweep.engine} engine)`
            : sweep.stopped
              ? 'stopped'
              : `training D/G = ${sweep.ratios[sweep.row] ?? '—'}: ${count(sweep.steps)} of ${count(sweep.totalSteps)} steps, ${count(sweep.stepsPerSecond)} steps/s`
          : 'not run yet'
      }
      legend={
        metric === 'mmcs' ? (
          <ColorLegend title="MMCS" color={(v) => mmcsColor(v)} domain={[MMCS_LO, 1]} ticks={[{ value: MMCS_LO, label: `≤ ${MMCS_LO}` }, { value: 0.7, label: '0.7' }, { value: 1, label: '1' }]} />
        ) : metric === 'deadFraction' ? (
          <ColorLegend title="dead fraction" color={(v) => deadColor(v)} domain={[0, 1]} ticks={[{ value: 0, label: '0' }, { value: 1, label: '1' }]} />
        ) : (
          <ColorLegend title="L0 (log scale)" color={(v) => l0Color(Math.max(0.1, v))} domain={[0.1, l0Max]} ticks={[{ value: 0.1, label: '≤ 0.1' }, { value: l0Max, label: num(l0Max, 2) }]} />
        )
      }
      caption={
        <>
          Synthetic data with known answers: G random unit directions in d dimensions (the defaults, G = 64 in d = 32, keep the
          paper's G = 2d of 512 in 256), each input a sum of about {settings.sharkeyActive} of them with U[0, 1] coefficients. Rows: dictionary
          size D as a multiple of G. Columns: λ, spread log-evenly over the SAE instances. <strong>What to look for:</strong> with
          D/G ≥ 1 and λ in the middle, MMCS comes close to 1 (every true feature has a latent pointing at it). Too small a λ
          leaves the code dense (high L0, latents mix features); too large a λ starves the latents (L0 → 0, MMCS falls). With
          D/G = 0.5 there are fewer latents than features, so MMCS stays well below 1 whatever λ is. Loss: mean over d of the
          squared error plus λ Σ|z| (ARENA's), so useful λ are smaller than Sharkey's. Full size: d = 256, G = 512 (slow here;
          the CLI's <code>npm run lab -- sae-sweep --sharkey-dim 256 --sharkey-features 512</code> runs it headless).
        </>
      }
    >
      <div className="sae-sweep-form" aria-label="Sweep settings">
        <SweepField name="ratios" label="D/G ratios" hint="dictionary size as a multiple of G, comma-separated" />
        <SweepField name="l1Range" label="λ range a:b" hint="λ of the first and last instance, log-spaced" />
        <SweepField name="sharkeyDim" label="d" hint="activation dimension" />
        <SweepField name="sharkeyFeatures" label="G" hint="true features" />
        <SweepField name="sharkeyActive" label="active" hint="mean active features per input" />
        <SweepField name="saeSteps" label="steps" hint="Adam steps per dictionary size (batch 256, lr 3e-3)" />
        <div className="button-row">
          {running ? (
            <button type="button" data-sae-action="sweep-stop" onClick={() => c.stopSweep()}>■ Stop</button>
          ) : (
            <button type="button" className="primary" data-sae-action="sweep-run" onClick={() => c.startSweep()}>▶ Run sweep</button>
          )}
        </div>
        <div className="field">
          <label htmlFor={metricId}>show</label>
          <select id={metricId} value={metric} onChange={(e) => setMetric(e.target.value as MetricKey)} data-sae-control="sweep-metric">
            {METRICS.map((m) => <option key={m.key} value={m.key}>{m.label}</option>)}
          </select>
        </div>
      </div>
      <FieldErrors id="sae-sweep-errors" errors={errors} />
      <div ref={bodyRef} className="gram-body">
        {!sweep ? (
          <p className="panel-note">Press <strong>Run sweep</strong>: {settings.ratios.split(',').length} dictionary sizes are trained one after the other in a separate worker (about a minute or two with the defaults on a laptop); the grid fills in as each finishes.</p>
        ) : (
          <svg
            width={left + K * cellW + 120}
            height={top + R * cellH + bottom}
            role="img"
            aria-label={`Sweep grid: ${R} dictionary ratios by ${K} λ values`}
            data-sweep-done={sweep.done ? 1 : 0}
            data-sweep-grid={JSON.stringify(grid)}
          >
            <g transform={`translate(${left},${top})`}>
              <text className="axis-label" x={-left + 4} y={-10}>D/G (D latents)</text>
              {sweep.l1.map((l, i) => (
                <text key={i} className="axis-tick" x={(i + 0.5) * cellW} y={R * cellH + 16} textAnchor="middle">{num(l, 2)}</text>
              ))}
              <text className="axis-label" x={(K * cellW) / 2} y={R * cellH + 36} textAnchor="middle">L1 coefficient λ</text>
              <text className="axis-label" x={K * cellW + 10} y={-10}>best MMCS</text>
              {d3.range(R).map((r) => {
                const row = R - 1 - r; // largest ratio on top
                const live = !sweep.done && !sweep.stopped && r === sweep.row;
                return (
                  <g key={r} transform={`translate(0,${row * cellH})`} data-ratio={sweep.ratios[r]}>
                    <text className="axis-tick" x={-8} y={cellH / 2} dy="0.35em" textAnchor="end">
                      {sweep.ratios[r]} ({sweep.dictSizes[r]})
                    </text>
                    {d3.range(K).map((i) => {
                      const v = values[r * K + i];
                      const liveV = live && metric === 'mmcs' ? sweep.liveMmcs[i] : NaN;
                      const shown = Number.isFinite(v) ? v : liveV;
                      return (
                        <g key={i}>
                          <rect x={i * cellW} y={0} width={cellW - 2} height={cellH - 2} rx={3}
                            fill={Number.isFinite(v) ? color(v) : Number.isFinite(liveV) ? color(liveV) : '#f3f4f6'}
                            opacity={Number.isFinite(v) ? 1 : 0.45} stroke={live ? '#6b7280' : 'none'} strokeDasharray={live ? '3 2' : undefined} />
                          <text className="sae-cell-text" x={i * cellW + (cellW - 2) / 2} y={(cellH - 2) / 2} dy="0.35em" textAnchor="middle"
                            fill={Number.isFinite(v) && dark(v) ? '#fff' : '#1f2430'} fontStyle={Number.isFinite(v) ? undefined : 'italic'}>
                            {Number.isFinite(shown) ? (metric === 'l0' ? num(shown, 2) : fixed(shown, 2)) : live ? '…' : ''}
                          </text>
                        </g>
                      );
                    })}
                    <text className="sae-best" x={K * cellW + 10} y={cellH / 2} dy="0.35em">{bestPerRatio[r] !== undefined ? fixed(bestPerRatio[r]!, 3) : ''}</text>
                  </g>
                );
              })}
            </g>
          </svg>
        )}
      </div>
    </Panel>
  );
}
