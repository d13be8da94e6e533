// Seeded pseudo-random numbers (sfc32, seeded through splitmix32). Pure JS, so the same
// seed gives the same batches and initial weights in Node, in a worker and on any backend.
// The fused trainer's sampler inlines Sfc32's arithmetic in its hot loop; tests keep the two equal.

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** standard normal (Box–Muller) */
  normal(): number;
  /** an independent generator derived from this one's seed and a label */
  fork(label: number): Rng;
  /** the generator behind next(), for hot loops that inline its arithmetic (a draw from it is a next()) */
  readonly sfc32?: Sfc32;
}

/** 2^-32: multiplying by it is exact, the same as dividing by 2^32 */
export const INV_TWO_POW_32 = 2.3283064365386963e-10;

function splitmix32Outputs(seed: number, count: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out.push((z ^ (z >>> 16)) >>> 0);
  }
  return out;
}

/**
 * sfc32 with its state [a, b, c, d] in an Int32Array (so optimised code keeps it in int32
 * registers when a hot loop copies it into locals).
 */
export class Sfc32 {
  readonly s: Int32Array;
  /** Start from `state`; keep the state in `storage` (4 ints, e.g. in a wasm kernel's memory) if given. */
  constructor(state: Int32Array, storage: Int32Array = new Int32Array(4)) {
    this.s = storage;
    this.s.set(state.subarray(0, 4));
  }
  nextU32(): number {
    const s = this.s;
    const t = (((s[0] + s[1]) | 0) + s[3]) | 0;
    s[3] = (s[3] + 1) | 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) | 0;
    s[2] = (s[2] << 21) | (s[2] >>> 11);
    s[2] = (s[2] + t) | 0;
    return t >>> 0;
  }
  /** uniform in [0, 1) */
  next(): number {
    return this.nextU32() * INV_TWO_POW_32;
  }
  state(): Int32Array {
    return this.s.slice();
  }
}

/** sfc32 state [a, b, c, d] of `createRng(seed)`: splitmix32(seed) gives a, b, c, d, then 12 outputs are discarded. */
export function sfc32State(seed: number): Int32Array {
  const g = new Sfc32(Int32Array.from(splitmix32Outputs(seed, 4)));
  for (let i = 0; i < 12; i++) g.nextU32();
  return g.state();
}

/** The seed of `createRng(seed).fork(label)`. */
export function forkSeed(seed: number, label: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 31) + Math.imul(label + 1, 0x27d4eb2d)) >>> 0;
}

export function createRng(seed: number): Rng {
  const g = new Sfc32(sfc32State(seed));
  let spare: number | null = null;
  const rng: Rng = {
    next: () => g.next(),
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = rng.next();
      const v = rng.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    fork: (label: number) => createRng(forkSeed(seed, label)),
    sfc32: g,
  };
  return rng;
}
