// Wires the "Induction heads" tab's store to its worker: settings are validated
// (validateInductionConfig), debounced and sent; snapshots, statuses and records come back into the
// store. The focus (eval sequence, zeroed heads) goes to the worker at once, without retraining.
// One controller per page, created when the tab (or one of its panels, embedded) first mounts.

import { validateInductionConfig, type InductionConfig } from '../engine/transformer/config.ts';
import type { InductionRecord } from '../engine/transformer/induction.ts';
import type { WorkerHealth } from '../worker/client.ts';
import { createInductionClient } from '../worker/inductionClient.ts';
import type { FromInductionWorker, HeadRef } from '../worker/inductionProtocol.ts';
import type { WorkerFault } from '../worker/sharedProtocol.ts';
import { INDUCTION_EXAMPLES, useInduction, type InductionExample } from './inductionStore.ts';

export const INDUCTION_DEBOUNCE_MS = 150;

export interface InductionController {
  /** validate one setting; on success the model trains again from step 0. Returns the errors. */
  edit(key: keyof InductionConfig, raw: unknown): string[];
  /** settings from a link or an example, as a whole */
  restore(config: InductionConfig): void;
  example(id: InductionExample['id']): void;
  selectSequence(sequence: number): void;
  /** zero this head too, or give it back */
  toggleHead(head: HeadRef): void;
  setAblation(heads: HeadRef[]): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  reset(): void;
  /** the record (the CLI's JSON) at the current weights */
  requestRecord(): Promise<InductionRecord>;
  /** Test hook: end the worker from outside, or make it throw, close itself or hang. */
  fault(kind: 'terminate' | WorkerFault): void;
  dispose(): void;
}

export interface InductionTestHooks {
  controller: InductionController;
  read(): {
    step: number;
    totalSteps: number;
    done: boolean;
    playing: boolean;
    engine: string;
    stepsPerSecond: number;
    health: WorkerHealth['state'];
    config: InductionConfig;
    runConfig: InductionConfig | null;
    /** the latest evaluation */
    evalStep: number;
    firstCopyLoss: number | null;
    secondCopyLoss: number | null;
    /** best induction score in the last layer, best previous-token score in layer 0 */
    maxInduction: number | null;
    maxPrevToken: number | null;
    formedAtStep: number | null;
    /** ms from the start of this run on the page to the first evaluation with induction ≥ 0.4 */
    msToFormation: number | null;
    /** performance.now() when the page first heard of it (null before) */
    formedAt: number | null;
    curvePoints: number;
    phaseChange: boolean;
    ablatedSecondCopyLoss: number | null;
  };
}

declare global {
  interface Window {
    __induction?: InductionTestHooks;
  }
}

export function createInductionController(): InductionController {
  let runId = 0;
  let requestId = 0;
  let debounce: ReturnType<typeof setTimeout> | null = null;
  const pending = new Map<number, { resolve: (r: InductionRecord) => void; reject: (e: Error) => void }>();

  const client = createInductionClient(
    {
      onMessage: receive,
      // a new run, or the same one in a new worker after a crash: its curves start over
      onRunStarted: (_id, config) => useInduction.setState({ runConfig: config, snapshot: null, status: null, curve: [], headCurve: [], curveVersion: 0, record: null, startedAt: performance.now(), formedAt: null }),
      onHealth: (health) => {
        const notice = health.state === 'restarting' ? `${health.reason}. Restarted it; the model trains again from step 0.` : health.state === 'failed' ? health.reason : health.state === 'starting' ? null : useInduction.getState().notice;
        const status = useInduction.getState().status;
        useInduction.setState({ health, notice, ...(health.state === 'failed' && status ? { status: { ...status, playing: false } } : {}) });
      },
    },
    () => ({ sequence: useInduction.getState().sequence, ablate: useInduction.getState().ablate }),
  );

  function receive(msg: FromInductionWorker): void {
    switch (msg.type) {
      case 'snapshot': {
        if (msg.runId !== runId) return;
        const s = useInduction.getState();
        const curve = msg.curve.length ? [...s.curve, ...msg.curve] : s.curve;
        const headCurve = msg.headCurve.length ? [...s.headCurve, ...msg.headCurve] : s.headCurve;
        const formedAt = s.formedAt ?? (msg.formedAtStep !== null ? performance.now() : null);
        useInduction.setState({ snapshot: msg, curve, headCurve, curveVersion: s.curveVersion + (msg.curve.length ? 1 : 0), formedAt });
        return;
      }
      case 'status': {
        if (msg.runId !== runId) return;
        const { type: _t, ...status } = msg;
        void _t;
        useInduction.setState({ status });
        return;
      }
      case 'record': {
        if (msg.runId !== runId) return;
        // (the client is not released when the run is done: the sequence picker and the ablations keep asking its worker)
        if (msg.requestId === 0) useInduction.setState({ record: msg.record });
        pending.get(msg.requestId)?.resolve(msg.record);
        pending.delete(msg.requestId);
        return;
      }
      case 'error':
        for (const p of pending.values()) p.reject(new Error(msg.message));
        pending.clear();
        useInduction.setState({ notice: `The induction worker reported: ${msg.message}` });
        return;
      case 'pong':
        return;
    }
  }

  function configure(config: InductionConfig): void {
    useInduction.setState({ runConfig: config, snapshot: null, status: null, curve: [], headCurve: [], curveVersion: 0, record: null, startedAt: performance.now(), formedAt: null });
    runId = client.configure(config, true);
  }

  function restartSoon(): void {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      configure(useInduction.getState().config);
    }, INDUCTION_DEBOUNCE_MS);
  }

  function sendFocus(): void {
    const { sequence, ablate } = useInduction.getState();
    client.send({ type: 'focus', sequence, ablate });
  }

  const controller: InductionController = {
    edit(key, raw) {
      const { config, editErrors } = useInduction.getState();
      const patch: Record<string, unknown> = { [key]: raw };
      if (key === 'dModel') patch.dMlp = null; // the MLP width follows d_model unless set
      const result = validateInductionConfig(patch, config);
      if (!result.ok) {
        useInduction.setState({ editErrors: { ...editErrors, [key]: result.errors } });
        return result.errors;
      }
      const { [key]: _cleared, ...rest } = editErrors;
      void _cleared;
      const ablate = useInduction.getState().ablate.filter(([l, h]) => l < result.config.layers && h < result.config.heads);
      useInduction.setState({ config: result.config, editErrors: rest, ablate });
      restartSoon();
      return [];
    },
    restore(config) {
      if (debounce) clearTimeout(debounce);
      const ablate = useInduction.getState().ablate.filter(([l, h]) => l < config.layers && h < config.heads);
      useInduction.setState({ config, editErrors: {}, ablate });
      configure(config);
    },
    example(id) {
      const found = INDUCTION_EXAMPLES.find((e) => e.id === id);
      if (found) controller.restore({ ...found.config, engine: useInduction.getState().config.engine });
    },
    selectSequence(sequence) {
      useInduction.setState({ sequence, hoverRow: null });
      sendFocus();
    },
    toggleHead([layer, head]) {
      const { ablate } = useInduction.getState();
      const has = ablate.some(([l, h]) => l === layer && h === head);
      controller.setAblation(has ? ablate.filter(([l, h]) => !(l === layer && h === head)) : [...ablate, [layer, head]]);
    },
    setAblation(heads) {
      useInduction.setState({ ablate: heads });
      sendFocus();
    },
    play: () => client.play(),
    pause: () => client.pause(),
    togglePlay() {
      const st = useInduction.getState().status;
      if (st?.playing) client.pause();
      else if (st?.done) controller.reset();
      else client.play();
    },
    reset() {
      configure(useInduction.getState().runConfig ?? useInduction.getState().config);
    },
    requestRecord() {
      const id = ++requestId;
      return new Promise<InductionRecord>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        client.send({ type: 'record', requestId: id });
        setTimeout(() => {
          if (pending.delete(id)) reject(new Error('the induction worker did not answer within 30 s'));
        }, 30_000);
      });
    },
    fault: (kind) => client.fault(kind),
    dispose() {
      if (debounce) clearTimeout(debounce);
      client.dispose();
    },
  };

  configure(useInduction.getState().config);
  exposeHooks(controller);
  return controller;
}

function exposeHooks(controller: InductionController): void {
  if (typeof window === 'undefined') return;
  window.__induction = {
    controller,
    read() {
      const s = useInduction.getState();
      const last = s.curve.at(-1);
      return {
        step: s.status?.step ?? 0,
        totalSteps: s.status?.totalSteps ?? 0,
        done: s.status?.done ?? false,
        playing: s.status?.playing ?? false,
        engine: s.status?.engine ?? '',
        stepsPerSecond: s.status?.stepsPerSecond ?? 0,
        health: s.health.state,
        config: s.config,
        runConfig: s.runConfig,
        evalStep: last?.[0] ?? 0,
        firstCopyLoss: last?.[1] ?? null,
        secondCopyLoss: last?.[2] ?? null,
        maxInduction: last?.[3] ?? null,
        maxPrevToken: last?.[4] ?? null,
        formedAtStep: s.snapshot?.formedAtStep ?? null,
        msToFormation: s.formedAt !== null && s.startedAt !== null ? s.formedAt - s.startedAt : null,
        formedAt: s.formedAt,
        curvePoints: s.curve.length,
        phaseChange: !!s.snapshot?.phaseChange,
        ablatedSecondCopyLoss: s.snapshot?.ablation?.secondCopyLoss ?? null,
      };
    },
  };
}

let singleton: InductionController | null = null;

/** The induction controller if the tab has been opened, else null. */
export const existingInductionController = (): InductionController | null => singleton;

/** The page's induction controller (created on first use; its worker starts then). */
export function getInductionController(): InductionController {
  singleton ??= createInductionController();
  return singleton;
}
