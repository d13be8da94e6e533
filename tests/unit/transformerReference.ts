// A float64 reference of model.ts's forward pass and loss, written straight from its comment with plain
// loops (no shared code with either engine), for gradient checks and engine-agreement tests.

import { dHead, LN_EPS, namedParams, type TransformerParams } from '../../src/engine/transformer/model';

type Vec = Float64Array;

function layerNorm(x: Vec, g: ArrayLike<number>, b: ArrayLike<number>): Vec {
  const d = x.length;
  let mean = 0;
  for (const v of x) mean += v / d;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2 / d;
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) out[i] = ((x[i] - mean) / Math.sqrt(variance + LN_EPS)) * g[i] + b[i];
  return out;
}

/** y = x W (+ bias) with W [in][out] row-major. */
function affine(x: Vec, W: ArrayLike<number>, out: number, bias?: ArrayLike<number> | null): Vec {
  const y = new Float64Array(out);
  for (let j = 0; j < out; j++) {
    let s = bias ? bias[j] : 0;
    for (let i = 0; i < x.length; i++) s += x[i] * W[i * out + j];
    y[j] = s;
  }
  return y;
}

const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

/** Logits [B][T][vocab] of one batch, float64. */
export function referenceLogits(p: TransformerParams, tokens: Int32Array, B: number, T: number): Float64Array {
  const { dModel: d, heads: H, vocab: V, dMlp, layerNorm: ln } = p.shape;
  const dh = dHead(p.shape);
  const logits = new Float64Array(B * T * V);
  for (let b = 0; b < B; b++) {
    let x: Vec[] = Array.from({ length: T }, (_, t) => {
      const row = new Float64Array(d);
      for (let i = 0; i < d; i++) row[i] = p.E[tokens[b * T + t] * d + i] + p.P[t * d + i];
      return row;
    });
    for (const L of p.layers) {
      const a = x.map((r) => (ln ? layerNorm(r, L.ln1g!, L.ln1b!) : r));
      const q = a.map((r) => affine(r, L.Wq, d));
      const k = a.map((r) => affine(r, L.Wk, d));
      const v = a.map((r) => affine(r, L.Wv, d));
      const z = x.map(() => new Float64Array(d));
      for (let h = 0; h < H; h++) {
        for (let i = 0; i < T; i++) {
          const scores: number[] = [];
          for (let j = 0; j <= i; j++) {
            let s = 0;
            for (let c = h * dh; c < (h + 1) * dh; c++) s += q[i][c] * k[j][c];
            scores.push(s / Math.sqrt(dh));
          }
          const max = Math.max(...scores);
          const e = scores.map((s) => Math.exp(s - max));
          const sum = e.reduce((u, w) => u + w, 0);
          for (let j = 0; j <= i; j++) for (let c = h * dh; c < (h + 1) * dh; c++) z[i][c] += (e[j] / sum) * v[j][c];
        }
      }
      x = x.map((r, i) => {
        const out = affine(z[i], L.Wo, d);
        return r.map((val, c) => val + out[c]);
      });
      if (L.Win) {
        x = x.map((r) => {
          const bIn = ln ? layerNorm(r, L.ln2g!, L.ln2b!) : r;
          const hidden = affine(bIn, L.Win!, dMlp, L.bin).map(gelu);
          const out = affine(hidden, L.Wout!, d, L.bout);
          return r.map((val, c) => val + out[c]);
        });
      }
    }
    for (let t = 0; t < T; t++) {
      const f = ln ? layerNorm(x[t], p.lnfG!, p.lnfB!) : x[t];
      logits.set(affine(f, p.U, V), (b * T + t) * V);
    }
  }
  return logits;
}

/** Mean next-token cross-entropy over positions 0 … T−2, float64. */
export function referenceLoss(p: TransformerParams, tokens: Int32Array, B: number, T: number): number {
  const V = p.shape.vocab;
  const logits = referenceLogits(p, tokens, B, T);
  let total = 0;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T - 1; t++) {
      const row = logits.subarray((b * T + t) * V, (b * T + t + 1) * V);
      const max = Math.max(...row);
      let sum = 0;
      for (const l of row) sum += Math.exp(l - max);
      total += max + Math.log(sum) - row[tokens[b * T + t + 1]];
    }
  }
  return total / (B * (T - 1));
}

/**
 * Central finite differences of referenceLoss for a few entries of one named parameter. The parameters
 * are float32, so the loss is evaluated with the entry perturbed in a float64 copy of the model.
 */
export function finiteDifferences(p: TransformerParams, name: string, indices: number[], tokens: Int32Array, B: number, T: number, h = 1e-3): number[] {
  const param = namedParams(p).find((np) => np.name === name);
  if (!param) throw new Error(`no parameter ${name}`);
  return indices.map((i) => {
    const original = param.data[i];
    // a float32 array cannot hold x ± h exactly, so the actual step is measured after rounding
    param.data[i] = original + h;
    const up = param.data[i];
    const lossUp = referenceLoss(p, tokens, B, T);
    param.data[i] = original - h;
    const down = param.data[i];
    const lossDown = referenceLoss(p, tokens, B, T);
    param.data[i] = original;
    return (lossUp - lossDown) / (up - down);
  });
}
