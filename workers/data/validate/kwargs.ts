import type { ExpectationConfig } from '../../../shared/expectations';
import { isSuiteParameter, kwargsProblems } from '../../../shared/suite-format';
import { ExpectationError } from './context';

export type Kwargs = Readonly<Record<string, unknown>>;

/**
 * The kwargs an evaluator reads: suite parameters (`{"$PARAMETER": "name"}`) replaced by the suite's
 * `suite_parameters` values, then the shape checked with the same rules as suite import.
 */
export function effectiveKwargs(config: ExpectationConfig, parameters: Readonly<Record<string, unknown>>): Kwargs {
  const kwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config.kwargs)) {
    if (isSuiteParameter(value)) {
      const name = value.$PARAMETER;
      if (!Object.prototype.hasOwnProperty.call(parameters, name)) {
        const known = Object.keys(parameters);
        throw new ExpectationError(
          `kwargs.${key}: suite parameter "${name}" has no value (${known.length > 0 ? `suite_parameters: ${known.join(', ')}` : 'the suite has no suite_parameters'}); expressions over parameters are not supported`,
        );
      }
      kwargs[key] = parameters[name];
    } else {
      kwargs[key] = value;
    }
  }
  const problems = kwargsProblems(config.type, kwargs);
  if (problems.length > 0) throw new ExpectationError(problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '));
  const condition = kwargs.row_condition;
  if (typeof condition === 'string' && condition.trim() !== '') {
    throw new ExpectationError('kwargs.row_condition: row conditions are not supported; filter the dataset with a transform instead');
  }
  return kwargs;
}

/** `mostly`, default 1.0. */
export function readMostly(kwargs: Kwargs): number {
  const mostly = kwargs.mostly;
  return typeof mostly === 'number' ? mostly : 1;
}

export type Bound = number | string | null;

export function readBound(kwargs: Kwargs, key: 'min_value' | 'max_value'): Bound {
  const value = kwargs[key];
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

export const readFlag = (kwargs: Kwargs, key: string): boolean => kwargs[key] === true;

export const describe = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));
