/**
 * zod's issues rewritten for someone editing YAML: "required" instead of "expected string,
 * received undefined", one issue per unknown key (pointing at the key), did-you-mean for typos.
 */
import type { z } from 'zod';
import type { ValuePath } from './references';
import { didYouMean } from './suggest';

export interface SpecProblem {
  /** From the root of the spec. */
  readonly path: ValuePath;
  readonly message: string;
  /** Point at the key rather than the value (unknown fields, bad step ids). */
  readonly at: 'value' | 'key';
}

/** The value at `path` under `root`, or undefined. */
export function valueAt(root: unknown, path: ValuePath): unknown {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

/** A value as a message shows it: `'text'`, `5`, `a list`, `a mapping`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const typeNames: Record<string, string> = { object: 'a mapping', record: 'a mapping', array: 'a list', string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', null: 'nothing' };
const typeName = (expected: string): string => typeNames[expected] ?? expected;

type Issue = z.core.$ZodIssue;

function unionMessage(issue: Extract<Issue, { code: 'invalid_union' }>, value: unknown): string {
  const options = 'options' in issue && issue.options ? issue.options.map(String) : null;
  if (issue.discriminator !== undefined && options) {
    if (value === undefined) return `required: one of ${options.join(', ')}`;
    return `unknown ${issue.discriminator} ${describeValue(value)}${typeof value === 'string' ? didYouMean(value, options) : ''}; expected one of ${options.join(', ')}`;
  }
  // Every branch rejected the value's type: list what would have done.
  const expected = issue.errors.flatMap((branch) => branch.filter((inner) => inner.code === 'invalid_type' && inner.path.length === 0).map((inner) => typeName((inner as { expected: string }).expected)));
  if (expected.length === issue.errors.length && expected.length > 0) return `expected ${[...new Set(expected)].join(' or ')}, got ${describeValue(value)}`;
  return issue.message;
}

function sizeMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum);
  const strict = issue.inclusive === false;
  switch (issue.origin) {
    case 'array':
      return small ? `needs at least ${limit} item${limit === 1 ? '' : 's'}` : `takes at most ${limit} item${limit === 1 ? '' : 's'}`;
    case 'string':
      return small ? (limit === 1 ? 'must not be empty' : `needs at least ${limit} characters`) : `takes at most ${limit} characters`;
    default:
      return `must be ${small ? (strict ? 'more than' : 'at least') : strict ? 'less than' : 'at most'} ${limit}`;
  }
}

/**
 * zod issues from validating `root` (the value at `prefix` in the spec) as problems on spec paths.
 * `knownKeys(path)` lists the fields a mapping takes, for did-you-mean on unknown ones.
 */
export function problemsFromSchema(issues: readonly Issue[], root: unknown, prefix: ValuePath, knownKeys: (path: ValuePath) => readonly string[] = () => []): SpecProblem[] {
  return issues.flatMap((issue): SpecProblem[] => {
    const local = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    const path = [...prefix, ...local];
    const value = valueAt(root, local);
    switch (issue.code) {
      case 'invalid_type':
        return [{ path, at: 'value', message: value === undefined ? 'required' : `expected ${typeName(issue.expected)}, got ${describeValue(value)}` }];
      case 'invalid_value': {
        const options = issue.values.map(String);
        const hint = typeof value === 'string' ? didYouMean(value, options) : '';
        return [{ path, at: 'value', message: value === undefined ? `required: one of ${options.join(', ')}` : `expected ${options.length === 1 ? options[0] : `one of ${options.join(', ')}`}, got ${describeValue(value)}${hint}` }];
      }
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ path: [...path, key], at: 'key', message: `unknown field '${key}'${didYouMean(key, knownKeys(path))}` }));
      case 'invalid_union':
        return [{ path, at: 'value', message: unionMessage(issue, value) }];
      case 'invalid_key':
        return [{ path, at: 'key', message: `'${String(local[local.length - 1])}' is not a valid name: ${issue.issues.map((inner) => inner.message).join('; ')}` }];
      case 'too_small':
      case 'too_big':
        return [{ path, at: 'value', message: sizeMessage(issue) }];
      default:
        return [{ path, at: 'value', message: issue.message }];
    }
  });
}
