// Wires the "Locate & edit" tab's store to its worker: the model (shipped, or trained with a seed), a trace of the
// fact the settings pick (again whenever the fact changes), and the buttons' tasks (average trace, edit, undo,
// compare methods, edit at every layer, sequential edits). Settings from the link pass validateLocateSettings; a
// layer the model lacks is named in a notice and the trace's peak used. One controller per page, created when the
// tab (or one of its panels, embedded) first mounts.

import { validateLocateSettings, type LocateSettings } from '../engine/rome/locate.ts';
import type { WorkerHealth } from '../worker/client.ts';
import { createRomeClient } from '../worker/romeClient.ts';
import type { FromRomeWorker, RomeModelSpec, RomeTask, ToRomeWorker } from '../worker/romeProtocol.ts';
import type { WorkerFault } from '../worker/sharedProtocol.ts';
import { currentFact, editLayer, editObject, factsOf, INITIAL_LOCATE, useLocate, type LocateViewState } from './locateStore.ts';

/** facts in the averaged trace, random edits of "edit at every layer", edits in the sequence */
export const AVERAGE_FACTS = 50;
export const LAYER_EDITS = 10;
export const SEQUENTIAL_EDITS = 10;

export interface LocateController {
  /** one setting (validated); a new fact is traced at once. Returns the errors. */
  edit(key: keyof LocateSettings, raw: unknown): string[];
  /** settings from a link, as a whole */
  restore(settings: LocateSettings): void;
  setShowAverage(on: boolean): void;
  applyEdit(): void;
  undo(): void;
  compareMethods(): void;
  compareLayers(): void;
  sequential(): void;
  setTrainSeed(raw: unknown): string[];
  /** train a new facts model with the train seed, in the worker, and use it */
  train(): void;
  /** back to the shipped model */
  useShipped(): void;
  /** Test hook: end the worker from outside, or make it throw, close itself or hang. */
  fault(kind: 'terminate' | WorkerFault): void;
  dispose(): void;
}

export interface LocateTestHooks {
  controller: LocateController;
  read(): {
    health: WorkerHealth['state'];
    stage: string | null;
    source: string | null;
    accuracy: number | null;
    trainStep: number;
    settings: LocateSettings;
    factId: number | null;
    traceFactId: number | null;
    traceMs: number | null;
    subjectPeakLayer: number | null;
    averageDone: number;
    edit: { layer: number; newObject: number; ms: number; covarianceMs: number; rewriteBefore: { pTrue: number; pNew: number }; rewriteAfter: { pTrue: number; pNew: number; top: number; newToken: number }; normRatio: number } | null;
    compareDone: number;
    layersDone: number;
    sequentialDone: number;
    busy: RomeTask[];
  };
}

declare global {
  interface Window {
    __locate?: LocateTestHooks;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** a task message without its request id (the controller numbers them) */
type TaskRequest = DistributiveOmit<Extract<ToRomeWorker, { type: RomeTask }>, 'requestId'>;

const modelUrl = () => new URL('rome-facts-model.json', document.baseURI).href;

export function createLocateController(): LocateController {
  let runId = 0;
  let requestId = 0;
  /** the request each task's latest results must carry */
  const latest: Partial<Record<RomeTask, number>> = {};

  const client = createRomeClient({
    onMessage: receive,
    // a new model, or the same one in a new worker after a crash: every result starts over, the fact is traced again
    onRunStarted: () => {
      clearResults();
      useLocate.setState({ model: null, set: null });
    },
    onHealth: (health) => {
      const notice = health.state === 'restarting' ? `${health.reason}. Restarted it; the model loads again and your edit is gone.` : health.state === 'failed' ? health.reason : useLocate.getState().notice;
      useLocate.setState({ health, notice });
    },
  });

  function clearResults(): void {
    for (const k of Object.keys(latest) as RomeTask[]) delete latest[k];
    useLocate.setState({ trace: null, average: null, edit: null, compare: null, layers: null, sequential: null, busy: {} });
  }

  function setBusy(task: RomeTask, on: boolean): void {
    useLocate.setState((s) => ({ busy: { ...s.busy, [task]: on } }));
  }

  function ask(task: RomeTask, msg: TaskRequest): void {
    const id = ++requestId;
    latest[task] = id;
    setBusy(task, true);
    client.send({ ...msg, requestId: id } as ToRomeWorker);
  }

  function receive(msg: FromRomeWorker): void {
    switch (msg.type) {
      case 'model': {
        if (msg.runId !== runId) return;
        useLocate.setState({ model: msg, set: factsOf(msg.seed) });
        checkLayer();
        traceNow();
        if (useLocate.getState().showAverage) ask('average', { type: 'average', facts: AVERAGE_FACTS });
        return;
      }
      case 'status':
        if (msg.runId === runId) useLocate.setState({ status: msg });
        return;
      case 'result': {
        if (msg.runId !== runId || latest[msg.task] !== msg.requestId) return;
        const { type: _t, runId: _r, requestId: _q, ...result } = msg;
        void _t, void _r, void _q;
        const patch: Partial<LocateViewState> = { [msg.task]: result };
        if (msg.task === 'undo') patch.edit = null;
        if (msg.final) patch.busy = { ...useLocate.getState().busy, [msg.task]: false };
        useLocate.setState(patch);
        return;
      }
      case 'error':
        useLocate.setState({ notice: `The locate & edit worker reported: ${msg.message}`, busy: {} });
        return;
      case 'pong':
        return;
    }
  }

  function configure(spec: RomeModelSpec): void {
    clearResults();
    useLocate.setState({ model: null, set: null, status: null });
    runId = client.configure(spec, true);
  }

  function traceNow(): void {
    const fact = currentFact(useLocate.getState());
    if (!fact) return;
    ask('trace', { type: 'trace', factId: fact.id });
  }

  /** A link's layer the model lacks: say so (the trace's peak is used). */
  function checkLayer(): void {
    const s = useLocate.getState();
    if (!s.model || s.settings.layer === 'peak') return;
    if (Number(s.settings.layer) >= s.model.layers) useLocate.setState({ notice: `rome.layer = ${s.settings.layer}: this model has layers 0 … ${s.model.layers - 1}; the trace's peak is used instead.` });
  }

  function factChanged(): void {
    const s = useLocate.getState();
    // an edit belongs to its fact: a new fact starts from the original model
    if (s.edit || latest.edit !== undefined) {
      delete latest.edit;
      ask('undo', { type: 'undo' });
    }
    useLocate.setState({ edit: null, compare: null });
    delete latest.compare;
    traceNow();
  }

  const controller: LocateController = {
    edit(key, raw) {
      const s = useLocate.getState();
      const result = validateLocateSettings({ [key]: raw }, s.settings);
      if (!result.ok) return result.errors;
      const before = s.settings;
      useLocate.setState({ settings: result.config });
      if (result.config.subject !== before.subject || result.config.relation !== before.relation) factChanged();
      checkLayer();
      return [];
    },
    restore(settings) {
      const before = useLocate.getState().settings;
      useLocate.setState({ settings });
      if (settings.subject !== before.subject || settings.relation !== before.relation) factChanged();
      checkLayer();
    },
    setShowAverage(on) {
      useLocate.setState({ showAverage: on });
      const s = useLocate.getState();
      if (on && !s.average && !s.busy.average && s.model) ask('average', { type: 'average', facts: AVERAGE_FACTS });
    },
    applyEdit() {
      const s = useLocate.getState();
      const fact = currentFact(s);
      const { layer } = editLayer(s);
      const newObject = editObject(s);
      if (!fact || layer === null || newObject === null) return;
      ask('edit', { type: 'edit', factId: fact.id, newObject, layer });
    },
    undo() {
      delete latest.edit;
      useLocate.setState({ edit: null });
      setBusy('edit', false);
      ask('undo', { type: 'undo' });
    },
    compareMethods() {
      const s = useLocate.getState();
      const fact = currentFact(s);
      const { layer } = editLayer(s);
      const newObject = editObject(s);
      if (!fact || layer === null || newObject === null) return;
      useLocate.setState({ compare: null });
      ask('compare', { type: 'compare', factId: fact.id, newObject, layer });
    },
    compareLayers() {
      if (!useLocate.getState().model) return;
      useLocate.setState({ layers: null });
      ask('layers', { type: 'layers', edits: LAYER_EDITS, seed: 7 });
    },
    sequential() {
      const s = useLocate.getState();
      const { layer } = editLayer(s);
      if (!s.model || layer === null) return;
      useLocate.setState({ sequential: null });
      ask('sequential', { type: 'sequential', edits: SEQUENTIAL_EDITS, layer, seed: 2 });
    },
    setTrainSeed(raw) {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (!(Number.isInteger(n) && n >= 0 && n <= 4_294_967_295) || String(raw).trim() === '') return [`seed must be an integer from 0 to 4294967295; got ${JSON.stringify(String(raw))}`];
      useLocate.setState({ trainSeed: n });
      return [];
    },
    train() {
      configure({ source: 'train', seed: useLocate.getState().trainSeed, modelUrl: modelUrl() });
    },
    useShipped() {
      configure({ source: 'shipped', seed: 1, modelUrl: modelUrl() });
    },
    fault: (kind) => client.fault(kind),
    dispose() {
      client.dispose();
    },
  };

  configure({ source: 'shipped', seed: 1, modelUrl: modelUrl() });
  exposeHooks(controller);
  return controller;
}

function exposeHooks(controller: LocateController): void {
  if (typeof window === 'undefined') return;
  window.__locate = {
    controller,
    read() {
      const s = useLocate.getState();
      const fact = currentFact(s);
      const e = s.edit;
      const rw = e?.after.find((p) => p.group === 'rewrite');
      const rb = e?.before.find((p) => p.group === 'rewrite');
      return {
        health: s.health.state,
        stage: s.status?.stage ?? null,
        source: s.model?.source ?? null,
        accuracy: s.model?.accuracy.all ?? null,
        trainStep: s.status?.progress?.step ?? 0,
        settings: s.settings,
        factId: fact?.id ?? null,
        traceFactId: s.trace?.factId ?? null,
        traceMs: s.trace?.ms ?? null,
        subjectPeakLayer: s.trace ? editLayer({ ...s, settings: { ...s.settings, layer: 'peak' } }).layer : null,
        averageDone: s.average?.done ?? 0,
        edit: e && rw && rb ? {
          layer: e.request.layer, newObject: e.request.newObject, ms: e.ms, covarianceMs: e.covarianceMs,
          rewriteBefore: { pTrue: rb.pTrue, pNew: rb.pNew }, rewriteAfter: { pTrue: rw.pTrue, pNew: rw.pNew, top: rw.top, newToken: rw.newToken }, normRatio: e.info.normRatio,
        } : null,
        compareDone: s.compare?.done ?? 0,
        layersDone: s.layers?.layers.length ?? 0,
        sequentialDone: s.sequential?.done ?? 0,
        busy: (Object.keys(s.busy) as RomeTask[]).filter((k) => s.busy[k]),
      };
    },
  };
}

let singleton: LocateController | null = null;

/** The locate controller if the tab has been opened, else null. */
export const existingLocateController = (): LocateController | null => singleton;

/** The page's locate controller (created on first use; its worker starts then). */
export function getLocateController(): LocateController {
  singleton ??= createLocateController();
  return singleton;
}

/** Back to the initial state (tests). */
export function resetLocateStore(): void {
  useLocate.setState({ ...INITIAL_LOCATE });
}
