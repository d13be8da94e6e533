// Text-level helpers of the location codec: splitting "a=1&b=2", writing a value, quoting a
// visitor's value for a notice. Pure.

/** At most this many problems are listed; the rest are counted. */
const MAX_MESSAGES = 6;

/** Split "a=1&b=2" into key → values, in order; '+' is a space, bad percent-escapes stay as they are. */
export function parseParams(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    if (!key && !value) continue;
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

/** A value as the link writes it: ranges as a:b, null as none. */
export function encodeValue(v: unknown): string {
  const s = Array.isArray(v) ? v.join(':') : v === null ? 'none' : String(v);
  return encodeURIComponent(s).replace(/%3A/gi, ':');
}

/** A value as a notice shows it. */
export function showValue(v: unknown): string {
  return Array.isArray(v) ? v.join(':') : v === null ? 'none' : String(v);
}

/** A user's value, quoted and cut short, safe to show as text. */
export function quote(value: string, max = 40): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return JSON.stringify(clean.length > max ? clean.slice(0, max) + '…' : clean);
}

/** The first few problems, and how many more. */
export function summarise(errors: string[]): string[] {
  if (errors.length <= MAX_MESSAGES) return errors;
  return [...errors.slice(0, MAX_MESSAGES - 1), `…and ${errors.length - MAX_MESSAGES + 1} more problems in the same address.`];
}

/** The key of one "key=value" part of a query, decoded, or null when it cannot be decoded. */
export function partKey(part: string): string | null {
  try {
    return decodeURIComponent(part.split('=')[0].replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** The query string with one parameter set (or removed with null), other parameters untouched. */
export function withQueryParam(search: string, key: string, value: string | null): string {
  const parts = search.replace(/^\?/, '').split('&').filter((part) => part && part.split('=')[0] !== key);
  if (value !== null) parts.push(`${key}=${encodeURIComponent(value)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
