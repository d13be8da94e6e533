// The <iframe> snippet for embedding one panel or view. Pure: the page's address parts in, HTML out.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A sensible frame size per panel (the embed fills whatever it gets; this is only the default). */
const SIZES: Record<string, [number, number]> = {
  geometry: [640, 600],
  gram: [600, 560],
  norms: [600, 520],
  dimensionality: [680, 500],
  loss: [680, 460],
};

export interface EmbedOptions {
  /** origin + pathname of the lab, e.g. https://example.org/lab/ */
  base: string;
  /** the run's hash, with '#' */
  hash: string;
  /** panel or view id */
  id: string;
  title: string;
  /** controls to hide */
  hide: readonly string[];
  presentation?: boolean;
  theme?: 'light' | 'dark' | null;
}

export function embedUrl(o: EmbedOptions): string {
  const params = [`embed=${encodeURIComponent(o.id)}`];
  if (o.hide.length) params.push(`hide=${o.hide.map(encodeURIComponent).join(',')}`);
  if (o.presentation) params.push('present=1');
  if (o.theme) params.push(`theme=${o.theme}`);
  return `${o.base}?${params.join('&')}${o.hash}`;
}

export function embedSnippet(o: EmbedOptions): string {
  const [w, h] = SIZES[o.id] ?? [1000, 820];
  return `<iframe src="${escapeHtml(embedUrl(o))}" title="${escapeHtml(`Superposition Lab: ${o.title}`)}" width="${w}" height="${h}" style="border:0;max-width:100%" loading="lazy"></iframe>`;
}
