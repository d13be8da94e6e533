// @ts-nocheck: AssemblyScript source, compiled into the shared-memory build of saeKernel by buildKernels.ts.
//
// The GEMM on two threads: the kernel's instance (the trainer's thread) and a helper instance of the
// same module on the same shared memory (a worker that sits in helperLoop). A product large enough
// is split in two along its larger output dimension, on a register-tile boundary; the helper computes
// its half with its own packing space while this thread computes the other, then waits for it. Every
// output value is computed by the same micro-kernel over the same k order either way, so the result
// is the same to the bit as on one thread. The single-thread builds compile gemmThreads.single.as.ts
// under this file's name instead (no atomics, no shared memory).

import { gemmCore, gemmScratch } from './gemm.as';

/**
 * The control block both instances read, in the module's static data (page 0, which pools never clear).
 * Instantiating the helper writes the module's data again, zeroing it: so the helper announces itself
 * (READY) only after that, and everything a product needs travels in the job, written at each split.
 */
const CTRL: usize = memory.data(128, 64);
const SEQ = 0; //       the job counter: this thread adds 1 to post a job
const DONE = 4; //      the helper stores the job counter here when it has finished that job
const READY = 8; //     1 while a helper sits in helperLoop
const QUIT = 12; //     set to make the helper leave helperLoop
const JOB = 16; //      M, N, K, a, aRow, aCol, b, bRow, bCol, c, cRow, acc, the helper's packing space (13 words)
const SPLITS = 68; //   products handed to the helper so far (the bench's and tests' count)

/** Products with fewer multiply-adds run on this thread alone (waking the helper costs more). */
const PARALLEL_FROM: f64 = 131072;
/**
 * Polls before a waiting thread blocks. The helper polls for its next product for about a millisecond
 * (a step's products follow each other closely, and waking a blocked thread costs ≈ 50–100 µs); the
 * trainer's thread polls for the helper's half for about as long as a large half takes.
 */
const HELPER_SPIN: i32 = 1 << 20;
const JOIN_SPIN: i32 = 1 << 22;

const MR = 4;
const NR = 8;

/** the helper's packing space, as this (the trainer's) instance knows it */
let helperScratch: usize = 0;

/** Where the helper packs its operands (GEMM_SCRATCH_BYTES from `at`); no product is split before it is set. */
export function setHelperScratch(at: usize): void {
  helperScratch = at;
}

/** 1 while a helper is ready to take half of each large product */
export function helperReady(): i32 {
  return atomic.load<i32>(CTRL + READY);
}

/** products split so far */
export function splitCount(): i32 {
  return atomic.load<i32>(CTRL + SPLITS);
}

/** Ask the helper to leave helperLoop (its worker can then end). */
export function stopHelper(): void {
  atomic.store<i32>(CTRL + QUIT, 1);
  atomic.add<i32>(CTRL + SEQ, 1);
  atomic.notify(CTRL + SEQ, 1);
}

/** Wait until the word at `at` differs from `seen`: poll `spin` times, then block. Returns its value. */
function waitChange(at: usize, seen: i32, spin: i32): i32 {
  for (let i = 0; i < spin; i++) {
    const now = atomic.load<i32>(at);
    if (now != seen) return now;
  }
  let now = seen;
  while (now == seen) {
    memory.atomic.wait32(at, seen, -1);
    now = atomic.load<i32>(at);
  }
  return now;
}

/** The helper's side: take products until stopHelper. Runs in the helper's worker, which it blocks. */
export function helperLoop(): void {
  atomic.store<i32>(CTRL + QUIT, 0);
  let seen = atomic.load<i32>(CTRL + SEQ);
  atomic.store<i32>(CTRL + DONE, seen);
  atomic.store<i32>(CTRL + READY, 1);
  for (;;) {
    seen = waitChange(CTRL + SEQ, seen, HELPER_SPIN);
    if (atomic.load<i32>(CTRL + QUIT)) break;
    const j = CTRL + JOB;
    gemmScratch(<usize>load<i32>(j, 48));
    gemmCore(
      load<i32>(j), load<i32>(j, 4), load<i32>(j, 8),
      <usize>load<i32>(j, 12), <usize>load<i32>(j, 16), <usize>load<i32>(j, 20),
      <usize>load<i32>(j, 24), <usize>load<i32>(j, 28), <usize>load<i32>(j, 32),
      <usize>load<i32>(j, 36), <usize>load<i32>(j, 40), load<i32>(j, 44) != 0,
    );
    atomic.store<i32>(CTRL + DONE, seen);
    atomic.notify(CTRL + DONE, 1);
  }
  atomic.store<i32>(CTRL + READY, 0);
}

/** gemmCore's contract (gemm.as.ts); half of a large product runs on the helper when one is ready. */
export function gemm(M: i32, N: i32, K: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize, bCol: usize, c: usize, cRow: usize, acc: bool): void {
  if (<f64>M * <f64>N * <f64>K < PARALLEL_FROM || helperScratch == 0 || atomic.load<i32>(CTRL + READY) == 0 || (N < 2 * NR && M < 2 * MR)) {
    gemmCore(M, N, K, a, aRow, aCol, b, bRow, bCol, c, cRow, acc);
    return;
  }
  // this thread keeps the first part, the helper takes the rest: columns when N is the larger side, else rows
  let m = M, n = N;
  let ha = a, hb = b, hc = c, hm = M, hn = N;
  if (N >= M && N >= 2 * NR) {
    n = ((N >> 1) + NR - 1) & ~(NR - 1);
    hn = N - n;
    hb = b + <usize>n * bCol;
    hc = c + (<usize>n << 2);
  } else {
    m = ((M >> 1) + MR - 1) & ~(MR - 1);
    hm = M - m;
    ha = a + <usize>m * aRow;
    hc = c + <usize>m * cRow;
  }
  const j = CTRL + JOB;
  store<i32>(j, hm);
  store<i32>(j, hn, 4);
  store<i32>(j, K, 8);
  store<i32>(j, <i32>ha, 12);
  store<i32>(j, <i32>aRow, 16);
  store<i32>(j, <i32>aCol, 20);
  store<i32>(j, <i32>hb, 24);
  store<i32>(j, <i32>bRow, 28);
  store<i32>(j, <i32>bCol, 32);
  store<i32>(j, <i32>hc, 36);
  store<i32>(j, <i32>cRow, 40);
  store<i32>(j, acc ? 1 : 0, 44);
  store<i32>(j, <i32>helperScratch, 48);
  const job = atomic.add<i32>(CTRL + SEQ, 1) + 1;
  atomic.notify(CTRL + SEQ, 1);
  atomic.add<i32>(CTRL + SPLITS, 1);
  gemmCore(m, n, K, a, aRow, aCol, b, bRow, bCol, c, cRow, acc);
  let done = atomic.load<i32>(CTRL + DONE);
  while (done != job) done = waitChange(CTRL + DONE, done, JOIN_SPIN);
}
