// The lab's views: each is a page of panels about one of the paper's results. App shows the
// active one (store.view); the tab bar, the URL and embeds read this list. Add a view with one entry.

import type { ComponentType } from 'react';
import { LabView } from './LabView.tsx';
import { SaeView } from './SaeView.tsx';

export interface ViewDef {
  id: string;
  /** tab label */
  title: string;
  /** one line: what the view shows */
  description: string;
  Component: ComponentType;
}

export const VIEWS: readonly ViewDef[] = [
  { id: 'lab', title: 'Live lab', description: 'Train one config and watch its geometry form.', Component: LabView },
  { id: 'sae', title: 'Sparse autoencoder', description: 'Train an SAE on the toy model\'s activations and see whether its dictionary finds the true features.', Component: SaeView },
];

export const DEFAULT_VIEW = 'lab';

export function findView(id: string): ViewDef | undefined {
  return VIEWS.find((v) => v.id === id);
}
