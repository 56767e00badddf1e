import { describe, it, expect } from 'vitest';
import { WorkbenchError } from '../../../shared/errors';
import { FilterSyntaxError, parseFilter, parseOrderTerm, type FilterNode } from './search-filter';

const metric = (key: string, operator: string, value: number): FilterNode =>
  ({ kind: 'compare', field: { entity: 'metric', key }, operator, value }) as FilterNode;

/** Parses `text`, expecting a FilterSyntaxError; returns it for column and message checks. */
function syntaxError(text: string): FilterSyntaxError {
  try {
    parseFilter(text);
  } catch (error) {
    expect(error).toBeInstanceOf(FilterSyntaxError);
    return error as FilterSyntaxError;
  }
  throw new Error(`expected '${text}' to be rejected`);
}

describe('parseFilter: structure', () => {
  it('gives no condition for an empty or blank filter', () => {
    expect(parseFilter('')).toBeNull();
    expect(parseFilter('  \t\n ')).toBeNull();
  });

  it('binds AND tighter than OR', () => {
    expect(parseFilter('metrics.a > 1 or metrics.b > 2 and metrics.c > 3')).toEqual({
      kind: 'or',
      operands: [metric('a', '>', 1), { kind: 'and', operands: [metric('b', '>', 2), metric('c', '>', 3)] }],
    });
  });

  it('lets parentheses override precedence', () => {
    expect(parseFilter('(metrics.a > 1 OR metrics.b > 2) And metrics.c > 3')).toEqual({
      kind: 'and',
      operands: [{ kind: 'or', operands: [metric('a', '>', 1), metric('b', '>', 2)] }, metric('c', '>', 3)],
    });
  });

  it('flattens chains into one n-ary node and applies NOT to the nearest operand', () => {
    expect(parseFilter('NOT metrics.a = 1 and metrics.b = 2 and not not metrics.c = 3')).toEqual({
      kind: 'and',
      operands: [
        { kind: 'not', operand: metric('a', '=', 1) },
        metric('b', '=', 2),
        { kind: 'not', operand: { kind: 'not', operand: metric('c', '=', 3) } },
      ],
    });
  });

  it('reads every entity alias and folds <> into !=', () => {
    const fields = ['metric.x', 'METRICS.x', 'param.x', 'parameter.x', 'Parameters.x', 'tag.x', 'tags.x']
      .map((field) => parseFilter(`${field} <> 1`))
      .map((node) => (node?.kind === 'compare' ? [node.field.entity, node.operator] : null));
    expect(fields).toEqual([
      ['metric', '!='], ['metric', '!='], ['param', '!='], ['param', '!='], ['param', '!='], ['tag', '!='], ['tag', '!='],
    ]);
  });

  it('parses numbers in every form', () => {
    const values = ['-1', '0.5', '1e-3', '.5', '+2', '1E3', '3.'].map((text) => {
      const node = parseFilter(`metrics.m = ${text}`);
      return node?.kind === 'compare' ? node.value : null;
    });
    expect(values).toEqual([-1, 0.5, 0.001, 0.5, 2, 1000, 3]);
  });

  it('parses IN lists, IS [NOT] NULL and [NOT] [I]LIKE', () => {
    expect(parseFilter("params.opt not in ('adam', 'sgd')")).toEqual({
      kind: 'in', field: { entity: 'param', key: 'opt' }, negated: true, values: ['adam', 'sgd'],
    });
    expect(parseFilter('metrics.acc IN (1, 2.5)')).toEqual({
      kind: 'in', field: { entity: 'metric', key: 'acc' }, negated: false, values: [1, 2.5],
    });
    expect(parseFilter('tags.note is not NULL')).toEqual({ kind: 'null', field: { entity: 'tag', key: 'note' }, negated: true });
    expect(parseFilter('metrics.loss IS null')).toEqual({ kind: 'null', field: { entity: 'metric', key: 'loss' }, negated: false });
    expect(parseFilter("tags.x NOT ILIKE '%a_'")).toEqual({
      kind: 'like', field: { entity: 'tag', key: 'x' }, negated: true, caseSensitive: false, pattern: '%a_',
    });
    expect(parseFilter("params.x like 'A%'")).toMatchObject({ kind: 'like', negated: false, caseSensitive: true });
  });
});

describe('parseFilter: keys, attributes and strings', () => {
  it('reads dotted and dashed bare keys and quoted keys', () => {
    const key = (text: string): string | null => {
      const node = parseFilter(text);
      return node?.kind === 'compare' ? node.field.key : null;
    };
    expect(key("tags.mlflow.parentRunId = 'x'")).toBe('mlflow.parentRunId');
    expect(key("params.model.lr = '0.1'")).toBe('model.lr');
    expect(key('metrics.val-loss < 1')).toBe('val-loss');
    expect(key('metrics.train/loss < 1')).toBe('train/loss');
    expect(key('metrics.`f1 score` > 0.5')).toBe('f1 score');
    expect(key('params."learning rate" = \'0.1\'')).toBe('learning rate');
    expect(key('metrics.`a``b` > 0')).toBe('a`b');
  });

  it('maps bare and prefixed attribute names, including aliases', () => {
    const attribute = (text: string): string | null => {
      const node = parseFilter(text);
      return node?.kind === 'compare' && node.field.entity === 'attribute' ? node.field.key : null;
    };
    expect(attribute("status = 'FINISHED'")).toBe('status');
    expect(attribute("attributes.run_name = 'a'")).toBe('run_name');
    expect(attribute("run.name = 'a'")).toBe('run_name');
    expect(attribute("attr.id = 'a'")).toBe('run_id');
    expect(attribute('created > 5')).toBe('start_time');
    expect(attribute("attribute.parent_run_id = 'p'")).toBe('parent_run_id');
    expect(attribute('`run name` = \'a\'')).toBe('run_name');
  });

  it('accepts numeric attributes as numbers or numeric strings', () => {
    expect(parseFilter("experiment_id = '3'")).toMatchObject({ value: 3 });
    expect(parseFilter('experiment_id = 3')).toMatchObject({ value: 3 });
    expect(parseFilter("end_time in ('10', 20)")).toMatchObject({ values: [10, 20] });
  });

  it("unescapes '' and \\' in strings, keeps other backslashes", () => {
    const value = (text: string): unknown => (parseFilter(text) as { value?: unknown }).value;
    expect(value("params.a = 'it''s'")).toBe("it's");
    expect(value("params.a = 'it\\'s'")).toBe("it's");
    expect(value("params.a = 'C:\\data\\x'")).toBe('C:\\data\\x');
    expect(value("params.a = 'ends with \\\\'")).toBe('ends with \\');
    expect(value("params.a = ''")).toBe('');
  });
});

describe('parseFilter: errors name the column', () => {
  const cases: [string, number, RegExp][] = [
    ['metrics.accuracy >', 19, /expected a value after '>'/],
    ['metrics.accuracy > and metrics.b < 1', 20, /expected a value after '>'/],
    ["params.a = 'open", 12, /unterminated string/],
    ['metrics.`f1 score > 1', 9, /unterminated quoted name/],
    ['foo.bar = 1', 1, /unknown entity 'foo'/],
    ['metrics.a => 1', 11, /unknown operator '=>'/],
    ['metrics.a ~ 1', 11, /unexpected character '~'/],
    ['metrics.a eq 1', 11, /unknown operator 'eq'/],
    ['metrics.a > 1 metrics.b > 2', 15, /unexpected 'metrics.b'/],
    ['metrics.a > 1)', 14, /unexpected '\)'/],
    ['metrics.a > 1 and ()', 20, /empty parentheses/],
    ['metrics.a in ()', 15, /empty parentheses/],
    ['(metrics.a > 1', 15, /expected '\)' to close the '\(' at column 1/],
    ["metrics.acc = 'high'", 15, /metrics\.acc is compared with a number/],
    ["metrics.acc in (1, 'x')", 20, /compared with a number/],
    ["metrics.acc LIKE '1%'", 13, /LIKE applies to params, tags and text attributes/],
    ["metrics.acc not ilike '1%'", 17, /ILIKE applies to/],
    ['metrics.a > 1 and', 18, /expected a field .* after 'and'/],
    ['metrics. = 1', 9, /expected a key after 'metrics\.'/],
    ['attributes.colour = 1', 12, /unknown attribute 'colour'; valid attributes are run_id, id, run_name, name, status/],
    ["colour = 'red'", 1, /unknown attribute 'colour'/],
    ['metrics.a is 5', 14, /expected NULL after 'is'/],
    ['metrics.a not = 1', 15, /expected IN, LIKE or ILIKE after 'not'/],
    ["status < 'A'", 8, /supports = != IN LIKE ILIKE/],
    ['status = 5', 10, /compared with a quoted string/],
    ["start_time > 'yesterday'", 14, /compared with a number, not the string 'yesterday'/],
    ["start_time like '1%'", 12, /LIKE applies to/],
    ["params.lr < '0.1'", 13, /compares params\.lr with a number/],
    ['metrics.a > 1abc', 13, /invalid number '1abc'/],
    ['metrics.a in (1,)', 17, /expected a value after ','/],
    ['metrics.a in (1 2)', 17, /expected ',' or '\)'/],
  ];
  it.each(cases)('%s -> column %i', (text, column, message) => {
    const error = syntaxError(text);
    expect(error.column).toBe(column);
    expect(error.message).toMatch(new RegExp(`^Invalid filter at column ${column}: `));
    expect(error.message).toMatch(message);
    expect(error).toBeInstanceOf(WorkbenchError);
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('counts columns from the start of the text, not the first token', () => {
    expect(syntaxError('   metrics.a >').column).toBe(15);
  });
});

describe('parseOrderTerm', () => {
  it('reads entity keys, bare attributes and the direction in any case', () => {
    expect(parseOrderTerm('metrics.`f1 score` desc')).toEqual({ field: { entity: 'metric', key: 'f1 score' }, descending: true });
    expect(parseOrderTerm('start_time DESC')).toEqual({ field: { entity: 'attribute', key: 'start_time' }, descending: true });
    expect(parseOrderTerm('name')).toEqual({ field: { entity: 'attribute', key: 'run_name' }, descending: false });
    expect(parseOrderTerm('params.lr Asc')).toEqual({ field: { entity: 'param', key: 'lr' }, descending: false });
  });

  it('rejects a bad clause with a message that names it', () => {
    for (const [clause, pattern] of [
      ['metrics.loss sideways', /order_by clause 'metrics.loss sideways' at column 14: expected ASC or DESC/],
      ['nonsense DESC', /order_by clause 'nonsense DESC' at column 1: unknown attribute/],
      ['', /order_by clause '' at column 1/],
      ['metrics.loss ASC DESC', /column 18: unexpected 'DESC'/],
    ] as const) {
      expect(() => parseOrderTerm(clause)).toThrow(FilterSyntaxError);
      expect(() => parseOrderTerm(clause)).toThrow(pattern);
    }
  });
});
