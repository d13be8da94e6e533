// How every session trains: in chunks of about CHUNK_BUDGET_MS of work, yielding to the event loop
// in between so the page's messages (pause, new settings, pings) are handled; snapshots at most
// ~30 per second, fewer when the page is slow to draw them or they are costly to make.
// Pure: the session's host supplies the clock, so tests drive it with fake timers.

/** Work per chunk before yielding to the event loop. */
export const CHUNK_BUDGET_MS = 20;
export const MAX_CHUNK_STEPS = 20_000;
/** At most ~30 snapshots per second. */
export const MIN_SNAPSHOT_INTERVAL_MS = 33;
/** Without word from the page that it drew the last snapshot, send the next one after this anyway. */
export const DRAW_WAIT_MAX_MS = 1000;
/** Making snapshots (readback + metrics) may take at most this share of the time. */
export const MAX_SNAPSHOT_SHARE = 0.2;
/** Steps per second are measured over windows this long. */
export const RATE_WINDOW_MS = 250;

export interface SchedulerHost {
  now(): number;
  /** Run fn as soon as pending messages have been handled. */
  yieldThen(fn: () => void): void;
  /** Run fn after ms milliseconds (slow motion); without it, as soon as messages have been handled. */
  later?(fn: () => void, ms: number): void;
}

/** Runs `chunk` again and again while `hasWork()`, yielding to the event loop in between. */
export class ChunkLoop {
  private scheduled = false;

  constructor(private readonly host: SchedulerHost, private readonly chunk: () => void, private readonly hasWork: () => boolean) {}

  /** Make sure a chunk is coming (nothing happens when one is, or when there is no work). */
  kick(): void {
    if (this.scheduled || !this.hasWork()) return;
    this.scheduled = true;
    this.host.yieldThen(() => this.run());
  }

  /** Nothing is due yet (slow motion): call chunk again in ms. */
  waitFor(ms: number): void {
    this.scheduled = true;
    const later = this.host.later ?? ((fn: () => void) => this.host.yieldThen(fn));
    later(() => this.run(), ms);
  }

  private run(): void {
    this.scheduled = false;
    this.chunk();
    this.kick();
  }
}

/** A rolling estimate of one step's wall time, and how many steps fit in a chunk. */
export class StepTimer {
  /** starts at the budget, so the first chunk is a single, measured step */
  msPerStep = CHUNK_BUDGET_MS;
  private measured = false;

  restart(): void {
    this.msPerStep = CHUNK_BUDGET_MS;
    this.measured = false;
  }

  chunkSteps(): number {
    return Math.max(1, Math.min(MAX_CHUNK_STEPS, Math.floor(CHUNK_BUDGET_MS / Math.max(this.msPerStep, 1e-3))));
  }

  /** `steps` steps took `ms`. */
  record(ms: number, steps: number): void {
    const per = ms / Math.max(1, steps);
    this.msPerStep = this.measured ? 0.7 * this.msPerStep + 0.3 * per : per;
    this.measured = true;
  }
}

/** When the next snapshot may go out: not within MIN_SNAPSHOT_INTERVAL_MS, and not before the page drew the last one. */
export class SnapshotPacer {
  private lastAt = -Infinity;
  private awaitingDraw = false;
  private costMs = 0;

  due(now: number): boolean {
    const since = now - this.lastAt;
    const pageReady = !this.awaitingDraw || since >= DRAW_WAIT_MAX_MS;
    return pageReady && since >= Math.max(MIN_SNAPSHOT_INTERVAL_MS, this.costMs / MAX_SNAPSHOT_SHARE);
  }

  /** A snapshot went out at `now`; making it started at t0. */
  sent(t0: number, now: number): void {
    this.costMs = now - t0;
    this.lastAt = now;
    this.awaitingDraw = true;
  }

  /** The page drew the last snapshot. */
  drawn(): void {
    this.awaitingDraw = false;
  }
}

/** Steps per second, measured over windows of windowMs. */
export class RateMeter {
  perSecond = 0;
  private mark = { t: 0, step: 0 };

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  /** Count from here (a new run, or play after a pause). */
  restart(t: number, step: number): void {
    this.mark = { t, step };
    this.perSecond = 0;
  }

  /** The rate at time t and step `step`; 0 while not training. */
  read(t: number, step: number, training = true): number {
    if (!training) this.perSecond = 0;
    else if (t - this.mark.t >= this.windowMs) {
      this.perSecond = ((step - this.mark.step) * 1000) / (t - this.mark.t);
      this.mark = { t, step };
    }
    return this.perSecond;
  }
}
