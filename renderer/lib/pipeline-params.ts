import { parse } from 'yaml';
import type { ParamValue } from '../../shared/pipelines';

/**
 * The trigger form's params: read from the spec text (`params:` with their defaults), shown as
 * typed inputs (a number field for a number default, a checkbox for a boolean, text otherwise),
 * and sent as overrides only where the value differs from the default.
 */
export type ParamType = 'string' | 'number' | 'boolean' | 'null';

export interface ParamField {
  readonly name: string;
  readonly type: ParamType;
  readonly defaultValue: ParamValue;
}

const typeOf = (value: ParamValue): ParamType => (value === null ? 'null' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string');

/** The spec's params in file order; an unreadable spec (it was checked when stored, so rarely) has none. */
export function paramFields(specText: string): ParamField[] {
  let document: unknown;
  try {
    document = parse(specText);
  } catch {
    return [];
  }
  const params = document !== null && typeof document === 'object' ? (document as { params?: unknown }).params : undefined;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return [];
  return Object.entries(params as Record<string, unknown>).flatMap(([name, value]): ParamField[] => {
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) return [];
    return [{ name, type: typeOf(value as ParamValue), defaultValue: value as ParamValue }];
  });
}

/** What an input shows for a value: text for text fields, `true`/`false` for checkboxes. */
export function inputText(value: ParamValue): string {
  return value === null ? '' : String(value);
}

/**
 * A typed input's text as the param's value, or why it is not one. A param without a default
 * (`null`) takes whatever is typed: a number when it reads as one, as `--param k=v` does.
 */
export function readParam(field: ParamField, text: string): { value: ParamValue } | { error: string } {
  switch (field.type) {
    case 'number': {
      const trimmed = text.trim();
      const value = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(value)) return { error: `${field.name} takes a number, like ${inputText(field.defaultValue)}.` };
      return { value };
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return { value: text === 'true' };
      return { error: `${field.name} is true or false.` };
    case 'null': {
      const trimmed = text.trim();
      if (trimmed === '') return { value: null };
      const number = Number(trimmed);
      return { value: Number.isFinite(number) && /^-?\d/.test(trimmed) ? number : text };
    }
    default:
      return { value: text };
  }
}

/** The overrides to send: only values that differ from their defaults (so the run records what was chosen). */
export function paramOverrides(fields: readonly ParamField[], texts: Readonly<Record<string, string>>): { overrides: Record<string, ParamValue>; errors: Record<string, string> } {
  const overrides: Record<string, ParamValue> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const text = texts[field.name];
    if (text === undefined) continue;
    const read = readParam(field, text);
    if ('error' in read) errors[field.name] = read.error;
    else if (read.value !== field.defaultValue) overrides[field.name] = read.value;
  }
  return { overrides, errors };
}

/** A run's params for a table cell: `lr=0.01, epochs=20`. */
export function formatParams(params: Readonly<Record<string, ParamValue>>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${value === null ? '∅' : String(value)}`)
    .join(', ');
}
