/** The training loop: `train(config, data, callbacks, options)` and what it takes and returns. */
export { NonFiniteLossError, train } from './train';
export { DEFAULT_PROVIDERS, type ResolvedTrainConfig, resolveMonitor, resolveTrainConfig } from './config';
export { type EpochPlan, epochPermutation, epochPlan, holdOutRows } from './data';
export { SessionFactory } from './session';
export * from './types';
