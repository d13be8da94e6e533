// Number formatting shared by controls, readouts and tooltips.

/** Up to `digits` significant digits, no trailing zeros, no exponent for everyday sizes. */
export function num(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '−∞' : '—';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const s = abs >= 1e-3 && abs < 1e6 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return s.replace('-', '−');
}

/** At most four significant digits, as the settings' text boxes write values (0.0005, 0.97). */
export function shortNumber(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** Fixed decimals with a real minus sign. */
export function fixed(x: number, decimals = 2): string {
  if (!Number.isFinite(x)) return '—';
  return x.toFixed(decimals).replace('-', '−');
}

/** Thousands separated with a thin space: 12 345. */
export function count(x: number): string {
  return Math.round(x).toLocaleString('en-US').replace(/,/g, '\u2009');
}

/** "S = 0.95" style label for an instance's sparsity. */
export function sparsityLabel(S: number): string {
  return `S = ${num(S, 3)}`;
}

const FRACTIONS: Record<string, string> = { '1': '1', '0.75': '3/4', '0.667': '2/3', '0.5': '1/2', '0.4': '2/5', '0.375': '3/8' };

/** A sticky fraction as a fraction ("2/5"); blank for one the panels do not draw. */
export function fractionText(value: number): string {
  return FRACTIONS[String(Number(value.toFixed(3)))] ?? '';
}

/** Feature density 1 − S as a short string ("0.05", "1", "0.001"). */
export function densityLabel(S: number): string {
  return num(1 - S, 2);
}
