/**
 * A step's params against its kind's schema (shared/pipeline-steps.ts), before any run: param
 * references are checked with the params' defaults in their place; a field that takes an
 * upstream output is only known at run time, so the schema's verdict on it waits until then.
 */
import type { ParamValue, StepKind } from '../../../../shared/pipelines';
import { stepParamSchemas } from '../../../../shared/pipeline-steps';
import { WorkbenchError } from '../../../../shared/errors';
import { parseGate } from '../../models/gate';
import { formatReference, scanReferences, type ValuePath } from './references';
import { problemsFromSchema, type SpecProblem } from './schema-issues';

interface Substituted {
  readonly value: unknown;
  /** Paths whose value depends on the run (step outputs, params without a default, broken references). */
  readonly deferred: ValuePath[];
  /** Path → which param default stands in for a reference, for messages. */
  readonly notes: Map<string, string>;
}

const pathKey = (path: ValuePath): string => JSON.stringify(path);

function substitute(value: unknown, declared: Readonly<Record<string, ParamValue>>, path: ValuePath, out: { deferred: ValuePath[]; notes: Map<string, string> }): unknown {
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, declared, [...path, index], out));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, declared, [...path, key], out)]));
  if (typeof value !== 'string') return value;
  const tokens = scanReferences(value);
  if (tokens.length === 0) return value;
  const knowable = tokens.every((token) => token.reference?.kind === 'param' && Object.hasOwn(declared, token.reference.name));
  if (!knowable) {
    out.deferred.push(path);
    return value;
  }
  const defaultOf = (index: number): ParamValue => {
    const reference = tokens[index]!.reference as { kind: 'param'; name: string };
    return declared[reference.name]!;
  };
  if (tokens.length === 1 && tokens[0]!.start === 0 && tokens[0]!.end === value.length) {
    const standIn = defaultOf(0);
    // No default: the param must be given per run, and only then can it be checked.
    if (standIn === null) out.deferred.push(path);
    else out.notes.set(pathKey(path), ` (${formatReference(tokens[0]!.reference!)} defaults to ${JSON.stringify(standIn)})`);
    return standIn;
  }
  let text = '';
  let at = 0;
  tokens.forEach((token, index) => {
    const standIn = defaultOf(index);
    text += value.slice(at, token.start) + (standIn === null ? '' : String(standIn));
    at = token.end;
  });
  return text + value.slice(at);
}

const startsWith = (path: ValuePath, prefix: ValuePath): boolean => prefix.length <= path.length && prefix.every((part, index) => path[index] === part);

/** Problems in `params` of a step of `kind`, on paths from the spec's root (`prefix` is the params' path). */
export function checkStepParams(kind: StepKind, params: Readonly<Record<string, unknown>>, declared: Readonly<Record<string, ParamValue>>, prefix: ValuePath): SpecProblem[] {
  const out = { deferred: [] as ValuePath[], notes: new Map<string, string>() };
  const value = substitute(params, declared, [], out);
  const substituted: Substituted = { value, ...out };
  const schema = stepParamSchemas[kind];
  const result = schema.safeParse(substituted.value);
  const problems: SpecProblem[] = [];
  if (!result.success) {
    const fields = Object.keys(schema.shape);
    for (const problem of problemsFromSchema(result.error.issues, substituted.value, prefix, (path) => (path.length === prefix.length ? fields : []))) {
      const local = problem.path.slice(prefix.length);
      if (substituted.deferred.some((deferred) => startsWith(local, deferred))) continue;
      const note = substituted.notes.get(pathKey(local));
      problems.push(note ? { ...problem, message: problem.message + note } : problem);
    }
  }
  // The gate's grammar is known now; a typo in it should not wait for a model to be trained.
  const failIf = kind === 'evaluate' ? params.fail_if : undefined;
  if (typeof failIf === 'string' && !failIf.includes('${{')) {
    try {
      parseGate(failIf);
    } catch (error) {
      if (!(error instanceof WorkbenchError)) throw error;
      problems.push({ path: [...prefix, 'fail_if'], at: 'value', message: error.message.replace(/^fail_if:\s*/, '') });
    }
  }
  return problems;
}

