/** Reverse-mode differentiation of GraphBuilder graphs. */
export { gradients, type GradientOptions } from './gradients';
export { BUILTIN_RULES } from './rules/index';
export { type BackwardRule, type Contribution, type RuleContext, type RuleTable, type SlicePiece } from './rule';
export { unbroadcast } from './reduce-grad';
