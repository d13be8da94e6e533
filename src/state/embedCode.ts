// The <iframe> snippet for embedding one panel or view. Pure: the page's address parts in, HTML out.

import { displaySearch } from './location/display.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The frame size per panel: the embed (controls, panel, caption, link) fits it without scrolling, checked by tests/e2e/newcomer.test.ts. */
const SIZES: Record<string, [number, number]> = {
  geometry: [640, 760],
  gram: [600, 720],
  norms: [600, 540],
  dimensionality: [680, 620],
  loss: [680, 480],
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

/** The frame [width, height] the embed code asks for: the embed's content fits it without scrolling (e2e-checked). */
export function embedFrameSize(id: string): [number, number] {
  return SIZES[id] ?? [1000, 820];
}

export function embedSnippet(o: EmbedOptions): string {
  const [w, h] = embedFrameSize(o.id);
  return `<iframe src="${escapeHtml(embedUrl(o))}" title="${escapeHtml(`Superposition Lab: ${o.title}`)}" width="${w}" height="${h}" style="border:0;max-width:100%" loading="lazy"></iframe>`;
}
