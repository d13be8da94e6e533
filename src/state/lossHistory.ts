// Loss per instance over training, kept small: when it grows past `capacity` points,
// every other point is dropped (the curve keeps its shape; resolution halves).
// Mutable on purpose: appends happen ~30 times a second; readers watch `version`.

export class LossHistory {
  steps: number[] = [];
  /** losses[k][t] is instance k's loss at steps[t] */
  losses: number[][] = [];
  version = 0;
  /** stride between kept points, in appends (doubles on every thinning) */
  private stride = 1;
  private skipped = 0;

  constructor(
    readonly instances: number,
    private readonly capacity = 1500,
  ) {
    this.losses = Array.from({ length: instances }, () => []);
  }

  append(step: number, losses: ArrayLike<number>): void {
    if (losses.length !== this.instances || !Array.from(losses).some(Number.isFinite)) return;
    const last = this.steps.length - 1;
    if (last >= 0 && step <= this.steps[last]) return;
    if (++this.skipped < this.stride) return;
    this.skipped = 0;
    this.steps.push(step);
    for (let k = 0; k < this.instances; k++) this.losses[k].push(losses[k]);
    if (this.steps.length > this.capacity) this.thin();
    this.version++;
  }

  /** Append the points of a snapshot: steps[P] and losses[P][K] (flattened). */
  appendPoints(steps: ArrayLike<number>, losses: Float32Array): void {
    const K = this.instances;
    for (let p = 0; p < steps.length; p++) this.append(steps[p], losses.subarray(p * K, (p + 1) * K));
  }

  get length(): number {
    return this.steps.length;
  }

  private thin(): void {
    const keep = (_: unknown, i: number) => i % 2 === 0;
    this.steps = this.steps.filter(keep);
    this.losses = this.losses.map((l) => l.filter(keep));
    this.stride *= 2;
  }
}
