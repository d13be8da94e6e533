// Wires the store to the training worker: edits are validated, debounced and sent;
// snapshots and statuses come back into the store. Created once, outside React.

import type { BackendName } from '../engine/shared/backend.ts';
import { DEFAULT_CONFIG, validateConfig, type LabConfig } from '../engine/toy/config.ts';
import type { WorkerHealth } from '../worker/client.ts';
import type { EngineChoice, FromWorker, Speed } from '../worker/protocol.ts';
import type { WorkerFault } from '../worker/sharedProtocol.ts';
import { TrainingClient } from '../worker/trainingClient.ts';
import { setView, useLab, type ConfigKey } from './labStore.ts';
import { LossHistory } from './lossHistory.ts';
import { PRESETS } from './presets.ts';

/** A slider drag retrains at most this often. */
export const RETRAIN_DEBOUNCE_MS = 50;

export interface LabController {
  /** Validate one field's new value (string or number); on success the run restarts. Returns the errors. */
  edit(key: ConfigKey, raw: unknown): string[];
  /** Replace several fields at once (presets); missing fields keep their current value. */
  applyConfig(partial: Partial<LabConfig>, base?: LabConfig): string[];
  applyPreset(id: string): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  step(k: number): void;
  reset(): void;
  setSpeed(stepsPerSecond: Speed): void;
  /** Force an engine (or 'auto') and retrain with it. */
  setEngine(engine: EngineChoice): void;
  restartWorker(): void;
  /** Test hooks */
  killWorker(): void;
  crashWorker(): void;
  /** Test hook: end the worker from outside, or make it throw, close itself or hang. */
  fault(kind: 'terminate' | WorkerFault): void;
  dispose(): void;
}

export interface ControllerOptions {
  backends?: readonly BackendName[];
  engine?: EngineChoice;
  autoplay?: boolean;
}

export function createLabController(options: ControllerOptions = {}): LabController {
  const { backends = ['wasm', 'cpu'], engine = 'auto', autoplay = true } = options;
  useLab.setState({ engineChoice: engine });
  let debounce: ReturnType<typeof setTimeout> | null = null;
  let startedRun: LabConfig | null = null;

  const client = new TrainingClient({
    backends,
    engine,
    onMessage: receive,
    // The new run's config, history and first snapshot enter the store together (no
    // in-between frame where the panels see a new config with an old snapshot).
    onRunStarted: (_runId, run) => {
      startedRun = run.config;
    },
    onHealth: (health: WorkerHealth) => {
      const notice =
        health.state === 'restarting'
          ? `${health.reason}. Restarted it with the last settings that worked; training starts again from step 0.`
          : health.state === 'failed'
            ? health.reason
            : health.state === 'starting'
              ? null // "Restart the worker": the notice that it was not restarted is over
              : useLab.getState().notice;
      // given up: nothing trains, so the page must not say it is playing
      const run = useLab.getState().run;
      useLab.setState({ health, notice, ...(health.state === 'failed' && run ? { run: { ...run, playing: false } } : {}) });
    },
  });

  function receive(msg: FromWorker): void {
    switch (msg.type) {
      case 'snapshot': {
        if (startedRun) {
          const config = startedRun;
          startedRun = null;
          const history = new LossHistory(config.instances);
          history.appendPoints(msg.lossCurve.steps, msg.lossCurve.losses);
          const selectedInstance = Math.min(useLab.getState().selectedInstance, config.instances - 1);
          useLab.setState({ runConfig: config, history, historyVersion: history.version, snapshot: msg, selectedInstance, hover: null, run: null });
          return;
        }
        const { history } = useLab.getState();
        history.appendPoints(msg.lossCurve.steps, msg.lossCurve.losses);
        useLab.setState({ snapshot: msg, historyVersion: history.version });
        return;
      }
      case 'status': {
        const { type: _type, ...status } = msg;
        void _type;
        useLab.setState({ run: status });
        return;
      }
      case 'error':
        useLab.setState({ notice: `The training worker reported: ${msg.message}` });
        return;
      case 'pong':
        return;
    }
  }

  function retrainSoon(): void {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      client.train(useLab.getState().config, true);
    }, RETRAIN_DEBOUNCE_MS);
  }

  // The address bar follows the store (state/location/sync.ts).
  function accept(config: LabConfig): void {
    useLab.setState({ config });
    retrainSoon();
  }

  const controller: LabController = {
    edit(key, raw) {
      const { config, editErrors } = useLab.getState();
      const result = validateConfig({ [key]: raw }, config);
      if (!result.ok) {
        useLab.setState({ editErrors: { ...editErrors, [key]: result.errors } });
        return result.errors;
      }
      const { [key]: _cleared, ...rest } = editErrors;
      void _cleared;
      useLab.setState({ editErrors: rest });
      accept(result.config);
      return [];
    },
    applyConfig(partial, base) {
      const result = validateConfig(partial, base ?? useLab.getState().config);
      if (!result.ok) {
        useLab.setState({ notice: result.errors.join(' ') });
        return result.errors;
      }
      useLab.setState((s) => ({ editErrors: {}, formEpoch: s.formEpoch + 1 }));
      accept(result.config);
      return [];
    },
    applyPreset(id) {
      const preset = PRESETS.find((p) => p.id === id);
      if (!preset) return;
      if (Object.keys(preset.config).length) controller.applyConfig(preset.config, { ...DEFAULT_CONFIG, seed: useLab.getState().config.seed });
      if (preset.view) setView(preset.view);
    },
    play: () => client.play(),
    pause: () => client.pause(),
    togglePlay() {
      const run = useLab.getState().run;
      if (run?.playing) client.pause();
      else {
        if (run?.done) client.reset();
        client.play();
      }
    },
    step: (k) => client.step(k),
    reset: () => void client.reset(),
    setEngine(choice) {
      useLab.setState({ engineChoice: choice });
      client.setEngine(choice);
      retrainSoon();
    },
    setSpeed(stepsPerSecond) {
      useLab.setState({ speed: stepsPerSecond });
      client.setSpeed(stepsPerSecond);
    },
    restartWorker: () => client.restart(),
    killWorker: () => client.fault('terminate'),
    crashWorker: () => client.fault('throw'),
    fault: (kind) => client.fault(kind),
    dispose() {
      if (debounce) clearTimeout(debounce);
      client.dispose();
    },
  };

  client.train(useLab.getState().config, autoplay);
  return controller;
}
