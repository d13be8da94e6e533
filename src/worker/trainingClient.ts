// The training worker's client (the live lab and the paper's views each have one): the generic
// client plus the lab's own requests: single steps, slow motion, and a choice of trainer.

import type { BackendName } from '../engine/shared/backend.ts';
import type { LabConfig } from '../engine/toy/config.ts';
import { WorkerClient, type WorkerClientOptions } from './client.ts';
import type { EngineChoice, FromWorker, RecordRequest, Speed, ToWorker } from './protocol.ts';

/** What a training run is asked with. */
export interface TrainingRun {
  config: LabConfig;
  engine: EngineChoice;
  record: RecordRequest | null;
}

export interface TrainingClientOptions extends Omit<WorkerClientOptions<ToWorker, FromWorker, TrainingRun>, 'label' | 'spawn' | 'start'> {
  /** names the worker in health reports (default 'training') */
  label?: string;
  /** backends to try, in order */
  backends?: readonly BackendName[];
  /** which trainer the worker builds (default 'auto') */
  engine?: EngineChoice;
  spawn?: () => Worker;
}

const spawnTrainingWorker = () => new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'training' });

export class TrainingClient extends WorkerClient<ToWorker, FromWorker, TrainingRun> {
  private speed: Speed = null;
  private engine: EngineChoice;

  constructor({ backends = ['wasm', 'cpu'], engine = 'auto', spawn = spawnTrainingWorker, label = 'training', ...options }: TrainingClientOptions) {
    super({ ...options, label, spawn, start: (runId, run, play) => ({ type: 'configure', runId, play, backends, ...run }) });
    this.engine = engine;
  }

  /** Use another trainer (auto / fused / TF.js) from the next run on. */
  setEngine(engine: EngineChoice): void {
    this.engine = engine;
  }

  /** Train this config from scratch; returns the run id that its snapshots will carry. Optionally record frames, or force an engine. */
  train(config: LabConfig, play: boolean, extra: { record?: RecordRequest | null; engine?: EngineChoice } = {}): number {
    return this.configure({ config, engine: extra.engine ?? this.engine, record: extra.record ?? null }, play);
  }

  step(k: number): void {
    this.playing = false;
    this.send({ type: 'step', k });
  }

  setSpeed(stepsPerSecond: Speed): void {
    this.speed = stepsPerSecond;
    this.send({ type: 'set-speed', stepsPerSecond });
  }

  protected override afterSpawn(): void {
    if (this.speed !== null) this.send({ type: 'set-speed', stepsPerSecond: this.speed });
  }
}
