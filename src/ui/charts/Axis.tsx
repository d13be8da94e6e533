// The one place where d3 touches the DOM: an axis drawn into its own <g ref>.

import * as d3 from 'd3';
import { useLayoutEffect, useRef } from 'react';

type AnyScale = d3.AxisScale<d3.NumberValue> | d3.AxisScale<string>;

interface AxisProps {
  scale: AnyScale;
  orient: 'bottom' | 'left' | 'right' | 'top';
  x?: number;
  y?: number;
  ticks?: number;
  tickValues?: readonly (number | string)[];
  format?: (d: never, i: number) => string;
  /** label drawn along the axis */
  label?: string;
  /** length along the axis, for placing the label */
  labelOffset?: number;
}

const MAKERS = { bottom: d3.axisBottom, left: d3.axisLeft, right: d3.axisRight, top: d3.axisTop } as const;

export function Axis({ scale, orient, x = 0, y = 0, ticks, tickValues, format, label, labelOffset = 34 }: AxisProps) {
  const ref = useRef<SVGGElement>(null);
  useLayoutEffect(() => {
    if (!ref.current) return;
    // d3's axis generators are generic over the domain type; the scale decides it at run time.
    const axis = (MAKERS[orient] as (s: AnyScale) => d3.Axis<unknown>)(scale);
    if (ticks !== undefined) axis.ticks(ticks);
    if (tickValues) axis.tickValues(tickValues as unknown[]);
    if (format) axis.tickFormat(format as (d: unknown, i: number) => string);
    axis.tickSizeOuter(0);
    const g = d3.select(ref.current);
    g.call(axis as unknown as (sel: d3.Selection<SVGGElement, unknown, null, undefined>) => void);
    g.selectAll('text').attr('class', 'axis-tick');
    g.selectAll('line,path').attr('stroke', '#9ca3af');
  }, [scale, orient, ticks, tickValues, format]);
  const range = scale.range() as number[];
  const mid = (range[0] + range[range.length - 1]) / 2;
  return (
    <g transform={`translate(${x},${y})`} className="axis">
      <g ref={ref} />
      {label &&
        (orient === 'bottom' || orient === 'top' ? (
          <text className="axis-label" x={mid} y={orient === 'bottom' ? labelOffset : -labelOffset} textAnchor="middle">
            {label}
          </text>
        ) : (
          <text
            className="axis-label"
            transform={`translate(${orient === 'left' ? -labelOffset : labelOffset},${mid}) rotate(-90)`}
            textAnchor="middle"
          >
            {label}
          </text>
        ))}
    </g>
  );
}
