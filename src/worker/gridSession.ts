// The grid worker's logic: a GridRun (engine/grid/run.ts) advanced in ~20 ms chunks on the shared
// scheduler; the cells go to the page as they are classified (at most ~4 times a second, and whenever a
// trainer finishes), so the grid fills in live.

import type { GridConfig } from '../engine/grid/config.ts';
import { GridRun } from '../engine/grid/run.ts';
import type { FromGridWorker } from './gridProtocol.ts';
import { ChunkLoop, RateMeter, StepTimer, type SchedulerHost } from './scheduler.ts';

export interface GridSessionHost extends SchedulerHost {
  post(msg: FromGridWorker): void;
}

/** Cells go out at most this often while a trainer runs. */
export const CELLS_INTERVAL_MS = 250;

export class GridSession {
  private run: GridRun | null = null;
  private runId = 0;
  private playing = false;
  private readonly loop: ChunkLoop;
  private readonly timer = new StepTimer();
  private readonly rate = new RateMeter();
  private lastCellsAt = -Infinity;

  constructor(private readonly host: GridSessionHost) {
    this.loop = new ChunkLoop(host, () => this.tick(), () => !!this.run && this.playing && !this.run.done);
  }

  configure(runId: number, config: GridConfig, play: boolean): void {
    this.dispose();
    this.runId = runId;
    this.run = new GridRun(config);
    this.playing = play;
    this.timer.restart();
    this.rate.restart(this.host.now(), 0);
    this.lastCellsAt = -Infinity;
    this.postCells();
    this.postStatus();
    this.loop.kick();
  }

  reset(runId: number): void {
    if (this.run) this.configure(runId, this.run.config, true);
  }

  play(): void {
    if (!this.run) return;
    this.playing = !this.run.done;
    this.rate.restart(this.host.now(), this.run.progress().done);
    this.postStatus();
    this.loop.kick();
  }

  pause(): void {
    this.playing = false;
    this.postStatus();
  }

  drawn(): void {}

  dispose(): void {
    this.run?.dispose();
    this.run = null;
  }

  private tick(): void {
    const run = this.run!;
    const groupBefore = run.progress().group;
    const doneBefore = run.progress().done;
    const t0 = this.host.now();
    run.step(this.timer.chunkSteps());
    const p = run.progress();
    this.timer.record(this.host.now() - t0, Math.max(1, p.done - doneBefore));
    const finishedGroup = run.done || p.group !== groupBefore;
    if (run.done) this.playing = false;
    if (finishedGroup || this.host.now() - this.lastCellsAt >= CELLS_INTERVAL_MS) {
      this.postCells();
      this.postStatus();
    }
  }

  private postCells(): void {
    if (!this.run) return;
    this.lastCellsAt = this.host.now();
    this.host.post({ type: 'cells', runId: this.runId, cells: this.run.cells.map((c) => ({ ...c, settings: { ...c.settings } })) });
  }

  private postStatus(): void {
    const run = this.run;
    if (!run) return;
    const p = run.progress();
    this.host.post({
      type: 'status', runId: this.runId, step: p.done, totalSteps: p.total, playing: this.playing, done: run.done,
      stepsPerSecond: this.rate.read(this.host.now(), p.done, this.playing), msPerStep: this.timer.msPerStep, engine: 'fused',
      cellsDone: p.cellsDone, cells: run.cells.length, trainer: p.group, trainers: p.groups, seconds: p.seconds, agreement: run.agreement(),
    });
  }
}
