// @ts-nocheck: AssemblyScript source, compiled into the shared-memory build of saeKernel by buildKernels.ts.
//
// Two threads on one kernel: the kernel's instance (the trainer's thread) and a helper instance of the
// same module on the same shared memory (a worker that sits in the kernel's helperLoop). Work is
// shared in chunks: this thread posts a job (a kind, a number of chunks and up to 40 words of
// arguments), then both threads claim chunks one at a time from a shared counter until none is left,
// and this thread waits for the chunks still running. A helper whose core is busy with another
// program simply claims fewer chunks (none, if it wakes late), so a busy machine costs about the time
// of one thread, not a wait. Every value is computed by one thread, by the same code and in the same
// order as on one thread, so the result is the same to the bit. Here: the protocol and the chunked
// GEMM (column or row panels of C); saeKernel.as.ts splits its other work the same way. The
// single-thread builds compile gemmThreads.single.as.ts under this file's name instead.

import { gemmCore, gemmScratch } from './gemm.as';

/**
 * The control block both instances read, in the module's static data (page 0, which pools never clear).
 * Instantiating the helper writes the module's data again, zeroing it: so the helper announces itself
 * (READY) only after that, and everything a job needs travels in the job words, written at each post.
 */
const CTRL: usize = memory.data(256, 64);
const SEQ = 0; //        the job counter: this thread adds 1 to post a job (wakes the helper)
const NEXT = 4; //       (job tag << 16) | the next unclaimed chunk; CLOSED while this thread writes a job
const FINISHED = 8; //   chunks of the current job finished (both threads add)
const READY = 12; //     1 while a helper sits in helperLoop
const QUIT = 16; //      set to make the helper leave helperLoop
const SPLITS = 20; //    jobs shared so far (the bench's and tests' count)
const HELPED = 24; //    chunks the helper ran so far
/** the job: word 0 its kind, word 1 its number of chunks, words 2… its arguments */
const JOB: usize = CTRL + 64;
const CLOSED: i32 = -1;

/** the job kinds this file runs itself; kernels number theirs from JOB_KERNEL */
export const JOB_GEMM = 1;
export const JOB_KERNEL = 16;

/** Products with fewer multiply-adds run on this thread alone (waking the helper costs more). */
const PARALLEL_FROM: f64 = 131072;
/** A GEMM is cut into about this many panels (fewer when a panel would be smaller than PANEL_MIN multiply-adds). */
const PANELS = 8;
const PANEL_MIN: f64 = 32768;
/**
 * Polls before a waiting thread blocks. The helper polls for its next job for about a millisecond
 * (a step's jobs follow each other closely, and waking a blocked thread costs ≈ 50–100 µs); this
 * thread polls for the last running chunk about as long.
 */
const HELPER_SPIN: i32 = 1 << 20;
const JOIN_SPIN: i32 = 1 << 20;

const MR = 4;
const NR = 8;

/** the helper's packing space, as this (the trainer's) instance knows it; 0 = no helper for this kernel */
let helperScratch: usize = 0;
/** this thread's own packing space (gemmScratch's, kept to restore after running a GEMM chunk) */
let ownScratch: usize = 0;

/** Where the helper packs its operands (GEMM_SCRATCH_BYTES from `at`); nothing is shared before it is set. */
export function setHelperScratch(at: usize): void {
  helperScratch = at;
}

/** 1 while a helper is ready to take a share of the work */
export function helperReady(): i32 {
  return atomic.load<i32>(CTRL + READY);
}

/** jobs shared so far */
export function splitCount(): i32 {
  return atomic.load<i32>(CTRL + SPLITS);
}

/** chunks the helper ran so far */
export function helpedCount(): i32 {
  return atomic.load<i32>(CTRL + HELPED);
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

/** Close the current job before writing the next one's words (a late claim of the old one then fails). */
export function openJob(): void {
  atomic.store<i32>(CTRL + NEXT, CLOSED);
}

/** Post the job written into words 2… since openJob: `chunks` chunks of kind `kind`. */
export function post(kind: i32, chunks: i32): void {
  setJobI32(0, kind);
  setJobI32(1, chunks);
  const seq = atomic.load<i32>(CTRL + SEQ) + 1;
  atomic.store<i32>(CTRL + FINISHED, 0);
  atomic.store<i32>(CTRL + NEXT, (seq & 0x7fff) << 16);
  atomic.store<i32>(CTRL + SEQ, seq);
  atomic.notify(CTRL + SEQ, 1);
  atomic.add<i32>(CTRL + SPLITS, 1);
}

/**
 * Claim the next chunk of the current job: its index, or −1 when none is left (or the job changed
 * meanwhile). The job's words may be read after a successful claim: they stay until every chunk is done.
 */
export function claim(): i32 {
  let w = atomic.load<i32>(CTRL + NEXT);
  while (w != CLOSED && (w & 0xffff) < jobI32(1)) {
    const was = atomic.cmpxchg<i32>(CTRL + NEXT, w, w + 1);
    // the claim holds only if the job is still the one whose count was compared (a tag 2¹⁵ jobs later could match)
    if (was == w) return (w & 0xffff) < jobI32(1) ? w & 0xffff : -1;
    w = was;
  }
  return -1;
}

/** One claimed chunk is done (its results are in memory before this). */
export function finished(): void {
  atomic.add<i32>(CTRL + FINISHED, 1);
  atomic.notify(CTRL + FINISHED, 1);
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

/** Wait until every chunk of the current job is finished (after this thread found none left to claim). */
export function join(): void {
  const chunks = jobI32(1);
  let done = atomic.load<i32>(CTRL + FINISHED);
  while (done != chunks) done = waitChange(CTRL + FINISHED, done, JOIN_SPIN);
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
  atomic.store<i32>(CTRL + READY, 1);
}

/** The helper's side: wait for a new job; false when asked to stop. */
export function helperNext(): bool {
  seen = waitChange(CTRL + SEQ, seen, HELPER_SPIN);
  if (atomic.load<i32>(CTRL + QUIT)) {
    atomic.store<i32>(CTRL + READY, 0);
    return false;
  }
  return true;
}

/** The helper's side: count a chunk it ran. */
export function helped(): void {
  atomic.add<i32>(CTRL + HELPED, 1);
}

/** Chunk i of a JOB_GEMM: a panel of C's columns (word 15 = 1) or rows, computed with the caller's packing space. */
export function gemmChunk(i: i32, scratch: usize): void {
  const M = jobI32(2), N = jobI32(3), K = jobI32(4), panel = jobI32(14);
  const a = <usize>jobI32(5), aRow = <usize>jobI32(6), aCol = <usize>jobI32(7);
  const b = <usize>jobI32(8), bRow = <usize>jobI32(9), bCol = <usize>jobI32(10);
  const c = <usize>jobI32(11), cRow = <usize>jobI32(12), acc = jobI32(13) != 0;
  gemmScratch(scratch);
  const p0 = i * panel;
  if (jobI32(15)) {
    gemmCore(M, min(panel, N - p0), K, a, aRow, aCol, b + <usize>p0 * bCol, bRow, bCol, c + (<usize>p0 << 2), cRow, acc);
  } else {
    gemmCore(min(panel, M - p0), N, K, a + <usize>p0 * aRow, aRow, aCol, b, bRow, bCol, c + <usize>p0 * cRow, cRow, acc);
  }
}

/** the helper's packing space, for its GEMM chunks */
export function jobHelperScratch(): usize {
  return <usize>jobI32(16);
}

/** gemmCore's contract (gemm.as.ts); a large product is cut into panels that both threads take. */
export function gemm(M: i32, N: i32, K: i32, a: usize, aRow: usize, aCol: usize, b: usize, bRow: usize, bCol: usize, c: usize, cRow: usize, acc: bool): void {
  const work = <f64>M * <f64>N * <f64>K;
  if (work < PARALLEL_FROM || !canSplit() || (N < 2 * NR && M < 2 * MR)) {
    gemmCore(M, N, K, a, aRow, aCol, b, bRow, bCol, c, cRow, acc);
    return;
  }
  // panels of columns when N is the larger side, else of rows; about PANELS of them, whole register tiles
  // column panels re-pack A (M×K) each, row panels B (K×N): re-pack the smaller; on a tie, rows when B packs contiguously
  const byCols = N >= 2 * NR && (N > M || (N == M && bCol != 4) || M < 2 * MR);
  const side = byCols ? N : M, unit = byCols ? NR : MR;
  const most = max(2, min(PANELS, <i32>(work / PANEL_MIN)));
  let panel = (side + most - 1) / most;
  panel = (panel + unit - 1) / unit * unit;
  const chunks = (side + panel - 1) / panel;
  openJob();
  setJobI32(2, M);
  setJobI32(3, N);
  setJobI32(4, K);
  setJobI32(5, <i32>a);
  setJobI32(6, <i32>aRow);
  setJobI32(7, <i32>aCol);
  setJobI32(8, <i32>b);
  setJobI32(9, <i32>bRow);
  setJobI32(10, <i32>bCol);
  setJobI32(11, <i32>c);
  setJobI32(12, <i32>cRow);
  setJobI32(13, acc ? 1 : 0);
  setJobI32(14, panel);
  setJobI32(15, byCols ? 1 : 0);
  setJobI32(16, <i32>helperScratch);
  post(JOB_GEMM, chunks);
  const own = ownGemmScratch();
  for (let i = claim(); i >= 0; i = claim()) {
    gemmChunk(i, own);
    finished();
  }
  join();
}

/** this thread's packing space (gemm.as.ts's, as set by setGemmScratch) */
@inline
function ownGemmScratch(): usize {
  return ownScratch;
}

/** Set this thread's packing space (the kernel's setGemmScratch calls this). */
export function setOwnScratch(at: usize): void {
  ownScratch = at;
  gemmScratch(at);
}
