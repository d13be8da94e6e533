// The names every domain uses for its training engines and TF.js backends, defined once.

/** tfjs: autodiff on TF.js, the readable reference; fused: hand-derived passes over typed arrays (+ wasm SIMD) */
export const ENGINE_NAMES = ['tfjs', 'fused'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** 'auto' lets each domain pick the engine it estimates to be faster */
export const ENGINE_CHOICES = ['auto', ...ENGINE_NAMES] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];

/** TF.js backends the lab can run on; webgl only where a browser offers it */
export const BACKEND_NAMES = ['wasm', 'cpu', 'webgl'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** the backends a user may ask for (CLI flag, URL), in the order tried */
export const SELECTABLE_BACKENDS = ['wasm', 'cpu'] as const satisfies readonly BackendName[];
export type SelectableBackend = (typeof SELECTABLE_BACKENDS)[number];

export function isEngineChoice(x: unknown): x is EngineChoice {
  return typeof x === 'string' && (ENGINE_CHOICES as readonly string[]).includes(x);
}

export function isSelectableBackend(x: unknown): x is SelectableBackend {
  return typeof x === 'string' && (SELECTABLE_BACKENDS as readonly string[]).includes(x);
}
