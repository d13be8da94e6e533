// A phase diagram (science.md §4.6–4.7): one trained model per cell, over the extra feature's
// relative importance (x, log) and the feature density (y, log); each cell coloured by what the
// model does with the extra feature. For n = 2, m = 1 the closed-form diagram is drawn beside it,
// and its boundary over both. Cells fade in as their phase settles.

import * as d3 from 'd3';
import { useMemo, useState } from 'react';
import { classifyPass, combinePasses, hasTheory, settleSteps, type PhaseGridResult } from '../../../engine/views/views.ts';
import { PHASES, SUPERPOSITION_DENSITY_N2M1_EQUAL, superpositionDensityN2M1, theoreticalPhaseN2M1, type Phase } from '../../../engine/toy/theory.ts';
import type { RunState } from '../../../state/viewStore.ts';
import { Axis } from '../../charts/Axis.tsx';
import { ProgressBar } from '../../charts/ProgressBar.tsx';
import { PHASE_COLORS } from '../../colors.ts';
import { count, num } from '../../format.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { useThrottled } from '../../hooks/useThrottled.ts';
import { Panel } from '../Panel.tsx';
import { RunWaiting } from './RunWaiting.tsx';
import { phaseWords, runProgressWords } from '../../a11y/viewSummaries.ts';

/**
 * What a phase means in words. With m = 1 the "dedicated" extra feature takes the only dimension; with m ≥ 2 it has a
 * dimension of its own while the other features do what the cell's geometry says (for n = 3, m = 2 usually an antipodal
 * pair in the other dimension), and the cell's geometry names that.
 */
export function phaseName(phase: Phase, m: number, geometry = ''): string {
  if (phase === 'not represented') return 'extra feature not represented';
  if (phase === 'superposition') return 'superposition';
  if (m === 1) return 'extra feature gets the dimension';
  if (/^antipodal pair \+ 1 dedicated dimension$/.test(geometry)) return 'extra feature has a dimension of its own; the others share the other as an antipodal pair';
  return 'extra feature has a dimension of its own';
}

interface GridView {
  result: PhaseGridResult;
  /** per cell: has its phase settled (always true once a pass is done) */
  settled: boolean[];
  note: string;
}

/** 800 cells: while a pass trains, the grids redraw at most this often. */
const REDRAW_MS = 150;

function useGridView(liveRun: RunState | undefined): GridView | null {
  const training = liveRun?.passes.some((p) => p.status === 'training') ?? false;
  const run = useThrottled(liveRun, REDRAW_MS, !training);
  const finished = useMemo(() => run?.passes.filter((p) => p.phase).map((p) => p.phase!) ?? [], [run?.passes]);
  const live = run?.passes.find((p) => (p.status === 'training' || p.status === 'paused') && p.snapshot);
  return useMemo(() => {
    if (!run) return null;
    const config = run.passes[0].config;
    const K = config.instances;
    const passNo = live ? run.passes.indexOf(live) + 1 : 0;
    if (finished.length) {
      const result = combinePasses(config, finished);
      const note = live
        ? `Pass ${passNo} of ${run.passes.length} (seed ${live.config.seed}) is training; each cell will keep whichever training reaches the lower loss.`
        : finished.length < run.passes.length ? 'Waiting for the next pass.' : `Best of ${finished.length} trainings per cell (seeds ${run.passes[0].config.seed}–${run.passes[run.passes.length - 1].config.seed}).`;
      return { result, settled: Array(K).fill(true), note };
    }
    if (!live?.snapshot) return null;
    const pass = classifyPass(live.config, live.snapshot, false);
    const result = combinePasses(config, [pass]);
    const need = settleSteps(live.totalSteps);
    const settled = Array.from({ length: K }, (_, k) => (run.settling ? live.snapshot!.step - run.settling.since[k] >= need : false));
    return { result, settled, note: `Pass 1 of ${run.passes.length}: cells fill in as their phase holds for ${count(need)} steps.` };
  }, [run, finished, live]);
}

interface GridProps {
  result: PhaseGridResult;
  phaseOf: (k: number) => Phase;
  settled: (k: number) => boolean;
  size: number;
  title: string;
  theoryLine: boolean;
  onHover: (k: number | null, e?: React.PointerEvent) => void;
  kind: 'trained' | 'theory';
}

function Grid({ result, phaseOf, settled, size, title, theoryLine, onHover, kind }: GridProps) {
  const { rows, cols, densities, importances } = result;
  const margin = { top: 22, right: 10, bottom: 44, left: 52 };
  const cw = size / cols;
  const ch = size / rows;
  const lr = [Math.log10(importances[0]), Math.log10(importances[cols - 1])];
  const lp = [Math.log10(densities[0]), Math.log10(densities[rows - 1])];
  // cell centres sit on the log-spaced values; the axes span half a cell beyond them
  const halfX = (lr[1] - lr[0]) / (cols - 1) / 2;
  const halfY = (lp[0] - lp[1]) / (rows - 1) / 2;
  const x = d3.scaleLog().domain([10 ** (lr[0] - halfX), 10 ** (lr[1] + halfX)]).range([0, size]);
  const y = d3.scaleLog().domain([10 ** (lp[1] - halfY), 10 ** (lp[0] + halfY)]).range([size, 0]);
  const curve = theoryLine ? d3.range(0, 201).map((i) => 10 ** (Math.log10(x.domain()[0]) + (i / 200) * (Math.log10(x.domain()[1]) - Math.log10(x.domain()[0])))) : [];
  const path = d3.line<number>().x((r) => x(r)).y((r) => y(Math.min(superpositionDensityN2M1(r), y.domain()[1])));
  return (
    <svg width={size + margin.left + margin.right} height={size + margin.top + margin.bottom} role="img" aria-label={title} data-grid={kind} className="phase-grid">
      <text x={margin.left} y={14} className="phase-grid-title">{title}</text>
      <g transform={`translate(${margin.left},${margin.top})`} onPointerLeave={() => onHover(null)}>
        {result.cells.map((c, k) => {
          const phase = phaseOf(k);
          return (
            <rect
              key={k}
              x={c.col * cw}
              y={c.row * ch}
              width={cw + 0.4}
              height={ch + 0.4}
              fill={PHASE_COLORS[phase]}
              opacity={settled(k) ? 1 : 0.28}
              data-row={c.row}
              data-col={c.col}
              data-phase={phase}
              onPointerMove={(e) => onHover(k, e)}
            />
          );
        })}
        {theoryLine && (
          <g className="phase-boundary" pointerEvents="none">
            <path d={path(curve) ?? ''} />
            <line x1={x(1)} x2={x(1)} y1={y(SUPERPOSITION_DENSITY_N2M1_EQUAL)} y2={0} />
            <circle cx={x(1)} cy={y(SUPERPOSITION_DENSITY_N2M1_EQUAL)} r={3} />
            <text x={x(1) + 5} y={y(SUPERPOSITION_DENSITY_N2M1_EQUAL) + 13} className="phase-boundary-label">4/7</text>
          </g>
        )}
        <rect width={size} height={size} className="phase-frame" pointerEvents="none" />
        <Axis scale={x} orient="bottom" y={size} tickValues={[0.1, 0.3, 1, 3, 10]} format={(d: number) => String(d)} label="relative importance of the extra feature" labelOffset={34} />
        <Axis scale={y} orient="left" tickValues={[0.01, 0.03, 0.1, 0.3, 1]} format={(d: number) => String(d)} label="feature density 1 − S" labelOffset={40} />
      </g>
    </svg>
  );
}

export function PhaseGridPanel({ run, id }: { run: RunState | undefined; id: string }) {
  const view = useGridView(run);
  const [hover, setHover] = useState<{ k: number; x: number; y: number } | null>(null);
  const [bodyRef, width] = useElementWidth<HTMLDivElement>(600);
  const config = run?.passes[0].config;
  const theory = config ? hasTheory(config) : false;
  const title = config ? `Phase diagram, n = ${config.n}, m = ${config.m}` : 'Phase diagram';
  const passesDone = run?.passes.filter((p) => p.status === 'done').length ?? 0;
  const live = run?.passes.find((p) => p.status === 'training' || p.status === 'paused');
  const totalSteps = run ? run.passes.reduce((s, p) => s + p.totalSteps, 0) : 0;
  const stepsDone = run ? run.passes.reduce((s, p) => s + (p.status === 'done' ? p.totalSteps : p.step), 0) : 0;
  const progress = run && (
    <ProgressBar
      label={passesDone === run.passes.length ? 'done' : live ? `pass ${run.passes.indexOf(live) + 1}/${run.passes.length}` : 'waiting'}
      value={stepsDone}
      max={totalSteps}
      detail={`${count(stepsDone)} / ${count(totalSteps)} steps · ${run.passes.reduce((s, p) => s + p.seconds, 0).toFixed(1)} s`}
    />
  );
  if (!view || !config) return <Panel id={id} title={title} summary={null} waiting={<>{progress}<RunWaiting run={run} /></>} bodyRef={bodyRef} />;
  const { result } = view;
  const size = Math.max(200, Math.min(360, Math.floor((width - (theory ? 2 : 1) * 70) / (theory ? 2 : 1))));
  const hovered = hover ? result.cells[hover.k] : null;
  const onHover = (k: number | null, e?: React.PointerEvent) => setHover(k === null || !e ? null : { k, x: e.clientX, y: e.clientY });
  const agreement = result.agreement;
  const passAgreement = result.passAgreement[0];
  return (
    <Panel
      id={id}
      summary={`${runProgressWords(run)} ${phaseWords(result)}`.trim()}
      title={title}
      className={theory ? 'panel-span-2' : undefined}
      subtitle={
        agreement !== null
          ? `${Math.round(agreement * 100)}% of cells match the closed form${result.passes > 1 && passAgreement !== null ? ` (pass 1 alone: ${Math.round(passAgreement * 100)}%)` : ''}`
          : `${result.rows} × ${result.cols} models`
      }
      legend={
        <ul className="swatches">
          {PHASES.map((p) => (
            <li key={p}><span className="swatch swatch-cell" style={{ background: PHASE_COLORS[p] }} />{phaseName(p, result.m)} ({result.counts[p]})</li>
          ))}
          {theory && <li><span className="swatch swatch-boundary" />closed-form boundary (b = 0)</li>}
        </ul>
      }
      caption={
        theory ? (
          <>
            Two features share one dimension; feature 1 has importance 1, the extra feature r. Each cell is a model trained at
            that r and density and classified by its extra feature: dropped (W ≈ [1, 0]), given the dimension (W ≈ [0, 1]), or
            stored antipodally with feature 1 (W ≈ [1, −1], the ReLU and a negative bias filtering the interference). The
            paper: superposition takes over at low density and widens as density drops; the closed form puts the boundary at
            density <strong>4/7</strong> for equal importance. Near r ≈ 1 a single training sometimes keeps one feature instead of the pair
            (a local minimum), so each cell keeps the best of {run!.passes.length} seeds.
          </>
        ) : (
          <>
            Three features in two dimensions; the extra (third) feature's importance varies. Dropped (grey), a dimension of its own
            (blue: the other two then share the remaining one as an antipodal pair), or in superposition (red: usually an antipodal
            pair with one of the others, while the third keeps a dimension). The paper shows the same three phases one size up. No
            closed form is drawn here; comparing the idealised solutions' expected losses puts the switch at r = 1 once data is
            sparse (pairing the extra feature wins below, giving it the dimension above), so red cells right of r = 1 are trainings
            that kept a worse pairing (local minima).
          </>
        )
      }
    >
      <div ref={bodyRef} className="phase-body" data-agreement={agreement ?? undefined} data-passes={result.passes}>
        {progress}
        <p className="panel-note">{view.note}</p>
        <div className="phase-grids">
          <Grid result={result} phaseOf={(k) => result.cells[k].phase} settled={(k) => view.settled[k]} size={size} title="trained" theoryLine={theory} onHover={onHover} kind="trained" />
          {theory && (
            <Grid
              result={result}
              phaseOf={(k) => result.cells[k].theory ?? theoreticalPhaseN2M1(result.cells[k].importance, result.cells[k].density)}
              settled={() => true}
              size={size}
              title="closed form (argmin of the three losses)"
              theoryLine
              onHover={onHover}
              kind="theory"
            />
          )}
        </div>
        {hovered && hover && (
          <div className="tooltip" role="tooltip" style={{ left: Math.min(hover.x + 14, window.innerWidth - 260), top: hover.y + 14 }}>
            <div className="tooltip-title">r = {num(hovered.importance, 3)}, density {num(hovered.density, 3)}</div>
            <table>
              <tbody>
                <tr><th>trained</th><td>{phaseName(hovered.phase, result.m, hovered.geometry)}</td></tr>
                {hovered.theory && <tr><th>closed form</th><td>{phaseName(hovered.theory, result.m)}</td></tr>}
                <tr><th>geometry</th><td>{hovered.geometry}</td></tr>
                {result.passes > 1 && <tr><th>best pass</th><td>{hovered.pass + 1} (expected loss {num(hovered.loss, 3)})</td></tr>}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Panel>
  );
}
