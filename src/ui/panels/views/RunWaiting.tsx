// What a view's panel shows before its run has a snapshot: queued behind the view's other runs, or starting.

import type { RunState } from '../../../state/viewStore.ts';
import { Waiting } from '../Panel.tsx';

export function RunWaiting({ run }: { run: RunState | undefined }) {
  if (run && run.passes.every((p) => p.status === 'waiting')) {
    return <p className="panel-waiting">Queued: this view's runs train one after another, and this one comes later.</p>;
  }
  return <Waiting />;
}
