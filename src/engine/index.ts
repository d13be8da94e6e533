// The engine's public face for the toy models: what the worker, the CLI, the benches and the tests
// import. Other domains (sae/, views/, transformer/) are imported from their own folders.

export * from './shared/engines';
export { createRng } from './shared/rng';
export type { Rng } from './shared/rng';
export { initBackend } from './shared/backend';
export type { BackendChoice } from './shared/backend';

export * from './toy/config';
export * from './toy/metrics';
export * from './toy/snapshot';
export type { Trainer } from './toy/trainer';
export { createTrainer } from './toy/createTrainer';
