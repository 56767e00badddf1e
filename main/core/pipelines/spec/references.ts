/**
 * `${{ params.<name> }}` and `${{ steps.<step>.outputs.<name> }}` inside step params (GitHub
 * Actions' expression brackets, so the syntax is familiar and never clashes with a shell's `${x}`).
 * Only these two forms exist: a pipeline is data, not a program.
 */
import { invalid } from '../../../../shared/errors';
import type { ParamValue } from '../../../../shared/pipelines';

export type Reference = { readonly kind: 'param'; readonly name: string } | { readonly kind: 'step'; readonly step: string; readonly output: string };

/** One `${{ … }}` in a string: what it refers to, or why it cannot be read. */
export interface ReferenceToken {
  /** Offsets into the string, `end` exclusive. */
  readonly start: number;
  readonly end: number;
  readonly raw: string;
  readonly reference: Reference | null;
  readonly error: string | null;
}

const name = '[A-Za-z_][\\w-]*';
const paramExpression = new RegExp(`^params\\.(${name})$`);
const stepExpression = new RegExp(`^steps\\.(${name})\\.outputs\\.(${name})$`);
const usage = 'write ${{ params.<name> }} or ${{ steps.<step>.outputs.<name> }}';

function readExpression(inner: string): Reference | string {
  const expression = inner.trim();
  if (expression === '') return `an empty \${{ }}: ${usage}`;
  const param = paramExpression.exec(expression);
  if (param) return { kind: 'param', name: param[1]! };
  const step = stepExpression.exec(expression);
  if (step) return { kind: 'step', step: step[1]!, output: step[2]! };
  const parts = expression.split('.');
  if (parts[0] === 'steps' && parts.length === 4 && parts[2] !== 'outputs') return `'${expression}' is not a reference: a step's values are under outputs (steps.${parts[1]}.outputs.${parts[3]})`;
  return `'${expression}' is not a reference: ${usage}`;
}

/** Every `${{ … }}` in `text`, in order. */
export function scanReferences(text: string): ReferenceToken[] {
  const tokens: ReferenceToken[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${{', from);
    if (start === -1) return tokens;
    const close = text.indexOf('}}', start + 3);
    const nested = text.indexOf('${{', start + 3);
    if (close === -1 || (nested !== -1 && nested < close)) {
      const end = nested === -1 ? text.length : nested;
      tokens.push({ start, end, raw: text.slice(start, end), reference: null, error: `'${text.slice(start, end).trim()}' is not closed: end the reference with }}` });
      if (nested === -1) return tokens;
      from = nested;
      continue;
    }
    const end = close + 2;
    const read = readExpression(text.slice(start + 3, close));
    tokens.push(typeof read === 'string' ? { start, end, raw: text.slice(start, end), reference: null, error: read } : { start, end, raw: text.slice(start, end), reference: read, error: null });
    from = end;
  }
}

/** `${{ params.x }}` / `${{ steps.s.outputs.o }}` as written canonically, for messages. */
export function formatReference(reference: Reference): string {
  return reference.kind === 'param' ? `\${{ params.${reference.name} }}` : `\${{ steps.${reference.step}.outputs.${reference.output} }}`;
}

export type ValuePath = ReadonlyArray<string | number>;

/** Every string (not key) in a JSON-like value that holds `${{`, with its path below `value`. */
export function stringsWithReferences(value: unknown, path: ValuePath = []): Array<{ path: ValuePath; text: string; tokens: ReferenceToken[] }> {
  if (typeof value === 'string') {
    const tokens = scanReferences(value);
    return tokens.length === 0 ? [] : [{ path, text: value, tokens }];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsWithReferences(item, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringsWithReferences(item, [...path, key]));
  return [];
}

export interface ReferenceContext {
  /** The DAG run's params: the spec's defaults with the run's overrides. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** What each finished upstream step produced. */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The step whose params these are, for messages. */
  readonly step?: string;
}

export function formatValuePath(path: ValuePath): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? part : `${text}.${part}`), '');
}

function lookUp(reference: Reference, context: ReferenceContext, where: string): ParamValue {
  if (reference.kind === 'param') {
    if (!Object.hasOwn(context.params, reference.name)) {
      const known = Object.keys(context.params);
      throw invalid(`${where}: ${formatReference(reference)}: the run has no param '${reference.name}' (it has ${known.length > 0 ? known.join(', ') : 'none'}).`);
    }
    return context.params[reference.name]!;
  }
  const produced = Object.hasOwn(context.outputs, reference.step) ? context.outputs[reference.step]! : undefined;
  if (produced === undefined) throw invalid(`${where}: ${formatReference(reference)}: steps.${reference.step} has no outputs in this run (it did not succeed).`);
  if (!Object.hasOwn(produced, reference.output)) {
    const names = Object.keys(produced);
    throw invalid(`${where}: ${formatReference(reference)}: steps.${reference.step} did not produce '${reference.output}' (it produced ${names.length > 0 ? names.join(', ') : 'no outputs'}).`);
  }
  return produced[reference.output]!;
}

function resolveString(text: string, context: ReferenceContext, path: ValuePath): unknown {
  const tokens = scanReferences(text);
  if (tokens.length === 0) return text;
  const where = [context.step === undefined ? '' : `steps.${context.step}.params`, formatValuePath(path)].filter(Boolean).join('.') || 'value';
  const broken = tokens.find((token) => token.error !== null);
  if (broken) throw invalid(`${where}: ${broken.error}.`);
  // A string that is one reference and nothing else takes the value as it is, so
  // `epochs: ${{ params.epochs }}` stays a number.
  if (tokens.length === 1 && tokens[0]!.start === 0 && tokens[0]!.end === text.length) return lookUp(tokens[0]!.reference!, context, where);
  let result = '';
  let at = 0;
  for (const token of tokens) {
    const value = lookUp(token.reference!, context, where);
    // null reads as empty inside text, as in GitHub Actions.
    result += text.slice(at, token.start) + (value === null ? '' : String(value));
    at = token.end;
  }
  return result + text.slice(at);
}

function resolveValue(value: unknown, context: ReferenceContext, path: ValuePath): unknown {
  if (typeof value === 'string') return resolveString(value, context, path);
  if (Array.isArray(value)) return value.map((item, index) => resolveValue(item, context, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveValue(item, context, [...path, key])]));
  return value;
}

/**
 * A step's params with every reference replaced by its value: params from the run, outputs from
 * the upstream steps that finished. Strings only (keys stay as written); the input is not changed.
 * Throws INVALID_ARGUMENT naming the field and the reference when a value is missing.
 */
export function resolveReferences(value: Readonly<Record<string, unknown>>, context: ReferenceContext): Record<string, unknown>;
export function resolveReferences(value: unknown, context: ReferenceContext): unknown;
export function resolveReferences(value: unknown, context: ReferenceContext): unknown {
  return resolveValue(value, context, []);
}
