// The shipped facts model (public/rome-facts-model.json): the config it was trained with, its accuracy, and every
// parameter as float32 little-endian bytes in namedParams order, base64-encoded in one string. Works in Node and
// in the browser (no Buffer).

import { initParams, namedParams, type TransformerParams } from '../transformer/model';
import { factsShape, validateFactsConfig, type FactsModelConfig } from './factsModel';

export const MODEL_FILE_NAME = 'rome-facts-model.json';

export interface FactsModelFile {
  version: 1;
  kind: 'rome-facts-model';
  config: FactsModelConfig;
  engine: string;
  steps: number;
  trainSeconds: number;
  accuracy: { all: number; rewrite: number; paraphrase: number };
  /** base64 of the float32 parameters in namedParams order */
  params: string;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i], b = bytes[i + 1] ?? 0, c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[n & 63] : '=');
  }
  return out;
}

function fromBase64(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const n = [0, 1, 2, 3].map((k) => (i + k < clean.length ? B64.indexOf(clean[i + k]) : 0));
    if (n.some((x) => x < 0)) throw new Error('model file: bad base64');
    const v = (n[0] << 18) | (n[1] << 12) | (n[2] << 6) | n[3];
    if (o < out.length) out[o++] = (v >> 16) & 255;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

export function encodeModel(
  config: FactsModelConfig, params: TransformerParams, meta: Pick<FactsModelFile, 'engine' | 'steps' | 'trainSeconds' | 'accuracy'>,
): FactsModelFile {
  const all = namedParams(params);
  const n = all.reduce((s, p) => s + p.data.length, 0);
  const flat = new Float32Array(n);
  let at = 0;
  for (const p of all) flat.set(p.data, (at += p.data.length) - p.data.length);
  const bytes = new Uint8Array(flat.buffer);
  // float32 little-endian on every platform we run on; check once
  if (new Uint8Array(new Float32Array([1]).buffer)[3] !== 0x3f) throw new Error('model file: big-endian platform');
  return { version: 1, kind: 'rome-facts-model', config, ...meta, params: toBase64(bytes) };
}

export function decodeModel(file: unknown): { config: FactsModelConfig; params: TransformerParams; meta: FactsModelFile } {
  const f = file as FactsModelFile;
  if (!f || typeof f !== 'object' || f.version !== 1 || f.kind !== 'rome-facts-model' || typeof f.params !== 'string') {
    throw new Error('model file: not a version-1 rome-facts-model');
  }
  const checked = validateFactsConfig(f.config);
  if (!checked.ok) throw new Error(`model file: bad config: ${checked.errors.join('; ')}`);
  const params = initParams(factsShape(checked.config), 0);
  const bytes = fromBase64(f.params);
  const flat = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const all = namedParams(params);
  const n = all.reduce((s, p) => s + p.data.length, 0);
  if (flat.length !== n) throw new Error(`model file: ${flat.length} parameters, the config needs ${n}`);
  let at = 0;
  for (const p of all) {
    p.data.set(flat.subarray(at, at + p.data.length));
    at += p.data.length;
  }
  return { config: checked.config, params, meta: f };
}
