// The ids a link or an embed may name, from the view and panel registries.

import type { LinkVocabulary } from '../state/location/index.ts';
import { DEFAULT_VIEW, PANELS, VIEWS } from './catalog.ts';

export function linkVocabulary(): LinkVocabulary {
  return { views: VIEWS.map((v) => v.id), defaultView: DEFAULT_VIEW, panels: PANELS.map((p) => p.id) };
}

/** What ?embed= accepts: a panel, or a whole view. */
export function embeddableIds(): string[] {
  return [...PANELS.map((p) => p.id), ...VIEWS.map((v) => v.id).filter((id) => !PANELS.some((p) => p.id === id))];
}
