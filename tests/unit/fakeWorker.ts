// A stand-in for the browser's Worker in Node: records what the page posts, answers pings while it
// is alive, and lets a test speak for the worker (reply), make it throw, or make it go silent.

type Msg = { type: string; [k: string]: unknown };

export class FakeWorker {
  static spawned: FakeWorker[] = [];
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  posted: Msg[] = [];
  terminated = false;
  /** answers pings; false = hung, closed or killed (the page hears nothing) */
  alive = true;

  constructor(..._args: unknown[]) {
    FakeWorker.spawned.push(this);
  }

  static reset(): void {
    FakeWorker.spawned = [];
  }

  static get last(): FakeWorker {
    return FakeWorker.spawned[FakeWorker.spawned.length - 1];
  }

  postMessage(msg: Msg): void {
    if (this.terminated) return;
    this.posted.push(msg);
    if (msg.type === 'ping' && this.alive) this.reply({ type: 'pong', t: msg.t });
  }

  terminate(): void {
    this.terminated = true;
    this.alive = false;
  }

  /** The worker says msg (if it still can). */
  reply(msg: Msg): void {
    if (!this.terminated) this.onmessage?.({ data: msg } as MessageEvent);
  }

  /** An uncaught error in the worker. */
  throw(message: string): void {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }

  /** Messages of one type the page sent. */
  sent<T extends Msg = Msg>(type: string): T[] {
    return this.posted.filter((m) => m.type === type) as T[];
  }
}

export const asWorker = (w: FakeWorker) => w as unknown as Worker;
