// Settings of a "Monitor & ablate" run (issue 14): the base model, the target, the SAE trained on the
// base's hidden activations. Validated by the one validator (shared/fields.ts), so the CLI's flags, its
// --help, the tab's URL keys (mon.…) and its form share this table.

import { validateFields, type FieldSpec, type ValidateOptions, type ValidationResult } from '../shared/fields';
import type { LabConfig, ModelKind } from '../toy/config';

export const MONITOR_BASES = ['toy', 'induction', 'lab'] as const;
export type MonitorBase = (typeof MONITOR_BASES)[number];

export interface MonitorConfig {
  /** toy: the privileged-basis model h = ReLU(Wx), x′ = ReLU(Wᵀh + b); induction: the induction-heads transformer; lab: the live lab's current model (the tab only) */
  base: MonitorBase;
  n: number;
  m: number;
  /** probability that a feature is zero */
  sparsity: number;
  /** importance of feature i is r^i */
  importanceDecay: number;
  /** the feature to detect and ablate; null = every feature in turn */
  target: number | null;
  /** SAE latents (dictionary size) */
  saeLatents: number;
  /** SAE L1 coefficient λ */
  l1: number;
  seed: number;
  /** training steps of the base; null = the base's default (toy 10 000, induction 2000) */
  steps: number | null;
  /** optimiser steps of the SAE (Adam, batch 1024, resampling dead latents) */
  saeSteps: number;
}

export const DEFAULT_MONITOR_CONFIG: Readonly<MonitorConfig> = Object.freeze({
  base: 'toy',
  n: 10,
  m: 5,
  // sparse enough that no neuron is monosemantic (seed 1: max|w|/Σ|w| 0.26–0.45 per neuron, top w² share ≤ 0.79
  // where the lab's neuron view says "monosemantic" at 0.9; at S = 0.92 one neuron still reaches 0.92) while
  // eight of the ten features are represented
  sparsity: 0.95,
  importanceDecay: 0.75,
  target: null,
  saeLatents: 20,
  l1: 0.03,
  seed: 1,
  steps: null,
  saeSteps: 10_000,
});

export const MONITOR_FIELDS: readonly FieldSpec<MonitorConfig>[] = [
  { key: 'base', flag: 'base', help: 'toy: the privileged-basis model h = ReLU(Wx), x′ = ReLU(Wᵀh + b); induction: the induction-heads transformer (target: in-context copying); lab: the live lab\'s current model (in the tab)', type: { kind: 'enum', values: MONITOR_BASES } },
  { key: 'n', flag: 'n', help: 'toy base: number of features', type: { kind: 'int', min: 2, max: 64 } },
  { key: 'm', flag: 'm', help: 'toy base: hidden neurons', type: { kind: 'int', min: 1, max: 32 } },
  { key: 'sparsity', flag: 'sparsity', help: 'toy base: probability S that a feature is zero', type: { kind: 'float', min: 0, max: 1, maxExclusive: true } },
  { key: 'importanceDecay', flag: 'importance-decay', help: 'toy base: importance of feature i is r^i', type: { kind: 'float', min: 0, max: 1, minExclusive: true } },
  { key: 'target', flag: 'target', help: 'toy base: the feature to detect and ablate (default: every feature in turn)', type: { kind: 'int', min: 0, max: 63 }, nullable: true },
  { key: 'saeLatents', flag: 'sae-latents', help: 'toy base: latents of the SAE trained on the hidden activations', type: { kind: 'int', min: 1, max: 256 } },
  { key: 'l1', flag: 'l1', help: 'toy base: the SAE\'s L1 coefficient λ', type: { kind: 'float', min: 0, max: 100 } },
  { key: 'seed', flag: 'seed', help: 'random seed of the base, the SAE, the probe and the evaluation inputs', type: { kind: 'int', min: 0, max: 4_294_967_295 } },
  { key: 'steps', flag: 'steps', help: 'training steps of the base (default: toy 10000 AdamW steps of batch 1024, induction 2000)', type: { kind: 'int', min: 1, max: 1_000_000 }, nullable: true },
  { key: 'saeSteps', flag: 'sae-steps', help: 'toy base: SAE training steps (Adam, batch 1024, dead latents resampled)', type: { kind: 'int', min: 1, max: 1_000_000 } },
];

function crossField(c: MonitorConfig, naming: ValidateOptions['naming']): string[] {
  const name = (key: keyof MonitorConfig & string) => (naming === 'flag' ? `--${MONITOR_FIELDS.find((f) => f.key === key)!.flag}` : key);
  const errors: string[] = [];
  if (c.base === 'toy' && c.target !== null && c.target >= c.n) errors.push(`${name('target')} must be a feature index below ${name('n')} (${c.n}); got ${c.target}`);
  if (c.base === 'toy' && c.m >= c.n) errors.push(`${name('m')} (${c.m}) must be below ${name('n')} (${c.n}): with as many neurons as features there is no superposition to monitor`);
  return errors;
}

export function validateMonitorConfig(input: unknown, base: Readonly<MonitorConfig> = DEFAULT_MONITOR_CONFIG, opts: ValidateOptions = {}): ValidationResult<MonitorConfig> {
  return validateFields(MONITOR_FIELDS, input, base, opts, (c) => crossField(c, opts.naming));
}

export const TOY_BASE_STEPS = 10_000;
export const INDUCTION_BASE_STEPS = 2000;

/** The base's training steps for a validated config. */
export function baseSteps(c: Pick<MonitorConfig, 'base' | 'steps'>): number {
  return c.steps ?? (c.base === 'toy' ? TOY_BASE_STEPS : INDUCTION_BASE_STEPS);
}

/** The live lab's models the monitor can read: those whose hidden layer is h = Wx or ReLU(Wx) with tied weights. */
export const GIVEN_MODELS: readonly ModelKind[] = ['relu-output', 'linear', 'relu-hidden-tied'];

/** A trained toy model handed in (the live lab's current one): its config, which instance, and that instance's W (m×n) and b. */
export interface GivenToyBase {
  lab: LabConfig;
  instance: number;
  W: Float32Array;
  b: Float32Array;
}

/** Why a given model cannot be a base (null if it can). */
export function givenBaseError(g: GivenToyBase | null | undefined): string | null {
  if (!g) return 'the live lab has no model yet: let it train for a moment, then pick it again';
  if (!GIVEN_MODELS.includes(g.lab.model)) return `the live lab's ${g.lab.model} model computes |x| with untied weights; pick relu-output, linear or relu-hidden-tied there`;
  if (g.W.length !== g.lab.m * g.lab.n || g.b.length !== g.lab.n) return 'the live lab\'s weights do not match its config';
  return null;
}
