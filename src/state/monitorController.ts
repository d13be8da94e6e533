// Wires the "Monitor & ablate" tab's store to its worker: settings are validated (validateMonitorConfig),
// debounced and sent; statuses, the result and the live stream come back into the store. The target the
// live monitor follows goes to the worker at once, without retraining. One controller per page, created
// when the tab (or one of its panels, embedded) first mounts.

import { givenBaseError, validateMonitorConfig, type GivenToyBase, type MonitorConfig } from '../engine/monitor/config.ts';
import { useLab } from './labStore.ts';
import type { WorkerHealth } from '../worker/client.ts';
import { createMonitorClient } from '../worker/monitorClient.ts';
import type { FromMonitorWorker } from '../worker/monitorProtocol.ts';
import type { WorkerFault } from '../worker/sharedProtocol.ts';
import { useMonitor } from './monitorStore.ts';

export const MONITOR_DEBOUNCE_MS = 250;

export interface MonitorController {
  /** validate one setting; on success the run starts again. Returns the errors. */
  edit(key: keyof MonitorConfig, raw: unknown): string[];
  /** settings from a link, as a whole */
  restore(config: MonitorConfig): void;
  /** the feature the panels and the live monitor show */
  setTarget(target: number): void;
  reset(): void;
  fault(kind: 'terminate' | WorkerFault): void;
  dispose(): void;
}

export interface MonitorTestHooks {
  controller: MonitorController;
  read(): {
    phase: string;
    /** steps (or features) done in the current phase */
    step: number;
    runConfig: MonitorConfig | null;
    done: boolean;
    health: WorkerHealth['state'];
    config: MonitorConfig;
    target: number;
    features: number;
    streamTarget: number | null;
    /** per analysed feature: [target, represented, AUROC neuron, sae, probe, false alarms neuron, sae, probe, removed neuron, sae, direction, collateral neuron, sae, direction] */
    table: (number | boolean)[][];
    inductionAuroc: [number, number] | null;
  };
}

declare global {
  interface Window {
    __monitor?: MonitorTestHooks;
  }
}

export function createMonitorController(): MonitorController {
  let runId = 0;
  let debounce: ReturnType<typeof setTimeout> | null = null;

  const client = createMonitorClient(
    {
      onMessage: receive,
      onRunStarted: (_id, spec) => useMonitor.setState({ runConfig: spec.config, status: null, result: null, stream: null }),
      onHealth: (health) => {
        const notice = health.state === 'restarting' ? `${health.reason}. Restarted it; the run starts again.` : health.state === 'failed' ? health.reason : useMonitor.getState().notice;
        useMonitor.setState({ health, notice });
      },
    },
    () => useMonitor.getState().target,
  );

  function receive(msg: FromMonitorWorker): void {
    switch (msg.type) {
      case 'status': {
        if (msg.runId !== runId) return;
        const { type: _t, ...status } = msg;
        void _t;
        useMonitor.setState({ status });
        return;
      }
      case 'result':
        if (msg.runId === runId) useMonitor.setState({ result: msg });
        return;
      case 'stream':
        if (msg.runId === runId) useMonitor.setState({ stream: msg });
        return;
      case 'error':
        useMonitor.setState({ notice: `The monitor worker reported: ${msg.message}` });
        return;
      case 'pong':
        return;
    }
  }

  function configure(config: MonitorConfig): void {
    const given = config.base === 'lab' ? liveLabModel() : null;
    const problem = config.base === 'lab' ? givenBaseError(given) : null;
    if (problem) {
      useMonitor.setState({ notice: `Cannot monitor the live lab's model: ${problem}.` });
      return;
    }
    useMonitor.setState({ runConfig: config, status: null, result: null, stream: null });
    const n = given ? given.lab.n : config.n;
    if (config.base !== 'induction' && config.target !== null && config.target < n) useMonitor.setState({ target: config.target });
    if (useMonitor.getState().target >= n) useMonitor.setState({ target: 0 });
    runId = client.configure({ config, given }, true);
  }

  function restartSoon(): void {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      configure(useMonitor.getState().config);
    }, MONITOR_DEBOUNCE_MS);
  }

  const controller: MonitorController = {
    edit(key, raw) {
      const { config, editErrors } = useMonitor.getState();
      const result = validateMonitorConfig({ [key]: raw }, config);
      if (!result.ok) {
        useMonitor.setState({ editErrors: { ...editErrors, [key]: result.errors } });
        return result.errors;
      }
      const { [key]: _cleared, ...rest } = editErrors;
      void _cleared;
      useMonitor.setState({ config: result.config, editErrors: rest });
      restartSoon();
      return [];
    },
    restore(config) {
      if (debounce) clearTimeout(debounce);
      useMonitor.setState({ config, editErrors: {} });
      configure(config);
    },
    setTarget(target) {
      useMonitor.setState({ target });
      client.send({ type: 'focus', target });
    },
    reset() {
      // the live lab's model is read again: it may have trained on since
      configure(useMonitor.getState().runConfig ?? useMonitor.getState().config);
    },
    fault: (kind) => client.fault(kind),
    dispose() {
      if (debounce) clearTimeout(debounce);
      client.dispose();
    },
  };

  configure(useMonitor.getState().config);
  exposeHooks(controller);
  return controller;
}

function exposeHooks(controller: MonitorController): void {
  if (typeof window === 'undefined') return;
  window.__monitor = {
    controller,
    read() {
      const s = useMonitor.getState();
      const ind = s.result?.induction;
      return {
        phase: s.status?.phase ?? 'starting',
        step: s.status?.phaseDone ?? 0,
        runConfig: s.runConfig,
        done: s.status?.done ?? false,
        health: s.health.state,
        config: s.config,
        target: s.target,
        features: s.result?.features.length ?? 0,
        streamTarget: s.stream?.target ?? null,
        table: (s.result?.features ?? []).map((f) => [
          f.target, f.represented,
          f.detectors.neuron.auroc, f.detectors.sae.auroc, f.detectors.probe.auroc,
          f.detectors.neuron.falseAlarms, f.detectors.sae.falseAlarms, f.detectors.probe.falseAlarms,
          f.ablations.neuron.removed, f.ablations.sae.removed, f.ablations.direction.removed,
          f.ablations.neuron.collateral, f.ablations.sae.collateral, f.ablations.direction.collateral,
        ]),
        inductionAuroc: ind ? [ind.detectors.induction.auroc, ind.detectors.prevToken.auroc] : null,
      };
    },
  };
}

/** The live lab's current model (its selected instance), as the monitor's base. */
function liveLabModel(): GivenToyBase | null {
  const lab = useLab.getState();
  const config = lab.runConfig;
  const snap = lab.snapshot;
  if (!config || !snap) return null;
  const k = Math.min(lab.selectedInstance, snap.K - 1);
  return { lab: config, instance: k, W: snap.W.slice(k * snap.m * snap.n, (k + 1) * snap.m * snap.n), b: snap.b.slice(k * snap.n, (k + 1) * snap.n) };
}

let singleton: MonitorController | null = null;

export const existingMonitorController = (): MonitorController | null => singleton;

export function getMonitorController(): MonitorController {
  singleton ??= createMonitorController();
  return singleton;
}
