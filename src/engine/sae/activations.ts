// Where an SAE's training data comes from. Each source fills [batch][dIn] activations and knows
// the ground-truth feature directions the SAE should recover.

import { instanceSparsities, type LabConfig } from '../toy/config';
import { allocBatch, dataSpecFromConfig, sampleBatch } from '../toy/data';
import { featureNorms, REPRESENTED_NORM } from '../toy/metrics';
import { INV_TWO_POW_32, type Rng } from '../shared/rng';

export interface ActivationSource {
  readonly dIn: number;
  /** unit-norm ground-truth directions, [G][dIn] */
  readonly trueDirections: Float32Array;
  readonly numTrue: number;
  /** fill out ([batch][dIn]) with fresh activations */
  sample(batch: number, out: Float32Array): void;
  /**
   * Where each row is a sparse sum of true directions (Sharkey data): draw the same batch as sample() (the same
   * random draws), as terms instead: row r = Σ_{e ∈ [start[r], start[r+1])} coef[e] · trueDirections[feature[e]],
   * summed in that order (each term added in float64 and rounded to float32, as sample() does). The arrays are
   * the source's own, valid until the next draw.
   */
  sampleTerms?(batch: number): SparseTerms;
}

/** One batch as sparse terms over the true directions (ActivationSource.sampleTerms). */
export interface SparseTerms {
  /** [batch + 1] offsets into feature/coef */
  start: Int32Array;
  feature: Int32Array;
  coef: Float64Array;
}

/**
 * Hidden activations h = W x (ReLU(W x) for relu-hidden and relu-hidden-tied) of one instance of a trained toy model (W: m×n), on fresh sparse inputs
 * drawn as the toy model saw them. The true directions are the represented features' Ŵ_i.
 */
export function toyModelSource(config: LabConfig, instance: number, W: Float32Array, rng: Rng): ActivationSource {
  const { n, m } = config;
  const one: LabConfig = { ...config, instances: 1, sparsity: instanceSparsities(config)[instance], sparsityRange: null };
  const hiddenRelu = config.model.startsWith('relu-hidden'); // relu-hidden and relu-hidden-tied
  const norms = featureNorms(W, m, n);
  const kept = Array.from(norms.keys()).filter((i) => norms[i] >= REPRESENTED_NORM);
  const trueDirections = new Float32Array(kept.length * m);
  kept.forEach((i, g) => {
    for (let j = 0; j < m; j++) trueDirections[g * m + j] = W[j * n + i] / norms[i];
  });
  let spec = dataSpecFromConfig({ ...one, batch: 1 });
  let x = allocBatch(spec);
  return {
    dIn: m,
    trueDirections,
    numTrue: kept.length,
    sample(batch, out) {
      if (spec.batch !== batch) {
        spec = { ...spec, batch };
        x = allocBatch(spec);
      }
      sampleBatch(spec, rng, x);
      for (let r = 0; r < batch; r++) {
        for (let j = 0; j < m; j++) {
          let h = 0;
          for (let i = 0; i < n; i++) h += W[j * n + i] * x[r * n + i];
          out[r * m + j] = hiddenRelu && h < 0 ? 0 : h;
        }
      }
    },
  };
}

/**
 * Sharkey et al.'s synthetic data: G random unit directions in R^d; feature i is active with probability
 * p_i ∝ 0.99^i, scaled so that on average `meanActive` features are on, with a U[0,1] coefficient.
 */
export function sharkeySource(d: number, G: number, meanActive: number, rng: Rng): ActivationSource {
  const trueDirections = new Float32Array(G * d);
  for (let g = 0; g < G; g++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = rng.normal();
      trueDirections[g * d + j] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < d; j++) trueDirections[g * d + j] /= norm;
  }
  const decay = Array.from({ length: G }, (_, i) => 0.99 ** i);
  const total = decay.reduce((a, b) => a + b, 0);
  const p = decay.map((w) => Math.min(1, (meanActive * w) / total));
  // u < p ⟺ u·2^32 < p·2^32, both exact: the inlined draw compares the raw 32-bit output
  const pScaled = Float64Array.from(p, (x) => x * 4294967296);
  let terms: SparseTerms = { start: new Int32Array(1), feature: new Int32Array(0), coef: new Float64Array(0) };
  const sampleTerms = (batch: number): SparseTerms => {
    if (terms.start.length < batch + 1) terms = { start: new Int32Array(batch + 1), feature: new Int32Array(batch * G), coef: new Float64Array(batch * G) };
    const { start, feature, coef } = terms;
    let nnz = 0;
    const gen = rng.sfc32;
    if (gen) {
      // the same draws as the rng.next() loop below (B·G of them per batch, the SAE's hot spot at paper size), with
      // sfc32 inlined on local state (Sfc32.nextU32's arithmetic); tests/unit/rng.test.ts keeps the two equal
      const st = gen.s;
      let a = st[0], b = st[1], c = st[2], e = st[3];
      for (let r = 0; r < batch; r++) {
        start[r] = nnz;
        for (let g = 0; g < G; g++) {
          let t = (((a + b) | 0) + e) | 0;
          e = (e + 1) | 0;
          a = b ^ (b >>> 9);
          b = (c + (c << 3)) | 0;
          c = (c << 21) | (c >>> 11);
          c = (c + t) | 0;
          if (t >>> 0 >= pScaled[g]) continue;
          t = (((a + b) | 0) + e) | 0;
          e = (e + 1) | 0;
          a = b ^ (b >>> 9);
          b = (c + (c << 3)) | 0;
          c = (c << 21) | (c >>> 11);
          c = (c + t) | 0;
          feature[nnz] = g;
          coef[nnz++] = (t >>> 0) * INV_TWO_POW_32;
        }
      }
      st[0] = a;
      st[1] = b;
      st[2] = c;
      st[3] = e;
    } else {
      for (let r = 0; r < batch; r++) {
        start[r] = nnz;
        for (let g = 0; g < G; g++) {
          if (rng.next() >= p[g]) continue;
          feature[nnz] = g;
          coef[nnz++] = rng.next();
        }
      }
    }
    start[batch] = nnz;
    return terms;
  };
  return {
    dIn: d,
    trueDirections,
    numTrue: G,
    sampleTerms,
    sample(batch, out) {
      out.fill(0, 0, batch * d);
      const { start, feature, coef } = sampleTerms(batch);
      for (let r = 0; r < batch; r++) {
        const ro = r * d;
        for (let i = start[r]; i < start[r + 1]; i++) {
          const c = coef[i], go = feature[i] * d;
          for (let j = 0; j < d; j++) out[ro + j] += c * trueDirections[go + j];
        }
      }
    },
  };
}

/**
 * Activations a user brought in a file (validated by activationsFile.ts): each batch is rows drawn uniformly at
 * random, with replacement. The true directions are the optional truth file's unit rows (none: MMCS is NaN).
 */
export function fileSource(data: { rows: number; cols: number; values: Float32Array }, truth: { rows: number; values: Float32Array } | null, rng: Rng): ActivationSource {
  const { rows, cols: d, values } = data;
  return {
    dIn: d,
    trueDirections: truth ? truth.values : new Float32Array(0),
    numTrue: truth ? truth.rows : 0,
    sample(batch, out) {
      for (let r = 0; r < batch; r++) {
        const i = Math.floor(rng.next() * rows);
        out.set(values.subarray(i * d, (i + 1) * d), r * d);
      }
    },
  };
}
