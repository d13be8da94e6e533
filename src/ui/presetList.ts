// The examples the menu and the 1–9 keys offer: every preset whose view exists in this build.

import { PRESETS, type Preset } from '../state/presets.ts';
import { findView } from './catalog.ts';

export function availablePresets(): readonly Preset[] {
  return PRESETS.filter((p) => !p.view || findView(p.view));
}
