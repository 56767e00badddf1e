import { invalid } from '../../../../shared/errors';
import { paramValueSchema, type ParamValue } from '../../../../shared/pipelines';
import { didYouMean } from './suggest';

/**
 * A run's params: the spec's defaults with the run's overrides (`--param epochs=50`, the trigger
 * form). Overrides typed as text take the type of the default they replace (`"50"` → 50 where the
 * default is a number, `"true"` → true where it is a boolean), so `${{ params.epochs }}` still
 * gives the train step a number. A param without a default (null) takes the override as given.
 */
export function runParams(defaults: Readonly<Record<string, ParamValue>>, overrides: Readonly<Record<string, unknown>> = {}): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = { ...defaults };
  const names = Object.keys(defaults);
  for (const [name, given] of Object.entries(overrides)) {
    if (!Object.hasOwn(defaults, name)) {
      throw invalid(`'${name}' is not a param of this pipeline${didYouMean(name, names)}; it has ${names.length > 0 ? names.join(', ') : 'none'}.`);
    }
    params[name] = coerce(name, given, defaults[name]!);
  }
  return params;
}

function coerce(name: string, given: unknown, fallback: ParamValue): ParamValue {
  const parsed = paramValueSchema.safeParse(given);
  if (!parsed.success) throw invalid(`params.${name} must be text, a number, true/false or null, got ${JSON.stringify(given)}.`);
  const value = parsed.data;
  if (value === null || fallback === null || typeof value === typeof fallback) return value;
  if (typeof value === 'string' && typeof fallback === 'number') {
    const number = Number(value.trim());
    if (value.trim() !== '' && Number.isFinite(number)) return number;
    throw invalid(`params.${name} takes a number (default ${fallback}), got '${value}'.`);
  }
  if (typeof value === 'string' && typeof fallback === 'boolean') {
    if (/^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
    throw invalid(`params.${name} takes true or false (default ${fallback}), got '${value}'.`);
  }
  // A number or boolean given for a text param reads as its text (`--param tag=3` from a form).
  if (typeof fallback === 'string') return String(value);
  throw invalid(`params.${name} takes ${typeof fallback === 'number' ? 'a number' : 'true or false'} (default ${fallback}), got ${JSON.stringify(value)}.`);
}
