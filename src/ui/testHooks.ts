// window.__lab: a small, stable surface for the e2e tests and the browser benchmark.

import type { LabConfig } from '../engine/toy/config.ts';
import type { LabController } from '../state/labController.ts';
import { useLab } from '../state/labStore.ts';

export interface LabTestHooks {
  /** terminate the worker without telling the client (the heartbeat must notice) */
  killWorker(): void;
  /** make the worker throw an uncaught error */
  crashWorker(): void;
  /** apply settings through the validator, like the form does; returns the errors */
  setConfig(partial: Partial<LabConfig>): string[];
  /** a plain copy of what the page shows */
  read(): {
    step: number;
    playing: boolean;
    done: boolean;
    stepsPerSecond: number;
    backend: string;
    engine: string;
    health: string;
    config: LabConfig;
    runConfig: LabConfig | null;
    losses: number[];
    featureNorms: number[];
    geometry: string[];
    angleGaps: number[][] | null;
  };
  controller: LabController;
}

declare global {
  interface Window {
    __lab?: LabTestHooks;
  }
}

export function exposeTestHooks(controller: LabController): void {
  window.__lab = {
    controller,
    killWorker: () => controller.killWorker(),
    crashWorker: () => controller.crashWorker(),
    setConfig: (partial) => controller.applyConfig(partial),
    read() {
      const s = useLab.getState();
      return {
        step: s.run?.step ?? 0,
        playing: s.run?.playing ?? false,
        done: s.run?.done ?? false,
        stepsPerSecond: s.run?.stepsPerSecond ?? 0,
        backend: s.run?.backend ?? '',
        engine: s.run?.engine ?? '',
        health: s.health.state,
        config: s.config,
        runConfig: s.runConfig,
        losses: Array.from(s.snapshot?.losses ?? []),
        featureNorms: Array.from(s.snapshot?.metrics.featureNorms ?? []),
        geometry: s.snapshot?.metrics.geometry ?? [],
        angleGaps: s.snapshot?.metrics.angleGaps ?? null,
      };
    },
  };
}
