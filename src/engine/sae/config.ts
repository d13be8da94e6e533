// Settings of a sparse autoencoder run, validated by the same mechanism as the toy-model config.

import { validateFields, type FieldSpec, type ValidateOptions, type ValidationResult } from '../shared/fields';

export const SAE_DATA = ['toy', 'sharkey', 'file'] as const;
export type SaeData = (typeof SAE_DATA)[number];

export interface SaeConfig {
  /** where the activations come from: a trained toy model's hidden layer, Sharkey et al.'s synthetic data, or a file (activationsFile.ts) */
  data: SaeData;
  /** number of latents (dictionary size) */
  dictSize: number;
  /** L1 coefficient λ */
  l1: number;
  /** [first, last] λ across SAE instances, log-spaced; null = the same λ for all */
  l1Range: [number, number] | null;
  saeInstances: number;
  saeSteps: number;
  saeBatch: number;
  saeLr: number;
  saeSeed: number;
  /** re-initialise dead latents from badly reconstructed inputs */
  resample: boolean;
  resampleEvery: number;
  /** a latent is dead when it has not fired for this many steps */
  deadWindow: number;
  /** new encoder rows get this × the mean norm of the alive ones */
  resampleScale: number;
  /** Sharkey data: activation dimension, number of ground-truth features, mean active features */
  sharkeyDim: number;
  sharkeyFeatures: number;
  sharkeyActive: number;
}

export const DEFAULT_SAE_CONFIG: Readonly<SaeConfig> = Object.freeze({
  data: 'toy',
  dictSize: 5,
  l1: 0.2,
  l1Range: null,
  saeInstances: 8,
  saeSteps: 10_000,
  saeBatch: 1024,
  saeLr: 1e-3,
  saeSeed: 0,
  resample: true,
  resampleEvery: 2500,
  deadWindow: 500,
  resampleScale: 0.5,
  sharkeyDim: 32,
  sharkeyFeatures: 64,
  sharkeyActive: 5,
});

export const SAE_FIELDS: readonly FieldSpec<SaeConfig>[] = [
  { key: 'data', flag: 'data', help: 'toy: hidden activations h = Wx of the toy model trained first; sharkey: ground-truth features in a larger space (Sharkey et al.); file:acts.npy (or .json): your own activations, 2-D float32/float64', type: { kind: 'enum', values: SAE_DATA } },
  { key: 'dictSize', flag: 'dict-size', help: 'SAE latents (dictionary size)', type: { kind: 'int', min: 1, max: 16_384 } },
  { key: 'l1', flag: 'l1', help: 'L1 coefficient λ on the latent activations', type: { kind: 'float', min: 0, max: 1000 } },
  { key: 'l1Range', flag: 'l1-range', help: 'a:b spreads λ over the SAE instances, log-spaced (a, b > 0)', type: { kind: 'range', min: 0, max: 1000, maxExclusive: false, items: 'λ values' }, nullable: true },
  { key: 'saeInstances', flag: 'sae-instances', help: 'SAEs trained side by side on the same activations', type: { kind: 'int', min: 1, max: 64 } },
  { key: 'saeSteps', flag: 'sae-steps', help: 'SAE optimiser steps (Adam)', type: { kind: 'int', min: 1, max: 10_000_000 } },
  { key: 'saeBatch', flag: 'sae-batch', help: 'activations per SAE step', type: { kind: 'int', min: 1, max: 65_536 } },
  { key: 'saeLr', flag: 'sae-lr', help: 'SAE Adam learning rate', type: { kind: 'float', min: 0, max: 1, minExclusive: true } },
  { key: 'saeSeed', flag: 'sae-seed', help: 'seed of the SAE init, its data stream and the Sharkey features', type: { kind: 'int', min: 0, max: 4_294_967_295 } },
  { key: 'resample', flag: 'resample', help: 'resample dead latents: on or off', type: { kind: 'bool' } },
  { key: 'resampleEvery', flag: 'resample-every', help: 'steps between resampling checks', type: { kind: 'int', min: 10, max: 1_000_000 } },
  { key: 'deadWindow', flag: 'dead-window', help: 'a latent silent for this many steps is dead', type: { kind: 'int', min: 1, max: 1_000_000 } },
  { key: 'resampleScale', flag: 'resample-scale', help: 'resampled encoder rows get this × the mean alive encoder norm', type: { kind: 'float', min: 0, max: 10, minExclusive: true } },
  { key: 'sharkeyDim', flag: 'sharkey-dim', help: 'Sharkey data: activation dimension d (paper: 256)', type: { kind: 'int', min: 2, max: 1024 } },
  { key: 'sharkeyFeatures', flag: 'sharkey-features', help: 'Sharkey data: ground-truth features G (paper: 512)', type: { kind: 'int', min: 2, max: 4096 } },
  { key: 'sharkeyActive', flag: 'sharkey-active', help: 'Sharkey data: mean number of active features (paper: 5)', type: { kind: 'float', min: 0, max: 64, minExclusive: true } },
];

/** Elements of the largest SAE tensor we allow (instances × batch × latents). */
const MAX_SAE_ELEMENTS = 1 << 25;

function saeCrossField(c: SaeConfig, name: (key: keyof SaeConfig & string) => string = (k) => k): string[] {
  const errors: string[] = [];
  if (c.l1Range && (c.l1Range[0] <= 0 || c.l1Range[1] <= 0)) errors.push(`${name('l1Range')} must be two positive numbers (they are log-spaced); got ${c.l1Range.join(':')}`);
  if (c.deadWindow > c.resampleEvery && c.resample) errors.push(`${name('deadWindow')} (${c.deadWindow}) must not exceed ${name('resampleEvery')} (${c.resampleEvery})`);
  if (c.data === 'sharkey' && c.sharkeyActive > c.sharkeyFeatures) errors.push(`${name('sharkeyActive')} (${c.sharkeyActive}) cannot exceed ${name('sharkeyFeatures')} (${c.sharkeyFeatures})`);
  const elems = c.saeInstances * c.saeBatch * c.dictSize;
  if (elems > MAX_SAE_ELEMENTS) errors.push(`${name('saeInstances')} × ${name('saeBatch')} × ${name('dictSize')} is ${elems}; the largest allowed is ${MAX_SAE_ELEMENTS}`);
  return errors;
}

export function validateSaeConfig(input: unknown, base: Readonly<SaeConfig> = DEFAULT_SAE_CONFIG, opts: ValidateOptions = {}): ValidationResult<SaeConfig> {
  return validateFields(SAE_FIELDS, input, base, opts, saeCrossField);
}

/** λ of each SAE instance. */
export function instanceL1(c: Pick<SaeConfig, 'saeInstances' | 'l1' | 'l1Range'>): number[] {
  const K = c.saeInstances;
  if (!c.l1Range) return Array.from({ length: K }, () => c.l1);
  const [a, b] = c.l1Range;
  return Array.from({ length: K }, (_, k) => a * Math.pow(b / a, K === 1 ? 0 : k / (K - 1)));
}
