import { invalid, type WorkbenchError } from '../../../shared/errors';

/** Users number steps from 1, the way the pipeline editor lists them: "step 3 (scale)". */
export function stepLabel(index: number, op: string): string {
  return `step ${index + 1} (${op})`;
}

/** A mistake in the steps or the data: INVALID_ARGUMENT, so the UI shows it as the user's to fix. */
export function stepError(label: string, message: string): WorkbenchError {
  return invalid(`${label}: ${message}`);
}

/**
 * DuckDB's message without the "LINE 1: …" echo of the statement: that echo shows our generated
 * SQL (internal view names), which means nothing to the person who wrote the step.
 */
export function duckMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split(/\n\s*LINE \d+:/)[0] ?? text).trim();
}

/**
 * Errors DuckDB raises because of the data or an expression (a value that does not convert, a
 * column that does not bind) are the user's to fix; anything else (I/O, out of memory) is ours.
 */
export function isUserFacingDuckError(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /^(Conversion|Binder|Parser|Invalid Input|Out of Range|Catalog) Error/.test(text);
}

/** Wraps a DuckDB failure with where it happened, keeping user errors user errors. */
export function wrapDuckError(where: string, error: unknown): Error {
  const message = `${where}: ${duckMessage(error)}`;
  return isUserFacingDuckError(error) ? invalid(message) : new Error(message, { cause: error });
}

/** `"a", "b", "c"`, capped: a wide table's full column list would drown the message. */
export function quoteList(names: readonly string[], max = 30): string {
  const shown = names.slice(0, max).map((name) => JSON.stringify(name));
  const more = names.length > max ? `, … and ${names.length - max} more` : '';
  return `${shown.join(', ')}${more}`;
}
