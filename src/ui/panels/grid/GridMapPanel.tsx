// The grid itself: one square per cell, coloured by the class the user picked, filling in as cells are
// classified (faint while training, solid once its trainer is done). Hover or arrow keys show a cell's
// numbers; click or Enter opens that cell's config in the live lab (same seed). Exports: JSON and CSV.

import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import * as d3 from 'd3';
import { axisOf, settingSpec } from '../../../engine/grid/config.ts';
import { cellLabConfig, gridCsv, gridRecord, type GridCell } from '../../../engine/grid/run.ts';
import { DEFAULT_CONFIG } from '../../../engine/toy/config.ts';
import { setView } from '../../../state/labStore.ts';
import { useGrid } from '../../../state/gridStore.ts';
import { useController } from '../../LabContext.tsx';
import { downloadText } from '../../export/download.ts';
import { useElementWidth } from '../../hooks/useElementWidth.ts';
import { Panel } from '../Panel.tsx';
import { CLASSIFY_LABELS } from './GridControlsPanel.tsx';
import { cellPaint, useGridController } from './shared.ts';

const M = { top: 10, right: 12, bottom: 44, left: 64 };
const num = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : Number(v.toPrecision(3)).toString());

function describeCell(c: GridCell, x: string, y: string): string[] {
  const lines = [`${x} = ${num(c.x)}, ${y} = ${num(c.y)}`];
  if (c.geometry === undefined) return [...lines, 'not trained yet'];
  lines.push(`geometry: ${c.geometry}`, `represented: ${c.represented} of ${c.settings.n}`, `dimensions per feature: ${c.dims!.toFixed(3)}`, `last feature: ${c.phase}${c.theory ? ` (theory: ${c.theory})` : ''}`, `loss: ${c.loss.toExponential(3)}`, `step ${c.step}${c.status === 'done' ? '' : ' (training)'}`);
  return lines;
}

export function GridMapPanel() {
  useGridController();
  const lab = useController();
  const cells = useGrid((s) => s.cells);
  const config = useGrid((s) => s.runConfig);
  const status = useGrid((s) => s.status);
  const [focus, setFocus] = useState<number | null>(null);
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const by = config?.classify ?? 'polytope';
  const paint = useMemo(() => cellPaint(cells, by), [cells, by]);
  if (!config || !cells.length) return <Panel id="grid-map" title="Grid" className="panel-wide" waiting={true} bodyRef={ref} summary={null} />;
  const xName = settingSpec(config.xSetting).label, yName = settingSpec(config.ySetting).label;
  const W = Math.max(320, Math.min(width || 640, 760));
  const size = Math.floor(Math.min((W - M.left - M.right) / config.cols, 440 / config.rows));
  const gw = size * config.cols, gh = size * config.rows;
  const focused = focus === null ? null : cells[focus];
  const open = (c: GridCell) => {
    lab.applyConfig(cellLabConfig(config, c.settings), DEFAULT_CONFIG);
    setView('lab');
  };
  const onKey = (e: KeyboardEvent) => {
    const cur = focus ?? 0;
    const row = Math.floor(cur / config.cols), col = cur % config.cols;
    const move = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [1, 0], ArrowDown: [-1, 0] }[e.key];
    if (move) {
      e.preventDefault();
      const r = Math.max(0, Math.min(config.rows - 1, row + move[0])), c = Math.max(0, Math.min(config.cols - 1, col + move[1]));
      setFocus(r * config.cols + c);
    } else if (e.key === 'Enter' && focus !== null) open(cells[focus]);
  };
  const ticks = (a: 'x' | 'y', count: number) => {
    const values = cells.filter((c) => (a === 'x' ? c.row === 0 : c.col === 0)).map((c) => (a === 'x' ? c.x : c.y));
    const every = Math.max(1, Math.ceil(count / 5));
    return values.map((v, i) => ({ v, i })).filter(({ i }) => i % every === 0 || i === count - 1);
  };
  const exportJson = () => downloadText(JSON.stringify(gridRecord(config, cells, { trainers: status?.trainers ?? 0, stepsTaken: status?.step ?? 0, seconds: status?.seconds ?? 0, agreement: status?.agreement ?? null })), 'grid.json', 'application/json');
  const exportCsv = () => downloadText(gridCsv(config, cells), 'grid.csv', 'text/csv');
  const summary = status ? `${status.cellsDone} of ${status.cells} cells done; ${paint.legend.slice(0, 3).map((l) => `${l.count} ${l.label}`).join(', ')}` : null;
  const legend = paint.range ? (
    <div className="grid-legend" data-grid-legend="scale">
      {CLASSIFY_LABELS[by]}: <span className="grid-swatch" style={{ background: d3.interpolateViridis(0) }} /> {num(paint.range[0])} … <span className="grid-swatch" style={{ background: d3.interpolateViridis(1) }} /> {num(paint.range[1])}
    </div>
  ) : (
    <ul className="grid-legend" aria-label={`Classes: ${CLASSIFY_LABELS[by]}`}>
      {paint.legend.map((l) => <li key={l.label}><span className="grid-swatch" style={{ background: l.color }} /> {l.label} ({l.count})</li>)}
    </ul>
  );
  return (
    <Panel id="grid-map" title="Grid" className="panel-wide" summary={summary} subtitle={`${config.cols} × ${config.rows} cells, coloured by ${CLASSIFY_LABELS[by]}`} legend={legend}
      caption={<>Each square is one trained toy model (n = {config.n}, m = {config.m} unless an axis sets them) — faint while its trainer trains, solid when done. Hover or use the arrow keys for a cell's numbers; click or press Enter to open it in the live lab with the same seed. <button type="button" className="link-button" onClick={exportJson} data-grid-export="json">Download JSON</button> · <button type="button" className="link-button" onClick={exportCsv} data-grid-export="csv">Download CSV</button></>}>
      <div ref={ref} className="grid-map">
        <svg ref={svgRef} width={gw + M.left + M.right} height={gh + M.top + M.bottom} role="grid" aria-label={`${config.cols} × ${config.rows} grid over ${xName} and ${yName}; arrow keys move between cells, Enter opens one in the lab`} tabIndex={0} onKeyDown={onKey} onFocus={() => focus === null && setFocus(0)} data-grid="map" data-done={status?.done ? 'true' : 'false'} aria-activedescendant={focus === null ? undefined : `grid-cell-${focus}`}>
          <g transform={`translate(${M.left},${M.top})`} onMouseLeave={() => setFocus(null)}>
            {Array.from({ length: config.rows }, (_, r) => config.rows - 1 - r).map((row) => (
              <g key={row} role="row">
                {cells.filter((c) => c.row === row).map((c) => (
                  <rect key={c.index} id={`grid-cell-${c.index}`} role="gridcell" aria-label={describeCell(c, xName, yName).join('; ')} x={c.col * size} y={(config.rows - 1 - c.row) * size} width={size - 1} height={size - 1}
                    fill={paint.color(c)} fillOpacity={c.status === 'done' ? 1 : 0.45} stroke={focus === c.index ? '#1f2430' : c.geometry === undefined ? '#d0d4da' : 'none'} strokeWidth={focus === c.index ? 2 : 1}
                    data-row={c.row} data-col={c.col} data-class={c.geometry === undefined ? undefined : paint.label(c)} data-status={c.status} data-phase={c.phase} data-theory={c.theory ?? undefined}
                    onMouseEnter={() => setFocus(c.index)} onClick={() => open(c)} style={{ cursor: 'pointer' }} />
                ))}
              </g>
            ))}
            {ticks('x', config.cols).map(({ v, i }) => <text key={`x${i}`} x={i * size + size / 2} y={gh + 14} textAnchor="middle" className="axis-tick">{num(v)}</text>)}
            {ticks('y', config.rows).map(({ v, i }) => <text key={`y${i}`} x={-6} y={(config.rows - 1 - i) * size + size / 2 + 4} textAnchor="end" className="axis-tick">{num(v)}</text>)}
            <text x={gw / 2} y={gh + 34} textAnchor="middle" className="axis-label">{xName}{axisOf(config, 'x').scale === 'log' ? ' (log)' : ''}</text>
            <text transform={`translate(${-48},${gh / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">{yName}{axisOf(config, 'y').scale === 'log' ? ' (log)' : ''}</text>
          </g>
        </svg>
        <div className="grid-tooltip" data-grid-tooltip aria-live="polite">
          {focused ? describeCell(focused, xName, yName).map((l) => <div key={l}>{l}</div>) : <div className="muted">Point at a cell for its numbers.</div>}
        </div>
      </div>
    </Panel>
  );
}
