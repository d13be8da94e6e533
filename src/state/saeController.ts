// Wires the SAE view's store to its workers: settings are validated (validateSaeConfig), debounced
// and sent; base models, snapshots, statuses and sweep grids come back into the store.
// One controller per page, created when the view first mounts (getSaeController), outside React.

import type { LabConfig } from '../engine/toy/config.ts';
import { validateSaeConfig, type SaeConfig } from '../engine/sae/config.ts';
import { SWEEP_DEFAULTS, validateSweepRatios } from '../engine/sae/sweep.ts';
import { useLab } from './labStore.ts';
import { currentPageParams } from './location/query.ts';
import { BASE_PRESETS, SaeHistory, useSae, type BaseChoice, type SaeFileInfo, type SaeRunStatus, type SweepSettings } from './saeStore.ts';
import type { WorkerHealth } from '../worker/client.ts';
import { createSaeClient, createSweepClient } from '../worker/saeClient.ts';
import type { BaseSpec, FromSaeWorker, SaeEngineChoice } from '../worker/saeProtocol.ts';
import type { WorkerFault } from '../worker/sharedProtocol.ts';
import { fileSizeError, parseActivations, parseTruth, type ActivationMatrix } from '../engine/sae/activationsFile.ts';

export const SAE_DEBOUNCE_MS = 120;

export interface SaeController {
  /** validate one SAE setting; on success the SAE restarts (the base model is kept). Returns the errors. */
  edit(key: keyof SaeConfig, raw: unknown): string[];
  setBase(choice: BaseChoice): string[];
  /** read and validate an activations file (.npy or JSON); on success the SAE trains on it. Returns the errors. */
  loadFile(name: string, bytes: Uint8Array, chosenAt?: number): string[];
  /** ground-truth directions [k][d] for the loaded file (scored by MMCS); returns the errors */
  loadTruth(name: string, bytes: Uint8Array): string[];
  clearTruth(): void;
  /** a File from the picker or a drop: refused unread when too large, else loadFile / loadTruth */
  openFile(file: Blob & { name: string }, which: 'data' | 'truth'): Promise<string[]>;
  /** settings from a link, as they are (the dictionary keeps its size): the SAE trains again with them */
  restore(base: BaseChoice, sae: SaeConfig): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  reset(): void;
  editSweep(partial: Partial<SweepSettings>): void;
  /** parse and validate the sweep settings, then start; returns the errors */
  startSweep(): string[];
  stopSweep(): void;
  /** Test hook: end the live SAE's worker (or the sweep's) from outside, or make it throw, close itself or hang. */
  fault(kind: 'terminate' | WorkerFault, worker?: 'sae' | 'sweep'): void;
  dispose(): void;
}

export interface SaeTestHooks {
  controller: SaeController;
  read(): {
    phase: string;
    step: number;
    totalSteps: number;
    done: boolean;
    playing: boolean;
    engine: string;
    stepsPerSecond: number;
    /** the SAE kernel's build, threads and why (null: no SAE yet, or the TF.js engine) */
    kernel: SaeRunStatus['kernel'];
    /** λ of each instance of the run on screen */
    l1: number[];
    mmcs: number[];
    l0: number[];
    deadFraction: number[];
    baseGeometry: string | null;
    health: WorkerHealth['state'];
    sweepDone: boolean;
    sweepMmcs: number[];
    file: SaeFileInfo | null;
    dIn: number;
    /** step of the latest top-activating rows (−1: none yet) */
    topRowsStep: number;
    errors: Partial<Record<string, string[]>>;
  };
}

declare global {
  interface Window {
    __sae?: SaeTestHooks;
  }
}

/** The activations file the page holds (not in the store: it can be large, and panels never draw it). */
let loaded: { name: string; data: ActivationMatrix; truth: { name: string; data: ActivationMatrix } | null; fileId: number } | null = null;
let nextFileId = 1;


/** The base model for a choice: a preset to train, the live lab's current model, or the loaded file. */
function baseSpecFor(choice: BaseChoice): { spec: BaseSpec; dictSize: number | null } | { error: string } {
  if (choice === 'file') {
    if (!loaded) return { error: 'no activations file is loaded yet: choose one below' };
    const { name, data, truth, fileId } = loaded;
    return {
      spec: { kind: 'file', fileId, name, rows: data.rows, cols: data.cols, values: data.values, truth: truth && { name: truth.name, rows: truth.data.rows, values: truth.data.values } },
      dictSize: null, // the user's dictionary size stays
    };
  }
  if (choice !== 'lab') {
    const p = BASE_PRESETS.find((b) => b.id === choice)!;
    return { spec: { kind: 'train', config: p.config }, dictSize: p.dictSize };
  }
  const lab = useLab.getState();
  const config: LabConfig | null = lab.runConfig;
  const snap = lab.snapshot;
  if (!config || !snap) return { error: 'The live lab has no model yet: let it train for a moment, then pick it again.' };
  const k = Math.min(lab.selectedInstance, snap.K - 1);
  const W = snap.W.slice(k * snap.m * snap.n, (k + 1) * snap.m * snap.n);
  return { spec: { kind: 'given', config, instance: k, W }, dictSize: config.n };
}

export function createSaeController(): SaeController {
  const engine: SaeEngineChoice = currentPageParams().saeEngine;
  let runId = 0;
  let sweepId = 0;
  let baseSpec: BaseSpec | null = null;
  let debounce: ReturnType<typeof setTimeout> | null = null;
  let lastRun: { base: BaseSpec; sae: SaeConfig } | null = null;

  const live = createSaeClient({
    onMessage: receive,
    // a new run, or the same one in a new worker after a crash: its curves start over
    onRunStarted: (_runId, run) => useSae.setState({ snapshot: null, status: null, history: new SaeHistory(run.sae.saeInstances), historyVersion: 0 }),
    onHealth: (health) => {
      const notice = health.state === 'restarting' ? `${health.reason}. Restarted it; the SAE starts again from step 0.` : health.state === 'failed' ? health.reason : health.state === 'starting' ? null : useSae.getState().notice;
      const status = useSae.getState().status;
      useSae.setState({ health, notice, ...(health.state === 'failed' && status ? { status: { ...status, playing: false } } : {}) });
    },
  });
  const sweeper = createSweepClient({
    onMessage: receive,
    onHealth: (health) => {
      if (health.state === 'restarting') useSae.setState({ notice: `${health.reason}. Restarted it; the sweep starts again.` });
      if (health.state === 'failed') useSae.setState({ notice: `${health.reason} The sweep stopped; press Run to start it again.`, sweepRunning: false });
    },
  });

  function receive(msg: FromSaeWorker): void {
    switch (msg.type) {
      case 'base':
        if (msg.runId === runId) useSae.setState({ baseModel: msg });
        return;
      case 'snapshot': {
        if (msg.runId !== runId) return;
        const s = useSae.getState();
        let history = s.history;
        if (!s.snapshot || s.snapshot.runId !== msg.runId || history.instances !== msg.K) history = new SaeHistory(msg.K);
        history.appendPoints(msg.curve);
        const topRows = msg.topRows ? { ...msg.topRows, runId: msg.runId } : s.topRows?.runId === msg.runId ? s.topRows : null;
        // the goal: a file starts training within a second of being chosen (shown beside the file's name)
        const file = s.base === 'file' && s.file && s.file.firstSnapshotMs === null ? { ...s.file, firstSnapshotMs: performance.now() - s.file.chosenAt } : s.file;
        useSae.setState({ snapshot: msg, history, historyVersion: history.version, selected: Math.min(s.selected, msg.K - 1), topRows, file });
        return;
      }
      case 'status': {
        if (msg.runId !== runId) return;
        const { type: _t, ...status } = msg;
        void _t;
        useSae.setState({ status });
        return;
      }
      case 'sweep':
        if (msg.sweepId !== sweepId) return;
        if (msg.done || msg.stopped) sweeper.release();
        useSae.setState({ sweep: msg, sweepRunning: !msg.done && !msg.stopped });
        return;
      case 'error':
        if (msg.sweepId !== undefined) useSae.setState({ sweepRunning: false });
        useSae.setState({ notice: `The SAE worker reported: ${msg.message}` });
        return;
      case 'pong':
        return;
    }
  }

  function configure(base: BaseSpec, sae: SaeConfig, play: boolean): void {
    lastRun = { base, sae };
    useSae.setState({ runSae: sae, snapshot: null, status: null, topRows: null, history: new SaeHistory(sae.saeInstances), historyVersion: 0 });
    runId = live.configure({ base, sae, engine }, play);
  }

  function restartSoon(): void {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      if (baseSpec) configure(baseSpec, useSae.getState().sae, true);
    }, SAE_DEBOUNCE_MS);
  }

  /** 'file' chosen before any file is loaded: the SAE stops and the panels wait for one (`fromLink`: say why). */
  function awaitFile(fromLink: boolean): string[] {
    if (debounce) clearTimeout(debounce);
    live.pause();
    lastRun = null;
    baseSpec = null;
    const { base: _b, ...rest } = useSae.getState().editErrors;
    void _b;
    useSae.setState({ base: 'file', editErrors: rest, fileWanted: fromLink, baseModel: null, snapshot: null, status: null, topRows: null });
    return [];
  }

  const controller: SaeController = {
    edit(key, raw) {
      const { sae, editErrors } = useSae.getState();
      const result = validateSaeConfig({ [key]: raw }, sae);
      if (!result.ok) {
        useSae.setState({ editErrors: { ...editErrors, [key]: result.errors } });
        return result.errors;
      }
      const { [key]: _cleared, ...rest } = editErrors;
      void _cleared;
      useSae.setState({ sae: result.config, editErrors: rest });
      restartSoon();
      return [];
    },
    setBase(choice) {
      if (choice === 'file' && !loaded) return awaitFile(false);
      const found = baseSpecFor(choice);
      const { editErrors, sae } = useSae.getState();
      if ('error' in found) {
        useSae.setState({ editErrors: { ...editErrors, base: [found.error] } });
        return [found.error];
      }
      const resized = validateSaeConfig(found.dictSize === null ? {} : { dictSize: found.dictSize }, sae);
      const { base: _b, ...rest } = editErrors;
      void _b;
      baseSpec = found.spec;
      useSae.setState({ base: choice, editErrors: rest, sae: resized.ok ? resized.config : sae, baseModel: null });
      if (debounce) clearTimeout(debounce);
      configure(baseSpec, useSae.getState().sae, true);
      return [];
    },
    restore(base, sae) {
      if (base === 'file' && !loaded) {
        useSae.setState({ sae });
        awaitFile(true);
        return;
      }
      const found = baseSpecFor(base);
      useSae.setState({ base, sae, editErrors: 'error' in found ? { base: [found.error] } : {}, baseModel: null });
      if ('error' in found) return;
      baseSpec = found.spec;
      if (debounce) clearTimeout(debounce);
      configure(baseSpec, sae, true);
    },
    loadFile(name, bytes, chosenAt = performance.now()) {
      const t0 = performance.now();
      const r = parseActivations(bytes);
      const parseMs = performance.now() - t0;
      const { editErrors } = useSae.getState();
      if (!r.ok) {
        const errors = r.errors.map((e) => `${name}: ${e}`);
        useSae.setState({ editErrors: { ...editErrors, file: errors } });
        return errors;
      }
      // a truth file of another dimension no longer fits: it goes, and the page says so
      const keepTruth = loaded?.truth && loaded.truth.data.cols === r.value.cols ? loaded.truth : null;
      const dropped = loaded?.truth && !keepTruth ? loaded.truth.name : null;
      loaded = { name, data: r.value, truth: keepTruth, fileId: nextFileId++ };
      const { file: _f, truth: _t, ...rest } = editErrors;
      void _f, void _t;
      useSae.setState({
        fileWanted: false,
        editErrors: dropped ? { ...rest, truth: [`${dropped} has d = ${useSae.getState().file?.cols}; ${name} has d = ${r.value.cols}: load truth directions of the new dimension`] } : rest,
        file: { name, rows: r.value.rows, cols: r.value.cols, bytes: bytes.length, format: r.value.format, notes: r.value.notes, parseMs, chosenAt, firstSnapshotMs: null, truth: keepTruth && { name: keepTruth.name, rows: keepTruth.data.rows } },
      });
      return controller.setBase('file');
    },
    loadTruth(name, bytes) {
      const { editErrors, base } = useSae.getState();
      if (!loaded) {
        const errors = ['load the activations file first: the truth directions must have its dimension d'];
        useSae.setState({ editErrors: { ...editErrors, truth: errors } });
        return errors;
      }
      const r = parseTruth(bytes, loaded.data.cols);
      if (!r.ok) {
        const errors = r.errors.map((e) => `${name}: ${e}`);
        useSae.setState({ editErrors: { ...editErrors, truth: errors } });
        return errors;
      }
      loaded = { ...loaded, truth: { name, data: r.value }, fileId: nextFileId++ };
      const { truth: _t, ...rest } = editErrors;
      void _t;
      useSae.setState((s) => ({ editErrors: rest, file: s.file && { ...s.file, truth: { name, rows: r.value.rows } } }));
      return base === 'file' ? controller.setBase('file') : [];
    },
    async openFile(file, which) {
      const tooBig = fileSizeError(file.size);
      if (tooBig) {
        const errors = [`${file.name}: ${tooBig}`];
        useSae.setState((s) => ({ editErrors: { ...s.editErrors, [which === 'data' ? 'file' : 'truth']: errors } }));
        return errors;
      }
      const chosenAt = performance.now();
      const bytes = new Uint8Array(await file.arrayBuffer());
      return which === 'data' ? controller.loadFile(file.name, bytes, chosenAt) : controller.loadTruth(file.name, bytes);
    },
    clearTruth() {
      if (!loaded?.truth) return;
      loaded = { ...loaded, truth: null, fileId: nextFileId++ };
      useSae.setState((s) => ({ file: s.file && { ...s.file, truth: null } }));
      if (useSae.getState().base === 'file') controller.setBase('file');
    },
    play: () => live.play(),
    pause: () => live.pause(),
    togglePlay() {
      const st = useSae.getState().status;
      if (st?.playing) live.pause();
      else if (st?.done) controller.reset();
      else live.play();
    },
    reset() {
      if (!lastRun) return;
      configure(lastRun.base, lastRun.sae, true);
    },
    editSweep(partial) {
      useSae.setState((s) => ({ sweepSettings: { ...s.sweepSettings, ...partial }, sweepErrors: [] }));
    },
    startSweep() {
      const set = useSae.getState().sweepSettings;
      const errors: string[] = [];
      const ratios = set.ratios.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
      if (ratios.some((r) => !Number.isFinite(r))) errors.push(`ratios must be numbers separated by commas, e.g. 0.5,1,2,4; got "${set.ratios}"`);
      const checked = validateSaeConfig(
        { ...SWEEP_DEFAULTS, l1Range: set.l1Range, sharkeyDim: set.sharkeyDim, sharkeyFeatures: set.sharkeyFeatures, sharkeyActive: set.sharkeyActive, saeSteps: set.saeSteps },
        undefined,
        { naming: 'flag' },
      );
      errors.push(...checked.errors);
      if (!errors.length && checked.ok) errors.push(...validateSweepRatios(ratios, checked.config));
      if (errors.length || !checked.ok) {
        useSae.setState({ sweepErrors: errors });
        return errors;
      }
      useSae.setState({ sweepErrors: [], sweep: null, sweepRunning: true });
      sweepId = sweeper.configure({ ratios, sae: checked.config, engine }, true);
      return [];
    },
    stopSweep() {
      sweeper.send({ type: 'sweep-stop' }); // its last grid, marked stopped, releases it (receive)
      useSae.setState({ sweepRunning: false });
    },
    fault: (kind, worker = 'sae') => (worker === 'sae' ? live : sweeper).fault(kind),
    dispose() {
      if (debounce) clearTimeout(debounce);
      live.dispose();
      sweeper.dispose();
    },
  };

  controller.restore(useSae.getState().base, useSae.getState().sae);
  exposeHooks(controller);
  return controller;
}

function exposeHooks(controller: SaeController): void {
  if (typeof window === 'undefined') return;
  window.__sae = {
    controller,
    read() {
      const s = useSae.getState();
      const arr = (a: Float32Array | undefined) => Array.from(a ?? []);
      return {
        phase: s.status?.phase ?? 'idle',
        step: s.status?.step ?? 0,
        totalSteps: s.status?.totalSteps ?? 0,
        done: s.status?.done ?? false,
        playing: s.status?.playing ?? false,
        engine: s.status?.engine ?? '',
        stepsPerSecond: s.status?.stepsPerSecond ?? 0,
        kernel: s.status?.kernel ?? null,
        l1: arr(s.snapshot?.l1),
        mmcs: arr(s.snapshot?.mmcs),
        l0: arr(s.snapshot?.l0),
        deadFraction: arr(s.snapshot?.deadFraction),
        baseGeometry: s.baseModel?.geometry ?? null,
        health: s.health.state,
        sweepDone: s.sweep?.done ?? false,
        sweepMmcs: arr(s.sweep?.mmcs),
        file: s.file,
        dIn: s.snapshot?.dIn ?? 0,
        topRowsStep: s.topRows?.step ?? -1,
        errors: s.editErrors,
      };
    },
  };
}

let singleton: SaeController | null = null;

/** The SAE controller if the SAE tab has been opened, else null. */
export const existingSaeController = (): SaeController | null => singleton;

/** The page's SAE controller (created on first use; its workers start then). */
export function getSaeController(): SaeController {
  singleton ??= createSaeController();
  return singleton;
}
