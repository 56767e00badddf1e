/** The built-in backward rules, by ONNX op type. */
import type { RuleTable } from '../rule';
import { mathRules } from './math';
import { nnRules } from './nn';
import { shapeRules } from './shape';

export const BUILTIN_RULES: RuleTable = { ...mathRules, ...shapeRules, ...nnRules };
