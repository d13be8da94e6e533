// A few WebAssembly instances of one kernel module, reused from trainer to trainer.
//
// Every instance owns a WebAssembly.Memory, and V8 reserves about 10 GB of address space for each
// (guard regions; measured in Node 20: 10 live trainers 142 GB virtual, 100 live 1 042 GB). That
// reservation goes only when the garbage collector finds the instance, and the collector runs on
// JavaScript heap pressure, not on address space. Chromium caps a renderer's wasm reservations at
// about 1 TB, shared by the page's workers, so a burst of trainers (quick tab clicks, each starting
// and disposing fused trainers in several workers) could fail with "WebAssembly.Instance(): Out of
// memory" while nearly all of them were garbage. So a trainer's dispose() gives its instance back,
// and the next trainer takes it: a worker holds as many instances as trainers alive at once, plus a
// few idle ones.
//
// A taken instance is as good as a new one: its memory above page 0 (the module's static data) is
// zeroed; memory never shrinks, so an instance whose memory grew past `maxBytes` is not kept. The
// kernels' globals are all set before they are read (checked in the .as.ts sources).

const PAGE = 65536;

export class InstancePool {
  private readonly free: WebAssembly.Instance[] = [];
  /** instances made so far (tests, diagnostics) */
  created = 0;
  /** instances handed out again instead of made */
  reused = 0;

  constructor(
    private readonly make: () => WebAssembly.Instance,
    /** idle instances kept at most */
    private readonly keep = 2,
    /** an instance whose memory is larger than this is left to the garbage collector */
    private readonly maxBytes = 64 << 20,
    /** called for an instance given back but not kept (a shared-memory kernel stops its helper here) */
    private readonly drop: (instance: WebAssembly.Instance) => void = () => {},
  ) {}

  /** An instance whose memory above page 0 is zero: a reused one if there is one, else a new one. */
  take(): WebAssembly.Instance {
    const instance = this.free.pop();
    if (!instance) {
      const made = this.make();
      this.created++;
      return made;
    }
    const buffer = memoryOf(instance).buffer;
    if (buffer.byteLength > PAGE) new Uint8Array(buffer, PAGE).fill(0);
    this.reused++;
    return instance;
  }

  /** Give an instance back; nothing may use it (or views of its memory) afterwards. */
  give(instance: WebAssembly.Instance): void {
    if (this.free.includes(instance)) return;
    if (this.free.length >= this.keep || memoryOf(instance).buffer.byteLength > this.maxBytes) this.drop(instance);
    else this.free.push(instance);
  }

  /** instances waiting to be reused */
  get idle(): number {
    return this.free.length;
  }
}

function memoryOf(instance: WebAssembly.Instance): WebAssembly.Memory {
  return (instance.exports as { memory: WebAssembly.Memory }).memory;
}
