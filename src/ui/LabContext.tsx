import { createContext, useContext } from 'react';
import type { LabController } from '../state/labController.ts';

export const LabControllerContext = createContext<LabController | null>(null);

/** The controller (actions that talk to the worker), provided once at the root. */
export function useController(): LabController {
  const c = useContext(LabControllerContext);
  if (!c) throw new Error('useController must be used inside <LabControllerContext.Provider>');
  return c;
}
