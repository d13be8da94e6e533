// Settings of an induction-heads run (transformers.md §1.2), validated by the project's one field-table
// mechanism. The CLI's flags and --help are derived from INDUCTION_FIELDS.

import { validateFields, type FieldSpec, type ValidateOptions, type ValidationResult } from '../shared/fields';
import type { TransformerShape } from './model';
import { ENGINE_CHOICES, type EngineChoice } from '../shared/engines';

export const REPEAT_MODES = ['random', 'fixed'] as const;
export type RepeatMode = (typeof REPEAT_MODES)[number];

export const TRANSFORMER_ENGINES = ENGINE_CHOICES;
export type TransformerEngineChoice = EngineChoice;

export interface InductionConfig {
  layers: number;
  heads: number;
  dModel: number;
  /** content tokens; the model's vocabulary is this + 1 (BOS) */
  vocab: number;
  /** context length T of the training sequences */
  ctx: number;
  /** random: repeat length and offsets vary (§1.2); fixed: always [BOS, r, r, filler] (the positional pitfall) */
  repeat: RepeatMode;
  batch: number;
  lr: number;
  steps: number;
  seed: number;
  mlp: boolean;
  layerNorm: boolean;
  /** MLP hidden width; null (the default) means 4·dModel, and validation fills it in */
  dMlp: number | null;
  /** AdamW's decoupled weight decay (0 = Adam) */
  weightDecay: number;
  evalEvery: number;
  engine: TransformerEngineChoice;
}

export const DEFAULT_INDUCTION_CONFIG: Readonly<InductionConfig> = Object.freeze({
  layers: 2,
  heads: 2,
  dModel: 32,
  vocab: 64,
  ctx: 32,
  repeat: 'random',
  batch: 16,
  lr: 1e-2,
  steps: 2000,
  seed: 1,
  mlp: false,
  layerNorm: false,
  dMlp: null,
  weightDecay: 0,
  evalEvery: 50,
  engine: 'auto',
});

export const INDUCTION_FIELDS: readonly FieldSpec<InductionConfig>[] = [
  { key: 'layers', flag: 'layers', help: 'transformer layers (1 layer cannot form an induction circuit: the control)', type: { kind: 'int', min: 1, max: 3 } },
  { key: 'heads', flag: 'heads', help: 'attention heads per layer (must divide --d-model)', type: { kind: 'int', min: 1, max: 4 } },
  { key: 'dModel', flag: 'd-model', help: 'residual stream width', type: { kind: 'int', min: 8, max: 128 } },
  { key: 'vocab', flag: 'vocab', help: 'content tokens (the model adds one BOS token)', type: { kind: 'int', min: 4, max: 512 } },
  { key: 'ctx', flag: 'ctx', help: 'context length T; the eval form [BOS, r_1..r_L, r_1..r_L] uses L = min(15, ⌊(T−1)/2⌋)', type: { kind: 'int', min: 8, max: 128 } },
  { key: 'repeat', flag: 'repeat', help: 'random: one repeated segment of random length 4–15 at random offsets; fixed: always [BOS, r, r, filler] (a positional head suffices)', type: { kind: 'enum', values: REPEAT_MODES } },
  { key: 'batch', flag: 'batch', help: 'sequences per step (a fresh batch every step)', type: { kind: 'int', min: 1, max: 256 } },
  { key: 'lr', flag: 'lr', help: 'Adam learning rate', type: { kind: 'float', min: 0, max: 1, minExclusive: true } },
  { key: 'steps', flag: 'steps', help: 'optimiser steps', type: { kind: 'int', min: 1, max: 1_000_000 } },
  { key: 'seed', flag: 'seed', help: 'seed of the initial weights and the training batches (the eval set is fixed)', type: { kind: 'int', min: 0, max: 4_294_967_295 } },
  { key: 'mlp', flag: 'mlp', help: 'a GELU MLP after each attention block: on or off (--mlp alone turns it on)', type: { kind: 'bool' } },
  { key: 'layerNorm', flag: 'layer-norm', help: 'pre-LayerNorm before attention, MLP and unembedding: on or off (--layer-norm alone turns it on)', type: { kind: 'bool' } },
  { key: 'dMlp', flag: 'd-mlp', help: 'MLP hidden width (default 4 × d-model; used with --mlp on)', type: { kind: 'int', min: 1, max: 1024 }, nullable: true },
  { key: 'weightDecay', flag: 'weight-decay', help: 'AdamW decoupled weight decay (default 0: Adam)', type: { kind: 'float', min: 0, max: 1 } },
  { key: 'evalEvery', flag: 'eval-every', help: 'steps between evaluations on the fixed eval set (losses, head scores)', type: { kind: 'int', min: 1, max: 1_000_000 } },
  { key: 'engine', flag: 'engine', help: 'training engine: auto (the fastest available), fused (typed arrays + WebAssembly) or tfjs', type: { kind: 'enum', values: TRANSFORMER_ENGINES } },
];

/** The longest repeat that fits a context twice after BOS, capped at 15 (§1.2). */
export const MAX_REPEAT = 15;
export const MIN_REPEAT = 4;

/**
 * Length L of the canonical eval form [BOS, r_1..r_L, r_1..r_L]: 15 when T ≥ 31 (the reference's form),
 * otherwise the longest that fits, so every context from 8 up has an eval form (L ≥ 3).
 */
export function evalRepeatLength(ctx: number): number {
  return Math.min(MAX_REPEAT, Math.floor((ctx - 1) / 2));
}

/** The transformer's shape for a validated config (vocab + 1 for BOS). */
export function inductionShape(c: InductionConfig): TransformerShape {
  return {
    layers: c.layers,
    heads: c.heads,
    dModel: c.dModel,
    vocab: c.vocab + 1,
    ctx: c.ctx,
    mlp: c.mlp,
    dMlp: c.dMlp ?? 4 * c.dModel,
    layerNorm: c.layerNorm,
  };
}

function crossField(c: InductionConfig, name: (key: keyof InductionConfig & string) => string): string[] {
  const errors: string[] = [];
  if (c.dModel % c.heads !== 0) errors.push(`${name('heads')} (${c.heads}) must divide ${name('dModel')} (${c.dModel})`);
  return errors;
}

/** Validate an induction config (see validateFields); a missing or null dMlp becomes 4·dModel. */
export function validateInductionConfig(
  input: unknown,
  base: Readonly<InductionConfig> = DEFAULT_INDUCTION_CONFIG,
  opts: ValidateOptions = {},
): ValidationResult<InductionConfig> {
  const r = validateFields(INDUCTION_FIELDS, input, base, opts, crossField);
  if (!r.ok) return r;
  return { ok: true, config: { ...r.config, dMlp: r.config.dMlp ?? 4 * r.config.dModel }, errors: [] };
}
