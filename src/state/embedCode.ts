// The <iframe> snippet for embedding one panel or view. Pure: the page's address parts in, HTML out.

import { displaySearch } from './location/display.ts';

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
  return `${o.base}${displaySearch({ embed: o.id, hidden: o.hide, presentation: o.presentation, theme: o.theme })}${o.hash}`;
}

export function embedSnippet(o: EmbedOptions): string {
  const [w, h] = SIZES[o.id] ?? [1000, 820];
  return `<iframe src="${escapeHtml(embedUrl(o))}" title="${escapeHtml(`Superposition Lab: ${o.title}`)}" width="${w}" height="${h}" style="border:0;max-width:100%" loading="lazy"></iframe>`;
}
