// @ts-nocheck: AssemblyScript source, compiled into the shared-memory build of saeKernel by buildKernels.ts.
//
// Two threads on one kernel: the kernel's instance (the trainer's thread) and a helper instance of the
// same module on the same shared memory (a worker that sits in the kernel's helperLoop). This thread
// posts a job (a kind and up to 30 words of arguments), does its own share, then joins the helper.
// Here: the job protocol and the split GEMM. A product large enough is split in two along its larger
// output dimension, on a register-tile boundary; the helper computes its part with its own packing
// space. Every output value is computed by the same micro-kernel over the same k order either way, so
// the result is the same to the bit as on one thread. The kernels split other work the same way, each
// part writing values no other part writes (saeKernel.as.ts). The single-thread builds compile
// gemmThreads.single.as.ts under this file's name instead (no atomics, no shared memory).

import { gemmCore, gemmScratch } from './gemm.as';

/**
 * The control block both instances read, in the module's static data (page 0, which pools never clear).
 * Instantiating the helper writes the module's data again, zeroing it: so the helper announces itself
 * (READY) only after that, and everything a job needs travels in the job, written at each post.
 */
const CTRL: usize = memory.data(256, 64);
const SEQ = 0; //       the job counter: this thread adds 1 to post a job
const DONE = 4; //      the helper stores the job counter here when it has finished that job
const READY = 8; //     1 while a helper sits in helperLoop
const QUIT = 12; //     set to make the helper leave helperLoop
const SPLITS = 16; //   jobs handed to the helper so far (the bench's and tests' count)
/** the job: word 0 its kind, words 1… its arguments */
const JOB: usize = CTRL + 64;

/** the job kinds this file runs itself; kernels number theirs from JOB_KERNEL */
export const JOB_GEMM = 1;
export const JOB_KERNEL = 16;

/** Products with fewer multiply-adds run on this thread alone (waking the helper costs more). */
const PARALLEL_FROM: f64 = 131072;
/**
 * Polls before a waiting thread blocks. The helper polls for its next job for about a millisecond
 * (a step's jobs follow each other closely, and waking a blocked thread costs ≈ 50–100 µs); the
 * trainer's thread polls for the helper's part for about as long as a large part takes.
 */
const HELPER_SPIN: i32 = 1 << 20;
const JOIN_SPIN: i32 = 1 << 22;

const MR = 4;
const NR = 8;

/** the helper's packing space, as this (the trainer's) instance knows it; 0 = no helper for this kernel */
let helperScratch: usize = 0;
let posted: i32 = 0;

/** Where the helper packs its operands (GEMM_SCRATCH_BYTES from `at`); nothing is split before it is set. */
export function setHelperScratch(at: usize): void {
  helperScratch = at;
}

/** 1 while a helper is ready to take a share of the work */
export function helperReady(): i32 {
  return atomic.load<i32>(CTRL + READY);
}

/** jobs split so far */
export function splitCount(): i32 {
  return atomic.load<i32>(CTRL + SPLITS);
}

/** true when work can be shared now: this kernel has a helper and it is in its loop */
@inline
export function canSplit(): bool {
  return helperScratch != 0 && atomic.load<i32>(CTRL + READY) != 0;
}

@inline
export function jobI32(i: i32): i32 {
  return load<i32>(JOB + (<usize>i << 2));
}

@inline
export function jobF32(i: i32): f32 {
  return load<f32>(JOB + (<usize>i << 2));
}

@inline
export function setJobI32(i: i32, v: i32): void {
  store<i32>(JOB + (<usize>i << 2), v);
}

@inline
export function setJobF32(i: i32, v: f32): void {
  store<f32>(JOB + (<usize>i << 2), v);
}

/** Hand the job written into the job words (kind `kind`) to the helper; join() waits for it. */
export function post(kind: i32): void {
  setJobI32(0, kind);
  posted = atomic.add<i32>(CTRL + SEQ, 1) + 1;
  atomic.notify(CTRL + SEQ, 1);
  atomic.add<i32>(CTRL + SPLITS, 1);
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

/** Wait for the helper to finish the job posted last. */
export function join(): void {
  let done = atomic.load<i32>(CTRL + DONE);
  while (done != posted) done = waitChange(CTRL + DONE, done, JOIN_SPIN);
}

/** Ask the helper to leave helperLoop (its worker can then end). */
export function stopHelper(): void {
  atomic.store<i32>(CTRL + QUIT, 1);
  atomic.add<i32>(CTRL + SEQ, 1);
  atomic.notify(CTRL + SEQ, 1);
}

let seen: i32 = 0;

/** The helper's side, entering its loop: it takes jobs from now on. */
export function helperEnter(): void {
  atomic.store<i32>(CTRL + QUIT, 0);
  seen = atomic.load<i32>(CTRL + SEQ);
  atomic.store<i32>(CTRL + DONE, seen);
  atomic.store<i32>(CTRL + READY, 1);
}

/** The helper's side: wait for the next job and return its kind, or −1 when asked to stop. */
export function helperNext(): i32 {
  seen = waitChange(CTRL + SEQ, seen, HELPER_SPIN);
  if (atomic.load<i32>(CTRL + QUIT)) {
    atomic.store<i32>(CTRL + READY, 0);
    return -1;
  }
  return jobI32(0);
}

/** The helper's side: the job is done (its results are in memory before this store). */
export function helperFinish(): void {
  atomic.store<i32>(CTRL + DONE, seen);
  atomic.notify(CTRL + DONE, 1);
}

/** The helper's side of JOB_GEMM. */
export function gemmJob(): void {
  gemmScratch(<usize>jobI32(13));
  gemmCore(
    jobI32(1), jobI32(2), jobI32(3),
    <usize>jobI32(4), <usize>jobI32(5), <usize>jobI32(6),
    <usize>jobI32(7), <usize>jobI32(8), <usize>jobI32(9),
    <usize>jobI32(10), <usize>jobI32(11), jobI32(12) != 0,
  );
}

/** gemmCore's contract (gemm.as.ts); part of a large product runs on the helper when one is ready. */
export function gemm(M: i32, N: i32, K: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize, bCol: usize, c: usize, cRow: usize, acc: bool): void {
  if (<f64>M * <f64>N * <f64>K < PARALLEL_FROM || !canSplit() || (N < 2 * NR && M < 2 * MR)) {
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
  setJobI32(1, hm);
  setJobI32(2, hn);
  setJobI32(3, K);
  setJobI32(4, <i32>ha);
  setJobI32(5, <i32>aRow);
  setJobI32(6, <i32>aCol);
  setJobI32(7, <i32>hb);
  setJobI32(8, <i32>bRow);
  setJobI32(9, <i32>bCol);
  setJobI32(10, <i32>hc);
  setJobI32(11, <i32>cRow);
  setJobI32(12, acc ? 1 : 0);
  setJobI32(13, <i32>helperScratch);
  post(JOB_GEMM);
  gemmCore(m, n, K, a, aRow, aCol, b, bRow, bCol, c, cRow, acc);
  join();
}
