import { WorkbenchError } from '../../../shared/errors';

/**
 * The runs search grammar (MLFLOW.md §3 plus `or`, `not`, parentheses, `in`, `is null`):
 *
 *   expr       := andExpr ('or' andExpr)*
 *   andExpr    := unary ('and' unary)*
 *   unary      := 'not' unary | '(' expr ')' | comparison
 *   comparison := field op value | field 'is' ['not'] 'null'
 *               | field ['not'] 'in' '(' value (',' value)* ')' | field ['not'] ('like'|'ilike') string
 *
 * Every semantic check that can name a position (metric against a string, LIKE on a metric,
 * unknown attribute) happens here, so the SQL compiler never has to report a column.
 */

/** Run columns a filter or sort can name; aliases are folded into these at parse time. */
export type AttributeName =
  | 'run_id' | 'run_name' | 'status' | 'start_time' | 'end_time' | 'duration' | 'experiment_id' | 'parent_run_id'
  /** Who started the run, as MLflow clients record it (the `mlflow.user` tag). */
  | 'user_id'
  /** The run's `mlflow-artifacts:/<experiment>/<run>/artifacts` URI (what the MLflow server hands out). */
  | 'artifact_uri';

/** What a condition or sort key reads: a keyed metric/param/tag, or a run column. */
export type Field =
  | { readonly entity: 'metric' | 'param' | 'tag'; readonly key: string }
  | { readonly entity: 'attribute'; readonly key: AttributeName };

/** `<>` is folded into `!=`. */
export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type FilterValue = string | number;

/** The parsed filter. `and`/`or` are n-ary with at least two operands. */
export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly operands: readonly FilterNode[] }
  | { readonly kind: 'not'; readonly operand: FilterNode }
  | { readonly kind: 'compare'; readonly field: Field; readonly operator: ComparisonOperator; readonly value: FilterValue }
  | { readonly kind: 'in'; readonly field: Field; readonly negated: boolean; readonly values: readonly FilterValue[] }
  /** `is null` (negated: false) / `is not null` (negated: true). */
  | { readonly kind: 'null'; readonly field: Field; readonly negated: boolean }
  /** `like` is case-sensitive, `ilike` is not; `%` and `_` are the wildcards. */
  | { readonly kind: 'like'; readonly field: Field; readonly negated: boolean; readonly caseSensitive: boolean; readonly pattern: string };

/** One `order_by` entry, parsed. */
export interface OrderTerm {
  readonly field: Field;
  readonly descending: boolean;
}

/** A filter or order-by that does not parse; `column` (1-based) lets the UI place a marker. */
export class FilterSyntaxError extends WorkbenchError {
  constructor(
    readonly column: number,
    detail: string,
    subject = 'filter',
  ) {
    super('INVALID_ARGUMENT', `Invalid ${subject} at column ${column}: ${detail}`);
    this.name = 'FilterSyntaxError';
  }
}

const entityAliases: Record<string, Field['entity']> = {
  metrics: 'metric', metric: 'metric',
  params: 'param', param: 'param', parameter: 'param', parameters: 'param',
  tags: 'tag', tag: 'tag',
  attributes: 'attribute', attribute: 'attribute', attr: 'attribute', run: 'attribute',
};

const attributeAliases: Record<string, AttributeName> = {
  run_id: 'run_id', id: 'run_id',
  run_name: 'run_name', name: 'run_name', 'run name': 'run_name',
  status: 'status',
  start_time: 'start_time', created: 'start_time',
  end_time: 'end_time',
  duration: 'duration',
  experiment_id: 'experiment_id',
  parent_run_id: 'parent_run_id',
  user_id: 'user_id',
  artifact_uri: 'artifact_uri',
};
const numericAttributes: ReadonlySet<AttributeName> = new Set(['start_time', 'end_time', 'duration', 'experiment_id']);
const validAttributes = Object.keys(attributeAliases).filter((name) => !name.includes(' ')).join(', ');

/** `string` is single-quoted, `dquoted` double-quoted (a name or a value), `backtick` a name only. */
type TokenType = 'word' | 'number' | 'string' | 'dquoted' | 'backtick' | 'operator' | '(' | ')' | ',' | 'end';
interface Token {
  readonly type: TokenType;
  /** Decoded text: the string content for quotes, the operator, the word as written. */
  readonly text: string;
  /** The number's value, for `number` tokens. */
  readonly value: number;
  /** 0-based offsets into the source; `end` is exclusive. */
  readonly start: number;
  readonly end: number;
}

const operators = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);
const numberPattern = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
// `/` is allowed in bare keys because frameworks log `train/loss`; it is no operator here.
const wordPattern = /[A-Za-z_][A-Za-z0-9_.\-/]*/y;

function tokenize(source: string, fail: (offset: number, detail: string) => never): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const push = (type: TokenType, text: string, start: number, value = 0): void => {
    tokens.push({ type, text, value, start, end: at });
  };
  while (at < source.length) {
    const char = source[at]!;
    const start = at;
    if (/\s/.test(char)) {
      at++;
    } else if (char === '(' || char === ')' || char === ',') {
      at++;
      push(char, char, start);
    } else if ('<>=!'.includes(char)) {
      while (at < source.length && '<>=!'.includes(source[at]!)) at++;
      const text = source.slice(start, at);
      if (!operators.has(text)) fail(start, `unknown operator '${text}'`);
      push('operator', text === '<>' ? '!=' : text, start);
    } else if (char === "'" || char === '"' || char === '`') {
      const text = readQuoted(source, start, fail);
      at = text.end;
      push(char === "'" ? 'string' : char === '"' ? 'dquoted' : 'backtick', text.content, start);
    } else if (/[A-Za-z_]/.test(char)) {
      wordPattern.lastIndex = at;
      at += wordPattern.exec(source)![0].length;
      push('word', source.slice(start, at), start);
    } else {
      numberPattern.lastIndex = at;
      const match = numberPattern.exec(source);
      if (!match) fail(start, `unexpected character '${char}'`);
      at += match[0].length;
      // `1abc` or `1.2.3` would otherwise silently split into a number and something else.
      if (at < source.length && /[A-Za-z0-9_.]/.test(source[at]!)) {
        const rest = /[A-Za-z0-9_.]*/y;
        rest.lastIndex = at;
        fail(start, `invalid number '${source.slice(start, at + rest.exec(source)![0].length)}'`);
      }
      push('number', match[0], start, Number(match[0]));
    }
  }
  tokens.push({ type: 'end', text: 'end of input', value: 0, start: source.length, end: source.length });
  return tokens;
}

/**
 * Reads a quoted run starting at `start`. The quote is escaped by doubling it (SQL style) or by a
 * backslash (what MLflow users type); `\\` is a backslash so a value can end with one. Any other
 * backslash is kept, so Windows paths survive.
 */
function readQuoted(source: string, start: number, fail: (offset: number, detail: string) => never): { content: string; end: number } {
  const quote = source[start]!;
  let content = '';
  let at = start + 1;
  while (at < source.length) {
    const char = source[at]!;
    const next = source[at + 1];
    if (char === quote && next === quote) {
      content += quote;
      at += 2;
    } else if (char === quote) {
      return { content, end: at + 1 };
    } else if (char === '\\' && (next === quote || next === '\\')) {
      content += next;
      at += 2;
    } else {
      content += char;
      at++;
    }
  }
  return fail(start, `unterminated ${quote === "'" ? 'string' : 'quoted name'} starting with ${quote}`);
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(
    private readonly source: string,
    private readonly subject: string,
  ) {
    this.tokens = tokenize(source, (offset, detail) => this.fail(offset, detail));
  }

  fail(offset: number, detail: string): never {
    throw new FilterSyntaxError(offset + 1, detail, this.subject);
  }

  peek(): Token {
    return this.tokens[this.index]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index++;
    return token;
  }

  /** The token as the user wrote it, for messages (`<>` stays `<>`, strings keep their quotes). */
  raw(token: Token): string {
    return token.type === 'end' ? 'end of input' : this.source.slice(token.start, token.end);
  }

  /** The last consumed token as written, for "expected … after 'x'" messages. */
  previous(): string {
    const token = this.tokens[this.index - 1];
    return token ? this.raw(token) : '';
  }

  isKeyword(word: string, token = this.peek()): boolean {
    return token.type === 'word' && token.text.toLowerCase() === word;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.type !== 'end') this.fail(token.start, `unexpected '${this.raw(token)}' after a complete expression`);
  }

  parseOr(): FilterNode {
    const operands = [this.parseAnd()];
    while (this.isKeyword('or')) {
      this.next();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  parseAnd(): FilterNode {
    const operands = [this.parseUnary()];
    while (this.isKeyword('and')) {
      this.next();
      operands.push(this.parseUnary());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  parseUnary(): FilterNode {
    const token = this.peek();
    if (this.isKeyword('not')) {
      this.next();
      return { kind: 'not', operand: this.parseUnary() };
    }
    if (token.type === '(') {
      this.next();
      if (this.peek().type === ')') this.fail(this.peek().start, 'empty parentheses');
      const inner = this.parseOr();
      const close = this.peek();
      if (close.type !== ')') this.fail(close.start, `expected ')' to close the '(' at column ${token.start + 1}`);
      this.next();
      return inner;
    }
    return this.parseComparison();
  }

  /** `entity.key`, `entity.` + quoted key, or a bare (possibly quoted) attribute name. */
  parseField(): Field {
    const after = this.previous();
    const token = this.next();
    if (token.type === 'backtick' || token.type === 'dquoted') return this.attribute(token.text, token.start);
    if (token.type !== 'word' || ['and', 'or', 'not'].includes(token.text.toLowerCase())) {
      const where = after === '' ? '' : ` after '${after}'`;
      return this.fail(token.start, `expected a field like metrics.loss or params.lr${where}, found ${this.raw(token)}`);
    }
    const dot = token.text.indexOf('.');
    if (dot < 0) return this.attribute(token.text, token.start);
    const entityName = token.text.slice(0, dot);
    const entity = entityAliases[entityName.toLowerCase()];
    if (!entity) this.fail(token.start, `unknown entity '${entityName}'; expected metrics, params, tags or attributes`);
    let key = token.text.slice(dot + 1);
    const quoted = this.peek();
    // `params."learning rate"`: the quoted part must touch the dot, else it is a separate token.
    if (key.endsWith('.') || key === '') {
      if ((quoted.type === 'backtick' || quoted.type === 'dquoted') && quoted.start === token.end) {
        this.next();
        key += quoted.text;
      } else if (key === '') {
        this.fail(token.end, `expected a key after '${token.text}'`);
      }
    }
    if (entity === 'attribute') return this.attribute(key, token.start + dot + 1);
    return { entity, key };
  }

  attribute(name: string, offset: number): Field {
    const key = attributeAliases[name.toLowerCase()];
    if (!key) this.fail(offset, `unknown attribute '${name}'; valid attributes are ${validAttributes}`);
    return { entity: 'attribute', key };
  }

  parseComparison(): FilterNode {
    const field = this.parseField();
    const token = this.next();
    if (this.isKeyword('is', token)) {
      const negated = this.isKeyword('not');
      if (negated) this.next();
      const after = this.previous();
      const nullToken = this.next();
      if (!this.isKeyword('null', nullToken)) this.fail(nullToken.start, `expected NULL after '${after}'`);
      return { kind: 'null', field, negated };
    }
    let negated = false;
    let keyword = token;
    if (this.isKeyword('not', token)) {
      negated = true;
      keyword = this.next();
      if (!['in', 'like', 'ilike'].some((word) => this.isKeyword(word, keyword))) {
        this.fail(keyword.start, "expected IN, LIKE or ILIKE after 'not'");
      }
    }
    if (this.isKeyword('in', keyword)) return { kind: 'in', field, negated, values: this.parseList(field) };
    if (this.isKeyword('like', keyword) || this.isKeyword('ilike', keyword)) {
      if (field.entity === 'metric' || (field.entity === 'attribute' && numericAttributes.has(field.key))) {
        this.fail(keyword.start, `${keyword.text.toUpperCase()} applies to params, tags and text attributes, not to ${describe(field)}`);
      }
      const pattern = this.next();
      if (pattern.type !== 'string' && pattern.type !== 'dquoted') this.fail(pattern.start, `expected a quoted pattern after '${this.raw(keyword)}'`);
      return { kind: 'like', field, negated, caseSensitive: this.isKeyword('like', keyword), pattern: pattern.text };
    }
    if (token.type !== 'operator') {
      this.fail(token.start, `unknown operator '${this.raw(token)}' after '${describe(field)}'; expected = != <> < <= > >= IN LIKE ILIKE or IS`);
    }
    const operator = token.text as ComparisonOperator;
    if (field.entity === 'attribute' && !numericAttributes.has(field.key) && !['=', '!='].includes(operator)) {
      this.fail(token.start, `${describe(field)} supports = != IN LIKE ILIKE and IS NULL, not '${operator}'`);
    }
    const value = this.parseValue(field);
    if ((field.entity === 'param' || field.entity === 'tag') && typeof value === 'string' && !['=', '!='].includes(operator)) {
      this.fail(this.tokens[this.index - 1]!.start, `'${operator}' compares ${describe(field)} with a number, not a string`);
    }
    return { kind: 'compare', field, operator, value };
  }

  parseList(field: Field): FilterValue[] {
    const open = this.next();
    if (open.type !== '(') this.fail(open.start, "expected '(' after 'in'");
    if (this.peek().type === ')') this.fail(this.peek().start, 'empty parentheses: IN needs at least one value');
    const values = [this.parseValue(field)];
    while (this.peek().type === ',') {
      this.next();
      values.push(this.parseValue(field));
    }
    const close = this.peek();
    if (close.type !== ')') this.fail(close.start, `expected ',' or ')' in the IN list`);
    this.next();
    return values;
  }

  /** A literal, checked against what the field holds (numbers for metrics and times). */
  parseValue(field: Field): FilterValue {
    const after = this.previous();
    const token = this.next();
    if (token.type !== 'number' && token.type !== 'string' && token.type !== 'dquoted') {
      this.fail(token.start, `expected a value after '${after}'`);
    }
    const numeric = field.entity === 'metric' || (field.entity === 'attribute' && numericAttributes.has(field.key));
    if (token.type === 'number') {
      if (field.entity === 'attribute' && !numeric) this.fail(token.start, `${describe(field)} is compared with a quoted string`);
      return token.value;
    }
    if (!numeric) return token.text;
    // Times and experiment ids arrive quoted from MLflow clients ('3'); metrics never do.
    const number = token.text.trim() === '' ? Number.NaN : Number(token.text);
    if (field.entity === 'metric' || !Number.isFinite(number)) {
      this.fail(token.start, `${describe(field)} is compared with a number, not the string '${token.text}'`);
    }
    return number;
  }
}

function describe(field: Field): string {
  const entity = { metric: 'metrics', param: 'params', tag: 'tags', attribute: 'attribute' }[field.entity];
  return `${entity}.${field.key}`;
}

/** Parses a filter; `null` when it is empty or whitespace (no condition). */
export function parseFilter(text: string): FilterNode | null {
  if (text.trim() === '') return null;
  const parser = new Parser(text, 'filter');
  const node = parser.parseOr();
  parser.expectEnd();
  return node;
}

/** Parses one `order_by` entry: `"<entity>.<key> [ASC|DESC]"` or a bare attribute. */
export function parseOrderTerm(clause: string): OrderTerm {
  const parser = new Parser(clause, `order_by clause '${clause}'`);
  if (parser.peek().type === 'end') parser.fail(0, 'expected a field like metrics.loss or start_time');
  const field = parser.parseField();
  let descending = false;
  if (parser.isKeyword('desc') || parser.isKeyword('asc')) {
    descending = parser.isKeyword('desc');
    parser.next();
  } else if (parser.peek().type !== 'end') {
    parser.fail(parser.peek().start, 'expected ASC or DESC after the field');
  }
  parser.expectEnd();
  return { field, descending };
}
