// The colour scales stay readable without full colour vision: sequential scales change
// lightness monotonically (so they read in grey), and the diverging scale's two ends stay apart
// under simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009, severity 1).

import * as d3 from 'd3';
import { afterAll, describe, expect, it } from 'vitest';
import { divergingColor, importanceColor, instanceColor, setColorTheme, superpositionColor } from '../../src/ui/colors';

const MACHADO: Record<string, number[]> = {
  protanopia: [0.152286, 1.052583, -0.204868, 0.114503, 0.786281, 0.099216, -0.003882, -0.048116, 1.051998],
  deuteranopia: [0.367322, 0.860646, -0.227968, 0.280085, 0.672501, 0.047413, -0.01182, 0.04294, 0.968881],
  tritanopia: [1.255528, -0.076749, -0.178779, -0.078411, 0.930809, 0.147602, 0.004733, 0.691367, 0.3039],
};

const toLinear = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
const toSrgb = (c: number) => 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055);

function simulate(color: string, kind: string): d3.LabColor {
  const { r, g, b } = d3.rgb(color);
  const [R, G, B] = [r, g, b].map(toLinear);
  const M = MACHADO[kind];
  const out = [0, 1, 2].map((i) => Math.min(255, Math.max(0, toSrgb(M[3 * i] * R + M[3 * i + 1] * G + M[3 * i + 2] * B))));
  return d3.lab(d3.rgb(out[0], out[1], out[2]));
}

const deltaE = (a: d3.LabColor, b: d3.LabColor) => Math.hypot(a.l - b.l, a.a - b.a, a.b - b.b);
const lightness = (f: (v: number) => string, lo: number, hi: number) => d3.range(11).map((i) => d3.lab(f(lo + ((hi - lo) * i) / 10)).l);
const monotone = (xs: number[]) => xs.every((x, i) => i === 0 || x <= xs[i - 1] + 0.5) || xs.every((x, i) => i === 0 || x >= xs[i - 1] - 0.5);

describe.each(['light', 'dark'] as const)('colour scales, %s theme', (theme) => {
  setColorTheme(theme);
  afterAll(() => setColorTheme('light'));

  it('sequential scales change lightness monotonically', () => {
    setColorTheme(theme);
    expect(monotone(lightness(importanceColor, 0, 1))).toBe(true);
    expect(monotone(lightness(superpositionColor, 0, 2))).toBe(true);
    expect(monotone(d3.range(6).map((k) => d3.lab(instanceColor(k, 6)).l))).toBe(true);
    // and span a visible range
    const imp = lightness(importanceColor, 0, 1);
    expect(Math.abs(imp[10] - imp[0])).toBeGreaterThan(25);
  });

  it.each(Object.keys(MACHADO))('the diverging ends stay distinct under %s', (kind) => {
    setColorTheme(theme);
    const neg = simulate(divergingColor(-1), kind);
    const pos = simulate(divergingColor(1), kind);
    const zero = simulate(divergingColor(0), kind);
    expect(deltaE(neg, pos)).toBeGreaterThan(20);
    expect(deltaE(neg, zero)).toBeGreaterThan(20);
    expect(deltaE(pos, zero)).toBeGreaterThan(20);
  });
});
