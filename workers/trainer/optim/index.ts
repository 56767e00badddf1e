/** Optimizers as graph updates over the flat θ, gradient clipping, and learning-rate schedules. */
export { type OptimizerConfig, type OptimizerKind, type ResolvedOptimizer, type UpdateInputs, type UpdateResult, clipGradNorm, initialOptimizerState, optimizerStateNames, optimizerUpdate, resolveOptimizer } from './optimizers';
export { type ScheduleConfig, type SchedulePlan, learningRateAt, learningRates, validateSchedule } from './schedule';
