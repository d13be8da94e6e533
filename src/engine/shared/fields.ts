// The one validation mechanism for every setting that enters from outside (CLI flags, URL, forms,
// imported files), shared by every domain: a declarative table of fields per config, from which the
// validator, the CLI's flags and --help and the URL codec are derived, so a field is described once.

export type FieldKind =
  | { kind: 'bool' }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'float'; min: number; max: number; minExclusive?: boolean; maxExclusive?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'range'; min: number; max: number; maxExclusive: boolean; /** what the two numbers are, for messages (default 'sparsities') */ items?: string };

export interface FieldSpec<T> {
  key: keyof T & string;
  flag: string;
  help: string;
  type: FieldKind;
  /** may be null (the ranges: null means "not spread") */
  nullable?: boolean;
}

export type ValidationResult<T> =
  | { ok: true; config: T; errors: [] }
  | { ok: false; config: null; errors: string[] };

function describeRange(t: Extract<FieldKind, { kind: 'int' | 'float' | 'range' }>): string {
  const minEx = 'minExclusive' in t && t.minExclusive;
  const maxEx = 'maxExclusive' in t && t.maxExclusive;
  if (!minEx && !maxEx) return `from ${t.min} to ${t.max}`;
  return `${minEx ? 'above' : 'at least'} ${t.min} and ${maxEx ? 'below' : 'at most'} ${t.max}`;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return typeof value;
}

/** Strictly parse a number from a number or a whole numeric string ("1e-3", "0.5"); anything else is NaN. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  const s = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return NaN;
  return Number(s);
}

function inBounds(x: number, t: { min: number; max: number; minExclusive?: boolean; maxExclusive?: boolean }): boolean {
  const aboveMin = t.minExclusive ? x > t.min : x >= t.min;
  const belowMax = t.maxExclusive ? x < t.max : x <= t.max;
  return aboveMin && belowMax;
}

function parseField<T>(spec: FieldSpec<T>, value: unknown, name: string): { value?: unknown; error?: string } {
  if (value === null && spec.nullable) return { value: null };
  const t = spec.type;
  switch (t.kind) {
    case 'bool':
      if (value === true || value === 'true' || value === 'on' || value === '1') return { value: true };
      if (value === false || value === 'false' || value === 'off' || value === '0') return { value: false };
      return { error: `${name} must be true or false (on/off); got ${show(value)}` };
    case 'enum':
      if (typeof value === 'string' && t.values.includes(value)) return { value };
      return { error: `${name} must be one of ${t.values.join(', ')}; got ${show(value)}` };
    case 'int': {
      const x = toNumber(value);
      if (!Number.isInteger(x) || x < t.min || x > t.max)
        return { error: `${name} must be an integer ${describeRange(t)}; got ${show(value)}` };
      return { value: x };
    }
    case 'float': {
      const x = toNumber(value);
      if (!Number.isFinite(x) || !inBounds(x, t)) return { error: `${name} must be a number ${describeRange(t)}; got ${show(value)}` };
      return { value: x };
    }
    case 'range': {
      const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(':') : [];
      const [a, b] = parts.map(toNumber);
      const ok = parts.length === 2 && [a, b].every((x) => Number.isFinite(x) && inBounds(x, t));
      if (!ok) return { error: `${name} must be two ${t.items ?? 'sparsities'} a:b, each ${describeRange(t)}; got ${show(value)}` };
      return { value: [a, b] };
    }
  }
}

export interface ValidateOptions {
  /** 'flag' names fields as the CLI user typed them (--importance-decay); default: the config key */
  naming?: 'key' | 'flag';
}

/**
 * The one validation mechanism for every setting that enters from outside (CLI, URL, form, JSON
 * import). `input` may hold strings or numbers; missing keys take their value from `base`.
 * Returns every problem at once, one readable sentence each.
 */
export function validateFields<T extends object>(
  fields: readonly FieldSpec<T>[],
  input: unknown,
  base: Readonly<T>,
  opts: ValidateOptions,
  crossField: (c: T, name: (key: keyof T & string) => string) => string[],
): ValidationResult<T> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, config: null, errors: [`settings must be an object; got ${show(input)}`] };
  }
  const nameOf = (spec: FieldSpec<T>) => (opts.naming === 'flag' ? `--${spec.flag}` : spec.key);
  const raw = input as Record<string, unknown>;
  const errors: string[] = [];
  const known = new Set<string>(fields.map((f) => f.key));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) errors.push(`unknown setting "${key.slice(0, 40)}"; known settings: ${[...known].join(', ')}`);
  }
  const out: Record<string, unknown> = { ...base };
  for (const spec of fields) {
    if (!Object.prototype.hasOwnProperty.call(raw, spec.key) || raw[spec.key] === undefined) continue;
    const parsed = parseField(spec, raw[spec.key], nameOf(spec));
    if (parsed.error) errors.push(parsed.error);
    else out[spec.key] = parsed.value;
  }
  // cross-field messages name fields the way the user wrote them too (--l1-range on the CLI, l1Range in a link)
  const nameOfKey = (key: keyof T & string) => {
    const spec = fields.find((f) => f.key === key);
    return spec ? nameOf(spec) : key;
  };
  if (errors.length === 0) errors.push(...crossField(out as T, nameOfKey));
  return errors.length ? { ok: false, config: null, errors } : { ok: true, config: out as T, errors: [] };
}

/** Validate a toy-model config (see validateFields). */
