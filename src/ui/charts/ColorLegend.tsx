// A horizontal colour ramp with a few labelled ticks. React-rendered (a gradient and text).

import { useId } from 'react';

interface ColorLegendProps {
  title: string;
  color: (v: number) => string;
  domain: [number, number] | [number, number, number];
  ticks: { value: number; label: string }[];
  width?: number;
}

export function ColorLegend({ title, color, domain, ticks, width = 180 }: ColorLegendProps) {
  const id = useId();
  const lo = domain[0];
  const hi = domain[domain.length - 1];
  const stops = Array.from({ length: 11 }, (_, i) => lo + ((hi - lo) * i) / 10);
  const x = (v: number) => ((v - lo) / (hi - lo)) * width;
  const svgWidth = Math.max(width + 16, title.length * 6.6 + 16);
  return (
    <svg className="legend" width={svgWidth} height={44} role="img" aria-label={`${title}: colour scale from ${ticks[0]?.label} to ${ticks.at(-1)?.label}`}>
      <defs>
        <linearGradient id={id}>
          {stops.map((v, i) => (
            <stop key={i} offset={`${i * 10}%`} stopColor={color(v)} />
          ))}
        </linearGradient>
      </defs>
      <g transform="translate(8,0)">
        <text className="legend-title" x={0} y={11}>
          {title}
        </text>
        <rect x={0} y={16} width={width} height={10} fill={`url(#${id})`} stroke="#9ca3af" strokeWidth={0.5} />
        {ticks.map((t) => (
          <g key={t.value} transform={`translate(${x(t.value)},26)`}>
            <line y2={4} stroke="#6b7280" />
            <text className="legend-tick" y={15} textAnchor={t.value === lo ? 'start' : t.value === hi ? 'end' : 'middle'}>
              {t.label}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
}
