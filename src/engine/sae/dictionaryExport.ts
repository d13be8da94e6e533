// The learned dictionary as files: decoder columns of one SAE instance as rows [L][d], in .npy and in the JSON
// form activationsFile.ts reads ({"shape": [L, d], "data": […]}), so an exported dictionary loads back as a
// truth file.

import { encodeNpy } from './npyWrite';

/** Decoder columns of instance k as rows: [L][dIn]. Wdec is [K][dIn][L]. */
export function dictionaryRows(p: { dIn: number; L: number; Wdec: ArrayLike<number> }, k: number): Float32Array {
  const { dIn: d, L } = p;
  const out = new Float32Array(L * d);
  for (let l = 0; l < L; l++) for (let j = 0; j < d; j++) out[l * d + j] = p.Wdec[(k * d + j) * L + l];
  return out;
}

export function dictionaryNpy(p: { dIn: number; L: number; Wdec: ArrayLike<number> }, k: number): Uint8Array {
  return encodeNpy(dictionaryRows(p, k), p.L, p.dIn);
}

export function dictionaryJson(p: { dIn: number; L: number; Wdec: ArrayLike<number> }, k: number): string {
  return JSON.stringify({ shape: [p.L, p.dIn], data: Array.from(dictionaryRows(p, k)) }) + '\n';
}
