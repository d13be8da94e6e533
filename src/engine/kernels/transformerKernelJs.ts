// The plain-JavaScript twin of transformerKernel.as.ts, for runtimes without WebAssembly SIMD: the
// same operations on the same memory layout (a growable ArrayBuffer), float64 arithmetic with float32
// storage. The kernel sums its matrix products in float32, so the two agree to float32 rounding.

import type { TransformerOps } from './transformerKernel';

const TRI_C_LOWER = 1;
const TRI_A_LOWER = 2;
const TRI_A_UPPER = 3;
const GELU_C = 0.7978845608028654; // √(2/π)
const GELU_A = 0.044715;

export class JsTransformerOps implements TransformerOps {
  f = new Float32Array(0);
  i = new Int32Array(0);
  /** one output row's float64 sums */
  private rowAcc = new Float64Array(64);

  grow(floats: number): void {
    if (floats <= this.f.length) return;
    const f = new Float32Array(floats);
    f.set(this.f);
    this.f = f;
    this.i = new Int32Array(f.buffer);
  }

  setScratch(): void {
    // strided B operands are read in place
  }

  gemm(
    M: number, N: number, K: number,
    a: number, aRow: number, aCol: number, aBatch: number,
    b: number, bRow: number, bCol: number, bBatch: number,
    c: number, cRow: number, cBatch: number,
    batch: number, accumulate: number, tri: number,
  ): void {
    const f = this.f;
    if (this.rowAcc.length < N) this.rowAcc = new Float64Array(N);
    const acc = this.rowAcc;
    for (let n = 0; n < batch; n++) {
      const a0 = a + n * aBatch, b0 = b + n * bBatch, c0 = c + n * cBatch;
      for (let i = 0; i < M; i++) {
        const k0 = tri === TRI_A_UPPER ? i : 0;
        const k1 = tri === TRI_A_LOWER ? Math.min(K, i + 1) : K;
        const jEnd = tri === TRI_C_LOWER ? Math.min(N, i + 1) : N;
        acc.fill(0, 0, jEnd);
        const ai = a0 + i * aRow;
        for (let k = k0; k < k1; k++) {
          const x = f[ai + k * aCol];
          const bk = b0 + k * bRow;
          if (bCol === 1) for (let j = 0; j < jEnd; j++) acc[j] += x * f[bk + j];
          else for (let j = 0; j < jEnd; j++) acc[j] += x * f[bk + j * bCol];
        }
        const ci = c0 + i * cRow;
        if (accumulate) for (let j = 0; j < jEnd; j++) f[ci + j] += acc[j];
        else for (let j = 0; j < jEnd; j++) f[ci + j] = acc[j];
      }
    }
  }

  embed(tokens: number, E: number, P: number, x: number, rows: number, T: number, d: number): void {
    const { f, i: iv } = this;
    for (let r = 0; r < rows; r++) {
      const e = E + iv[tokens + r] * d, p = P + (r % T) * d, o = x + r * d;
      for (let j = 0; j < d; j++) f[o + j] = f[e + j] + f[p + j];
    }
  }

  embedBackward(tokens: number, dx: number, gE: number, gP: number, rows: number, T: number, d: number): void {
    const { f, i: iv } = this;
    for (let r = 0; r < rows; r++) {
      const e = gE + iv[tokens + r] * d, p = gP + (r % T) * d, g = dx + r * d;
      for (let j = 0; j < d; j++) {
        f[e + j] += f[g + j];
        f[p + j] += f[g + j];
      }
    }
  }

  add(x: number, y: number, out: number, n: number): void {
    const f = this.f;
    for (let k = 0; k < n; k++) f[out + k] = f[x + k] + f[y + k];
  }

  addBias(x: number, bias: number, rows: number, n: number): void {
    const f = this.f;
    for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) f[x + r * n + j] += f[bias + j];
  }

  colSum(x: number, rows: number, n: number, out: number): void {
    const f = this.f;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += f[x + r * n + j];
      f[out + j] += s;
    }
  }

  layerNorm(x: number, y: number, g: number, b: number, stats: number, rows: number, d: number, eps: number): void {
    const f = this.f;
    for (let r = 0; r < rows; r++) {
      const px = x + r * d, py = y + r * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += f[px + j];
      const mean = s / d;
      let v = 0;
      for (let j = 0; j < d; j++) v += (f[px + j] - mean) ** 2;
      const rstd = 1 / Math.sqrt(v / d + eps);
      for (let j = 0; j < d; j++) f[py + j] = (f[px + j] - mean) * rstd * f[g + j] + f[b + j];
      f[stats + 2 * r] = mean;
      f[stats + 2 * r + 1] = rstd;
    }
  }

  layerNormBackward(dy: number, x: number, g: number, stats: number, dx: number, dg: number, db: number, rows: number, d: number): void {
    const f = this.f;
    for (let r = 0; r < rows; r++) {
      const px = x + r * d, pdy = dy + r * d, pdx = dx + r * d;
      const mean = f[stats + 2 * r], rstd = f[stats + 2 * r + 1];
      let sg = 0, sgx = 0;
      for (let j = 0; j < d; j++) {
        const gh = f[pdy + j] * f[g + j];
        sg += gh;
        sgx += gh * (f[px + j] - mean) * rstd;
      }
      sg /= d;
      sgx /= d;
      for (let j = 0; j < d; j++) {
        const gh = f[pdy + j] * f[g + j];
        const xh = (f[px + j] - mean) * rstd;
        f[pdx + j] += rstd * (gh - sg - xh * sgx);
      }
    }
    for (let j = 0; j < d; j++) {
      let sdg = 0, sdb = 0;
      for (let r = 0; r < rows; r++) {
        const v = f[dy + r * d + j];
        sdg += v * (f[x + r * d + j] - f[stats + 2 * r]) * f[stats + 2 * r + 1];
        sdb += v;
      }
      f[dg + j] += sdg;
      f[db + j] += sdb;
    }
  }

  causalSoftmax(s: number, count: number, T: number, scale: number): void {
    const f = this.f;
    for (let m = 0; m < count; m++) {
      for (let i = 0; i < T; i++) {
        const p = s + (m * T + i) * T;
        let mx = -Infinity;
        for (let j = 0; j <= i; j++) mx = Math.max(mx, f[p + j]);
        let sum = 0;
        for (let j = 0; j <= i; j++) {
          const e = Math.exp((f[p + j] - mx) * scale);
          f[p + j] = e;
          sum += e;
        }
        for (let j = 0; j <= i; j++) f[p + j] /= sum;
        for (let j = i + 1; j < T; j++) f[p + j] = 0;
      }
    }
  }

  causalSoftmaxBackward(a: number, da: number, count: number, T: number, scale: number): void {
    const f = this.f;
    for (let m = 0; m < count; m++) {
      for (let i = 0; i < T; i++) {
        const pa = a + (m * T + i) * T, pd = da + (m * T + i) * T;
        let dot = 0;
        for (let j = 0; j <= i; j++) dot += f[pa + j] * f[pd + j];
        for (let j = 0; j <= i; j++) f[pd + j] = scale * f[pa + j] * (f[pd + j] - dot);
        for (let j = i + 1; j < T; j++) f[pd + j] = 0;
      }
    }
  }

  gelu(x: number, y: number, n: number): void {
    const f = this.f;
    for (let k = 0; k < n; k++) {
      const v = f[x + k];
      f[y + k] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + GELU_A * v * v * v)));
    }
  }

  geluBackward(x: number, dy: number, dx: number, n: number): void {
    const f = this.f;
    for (let k = 0; k < n; k++) {
      const v = f[x + k];
      const t = Math.tanh(GELU_C * (v + GELU_A * v * v * v));
      f[dx + k] = f[dy + k] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * v * v));
    }
  }

  crossEntropy(logits: number, tokens: number, dlogits: number, rows: number, T: number, V: number, gradScale: number): number {
    const { f, i: iv } = this;
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const pl = logits + r * V, pd = dlogits + r * V;
      if (r % T === T - 1) {
        f.fill(0, pd, pd + V);
        continue;
      }
      let mx = -Infinity;
      for (let j = 0; j < V; j++) mx = Math.max(mx, f[pl + j]);
      let sum = 0;
      for (let j = 0; j < V; j++) sum += Math.exp(f[pl + j] - mx);
      const target = iv[tokens + r + 1];
      total += Math.log(sum) + mx - f[pl + target];
      for (let j = 0; j < V; j++) f[pd + j] = (Math.exp(f[pl + j] - mx) / sum) * gradScale;
      f[pd + target] -= gradScale;
    }
    return total;
  }

  adam(p: number, g: number, m: number, v: number, n: number, beta1: number, beta2: number, stepSize: number, sqrtBc2: number, eps: number, decay: number): void {
    const f = this.f;
    for (let k = 0; k < n; k++) {
      const gk = f[g + k];
      const mk = Math.fround(beta1 * f[m + k] + (1 - beta1) * gk);
      const vk = Math.fround(beta2 * f[v + k] + (1 - beta2) * gk * gk);
      f[m + k] = mk;
      f[v + k] = vk;
      f[p + k] = f[p + k] * decay - (stepSize * mk) / (Math.sqrt(vk) / sqrtBc2 + eps);
    }
  }
}
