/** The built-in backward rules, by ONNX op type. */
import type { RuleTable } from '../rule';
import { convRules } from './conv';
import { mathRules } from './math';
import { nnRules } from './nn';
import { shapeRules } from './shape';

export const BUILTIN_RULES: RuleTable = { ...mathRules, ...shapeRules, ...nnRules, ...convRules };
