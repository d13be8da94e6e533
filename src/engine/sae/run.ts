// A whole SAE experiment headless: train the toy model (for toy data), then SAEs on its activations.
// The record is what `npm run lab -- sae` writes.

import { fileSource, sharkeySource, toyModelSource, type ActivationSource } from './activations';
import type { ActivationMatrix } from './activationsFile';
import { topActivatingRows } from './topRows';
import type { LabConfig } from '../toy/config';
import { createTrainer, type EngineChoice } from '../index';
import { trainToEnd } from '../toy/runner';
import { createRng } from '../shared/rng';
import { evaluatedSnapshot, evaluationDead, evaluationInputs, SAE_EVAL_INPUTS, type SaeInstanceStats } from './core';
import { createSaeTrainer, type SaeEngineChoice } from './engine';
import { SaeFusedTrainer } from './fused';
import type { SaeConfig } from './config';
import { instanceB, instanceW } from '../toy/snapshot';

export interface SaeRunRecord {
  version: 1;
  kind: 'sae';
  config: LabConfig | null;
  sae: SaeConfig;
  /** which SAE engine trained it ('fused' or 'tfjs') */
  saeEngine: string;
  /** the fused engine's WebAssembly kernel: its build and threads (null: TF.js or the JavaScript pass) */
  kernel: SaeFusedTrainer['kernelPath'];
  /** the toy model the activations come from (instance 0), or null for Sharkey data */
  base: { W: number[][]; b: number[]; loss: number; seconds: number } | null;
  /** unit rows, [G][dIn] */
  trueDirections: number[][];
  instances: {
    l1: number;
    /** dIn rows of L */
    Wdec: number[][];
    /** L rows of dIn */
    Wenc: number[][];
    benc: number[];
    bdec: number[];
    metrics: SaeInstanceStats & { bestMatch: { feature: number; cosine: number }[]; resampled: number; dead: boolean[] };
  }[];
  /** [step, mmcs_0…, l0_0…, deadFraction_0…] */
  curve: number[][];
  /** file data: its shape, and per instance and latent the rows that activate the latent most ([row, z] pairs) */
  file?: { rows: number; d: number; truth: number; topRows: [number, number][][][] };
  seconds: number;
}

const rows = (a: ArrayLike<number>, r: number, c: number) => Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => a[i * c + j]));

/** A user's activations file and optional truth directions, both validated by activationsFile.ts. */
export interface SaeFileData {
  data: ActivationMatrix;
  truth: ActivationMatrix | null;
}

/** rows per latent in the record's top-activating-rows table */
export const TOP_ROWS = 5;

export function activationSource(config: LabConfig | null, sae: SaeConfig, engine: EngineChoice = 'auto', file?: SaeFileData): { source: ActivationSource; base: SaeRunRecord['base'] } {
  const rng = createRng(sae.saeSeed).fork(13);
  if (sae.data === 'file') {
    if (!file) throw new Error("data 'file' needs the file's activations");
    return { source: fileSource(file.data, file.truth, rng), base: null };
  }
  if (sae.data === 'sharkey' || !config) {
    return { source: sharkeySource(sae.sharkeyDim, sae.sharkeyFeatures, sae.sharkeyActive, rng), base: null };
  }
  const trainer = createTrainer(config, engine);
  try {
    const run = trainToEnd(trainer, { curvePoints: 1 });
    const s = trainer.snapshot();
    const W = instanceW(s, 0).slice();
    return {
      source: toyModelSource(config, 0, W, rng),
      base: { W: rows(W, config.m, config.n), b: Array.from(instanceB(s, 0)), loss: run.finalLosses[0], seconds: run.seconds },
    };
  } finally {
    trainer.dispose();
  }
}

export function runSae(config: LabConfig | null, sae: SaeConfig, opts: { engine?: EngineChoice; saeEngine?: SaeEngineChoice; curvePoints?: number; file?: SaeFileData; onProgress?: (step: number, stats: SaeInstanceStats[]) => void } = {}): SaeRunRecord {
  const t0 = performance.now();
  const { source, base } = activationSource(config, sae, opts.engine, opts.file);
  const trainer = createSaeTrainer(sae, source, opts.saeEngine);
  try {
    const every = Math.max(1, Math.ceil(sae.saeSteps / (opts.curvePoints ?? 100)));
    const curve: number[][] = [];
    while (trainer.stepsDone < sae.saeSteps) {
      const stats = trainer.step(Math.min(every, sae.saeSteps - trainer.stepsDone));
      curve.push([trainer.stepsDone, ...stats.map((s) => s.mmcs), ...stats.map((s) => s.l0), ...stats.map((s) => s.deadFraction)]);
      opts.onProgress?.(trainer.stepsDone, stats);
    }
    // final dead latents, L0 and MMCS on a fresh evaluation set: a latent is dead when it never fires there
    const raw = trainer.snapshot();
    // the fused trainer measures firing in its kernel (float32, the encoder GEMM), like its training passes
    const ev = trainer instanceof SaeFusedTrainer ? trainer.firingOn(evaluationInputs(source), SAE_EVAL_INPUTS) : evaluationDead(raw, source);
    const snap = evaluatedSnapshot(raw, ev);
    const { K, L, dIn } = snap;
    return {
      version: 1,
      kind: 'sae',
      config: sae.data === 'toy' ? config : null,
      sae,
      saeEngine: trainer.engine,
      kernel: trainer instanceof SaeFusedTrainer ? trainer.kernelPath : null,
      base,
      trueDirections: rows(source.trueDirections, source.numTrue, dIn),
      instances: Array.from({ length: K }, (_, k) => ({
        l1: snap.l1[k],
        Wdec: rows(snap.Wdec.subarray(k * dIn * L), dIn, L),
        Wenc: rows(snap.Wenc.subarray(k * L * dIn), L, dIn),
        benc: Array.from(snap.benc.subarray(k * L, (k + 1) * L)),
        bdec: Array.from(snap.bdec.subarray(k * dIn, (k + 1) * dIn)),
        metrics: { ...snap.stats[k], bestMatch: snap.bestMatch[k], resampled: snap.resampled[k], dead: Array.from(snap.dead.subarray(k * L, (k + 1) * L), Boolean) },
      })),
      curve,
      ...(opts.file ? { file: fileRecord(snap, opts.file) } : {}),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    trainer.dispose();
  }
}

function fileRecord(snap: Parameters<typeof topActivatingRows>[0], file: SaeFileData): NonNullable<SaeRunRecord['file']> {
  const { data } = file;
  const top = topActivatingRows(snap, data.values, data.rows, TOP_ROWS);
  const { K, L } = snap;
  const topRows = Array.from({ length: K }, (_, k) => Array.from({ length: L }, (_, l) => {
    const o = (k * L + l) * TOP_ROWS;
    const out: [number, number][] = [];
    for (let t = 0; t < TOP_ROWS && top.rows[o + t] >= 0; t++) out.push([top.rows[o + t], top.values[o + t]]);
    return out;
  }));
  return { rows: data.rows, d: data.cols, truth: file.truth?.rows ?? 0, topRows };
}
