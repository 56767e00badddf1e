import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from '../../../shared/datasets';
import { transform } from './index';
import { openFixture, type Fixture } from './test-fixtures';

let fixture: Fixture;
let people: DataSource;

beforeEach(async () => {
  fixture = await openFixture();
  people = await fixture.csv('id,name,age,score\n1,ann,34,1.5\n2,bob,17,\n3,cy,51,3.25\n4,dee,,4\n');
});
afterEach(async () => fixture.close());

const run = (steps: Parameters<typeof transform>[2], source = people, out = fixture.outDir()) => transform(fixture.duck, source, steps, out);

describe('drop and rename', () => {
  it('drops columns and keeps the order of the rest', async () => {
    const result = await run([{ op: 'drop', columns: ['name', 'score'] }]);
    expect(result.fitted).toEqual([null]);
    expect(result.outputs).toHaveLength(1);
    expect(result.outputs[0]).toMatchObject({ part: 'data', rowCount: 4 });
    expect(await fixture.read(result.outputs[0]!.file)).toEqual([
      { id: 1, age: 34 },
      { id: 2, age: 17 },
      { id: 3, age: 51 },
      { id: 4, age: null },
    ]);
  });

  it('names the unknown column and lists the available ones', async () => {
    await expect(run([{ op: 'drop', columns: ['agee'] }])).rejects.toThrow('step 1 (drop): unknown column "agee"; available: "id", "name", "age", "score"');
  });

  it('refuses to drop every column', async () => {
    await expect(run([{ op: 'drop', columns: ['id', 'name', 'age', 'score'] }])).rejects.toThrow(/step 1 \(drop\): dropping every column/);
  });

  it('renames, in place, and matches names case-insensitively like DuckDB', async () => {
    const result = await run([{ op: 'rename', mapping: { NAME: 'first_name', age: 'years' } }]);
    expect(Object.keys(await fixture.types(result.outputs[0]!.file))).toEqual(['id', 'first_name', 'years', 'score']);
  });

  it('swaps two names in one step', async () => {
    const result = await run([{ op: 'rename', mapping: { id: 'age', age: 'id' } }]);
    const rows = await fixture.read(result.outputs[0]!.file);
    expect(rows[0]).toEqual({ age: 1, name: 'ann', id: 34, score: 1.5 });
  });

  it('refuses a rename onto an existing name (case-insensitive) or onto another target', async () => {
    await expect(run([{ op: 'rename', mapping: { id: 'Name' } }])).rejects.toThrow('step 1 (rename): cannot rename "id" to "Name": a column with that name already exists');
    await expect(run([{ op: 'rename', mapping: { id: 'x', age: 'x' } }])).rejects.toThrow(/cannot rename "id" to "x": "age" is also renamed to it/);
  });

  it('reports an unknown column in a later step after an earlier rename', async () => {
    await expect(run([{ op: 'rename', mapping: { age: 'years' } }, { op: 'scale', columns: ['age'], method: 'standard' }])).rejects.toThrow(
      'step 2 (scale): unknown column "age"; available: "id", "name", "years", "score"',
    );
  });
});

describe('cast', () => {
  it('casts to the contract types', async () => {
    const source = await fixture.csv('a,b,c,d,e\n1,2.5,true,2024-01-02,2024-01-02 03:04:05\n7,3,false,2024-02-29,2024-12-31 23:59:59\n');
    const result = await run(
      [{ op: 'cast', types: { a: 'string', b: 'integer', c: 'string', d: 'date', e: 'timestamp' } }, { op: 'cast', types: { a: 'float', c: 'boolean' } }],
      source,
    );
    expect(await fixture.types(result.outputs[0]!.file)).toEqual({ a: 'DOUBLE', b: 'BIGINT', c: 'BOOLEAN', d: 'DATE', e: 'TIMESTAMP' });
    const rows = await fixture.read(result.outputs[0]!.file);
    expect(rows.map((row) => [row.a, row.b, row.c])).toEqual([
      [1, 2, true], // DuckDB's CAST rounds half to even
      [7, 3, false],
    ]);
  });

  it('names the column and the first offending value (in file order)', async () => {
    const source = await fixture.csv('id,code\n1,10\n2,11\n3,x12\n4,y13\n');
    await expect(run([{ op: 'cast', types: { id: 'integer', code: 'integer' } }], source)).rejects.toThrow(
      'step 1 (cast): cannot cast column "code" (VARCHAR) to BIGINT: first offending value "x12"',
    );
  });

  it('lets NULLs through and rejects an unknown type', async () => {
    const result = await run([{ op: 'cast', types: { age: 'string' } }]);
    expect((await fixture.read(result.outputs[0]!.file)).map((row) => row.age)).toEqual(['34', '17', '51', null]);
    await expect(run([{ op: 'cast', types: { age: 'int' as never } }])).rejects.toThrow(/step 1 \(cast\): unknown type "int"/);
  });
});

describe('filter and derive', () => {
  it('keeps rows where the expression is true; NULL counts as false', async () => {
    const result = await run([{ op: 'filter', where: "age >= 18 and name <> 'cy'" }]);
    expect((await fixture.read(result.outputs[0]!.file)).map((row) => row.id)).toEqual([1]);
    expect(result.outputs[0]!.rowCount).toBe(1);
  });

  it('derives a new column at the end and replaces an existing one in place', async () => {
    const result = await run([
      { op: 'derive', column: 'ratio', expression: 'score / nullif(age, 0)' },
      { op: 'derive', column: 'name', expression: 'upper(name) -- shout' },
    ]);
    const rows = await fixture.read(result.outputs[0]!.file);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'name', 'age', 'score', 'ratio']);
    expect(rows.map((row) => row.name)).toEqual(['ANN', 'BOB', 'CY', 'DEE']);
    expect(rows[0]!.ratio).toBeCloseTo(1.5 / 34, 15);
    expect(rows[1]!.ratio).toBeNull();
  });

  it('includes the parser message for an expression that does not parse', async () => {
    await expect(run([{ op: 'filter', where: 'age > and 3' }])).rejects.toThrow(/step 1 \(filter\): the expression "age > and 3" is not a valid SQL expression: syntax error at or near "and"/);
  });

  it("includes DuckDB's binder message for an unknown column", async () => {
    const error = run([{ op: 'derive', column: 'x', expression: 'agee + 1' }]);
    await expect(error).rejects.toThrow(/step 1 \(derive\): the expression "agee \+ 1" is invalid: Binder Error: Referenced column "agee" not found/);
    await expect(error).rejects.not.toThrow(/ty_transform/);
  });

  it('requires a boolean filter', async () => {
    await expect(run([{ op: 'filter', where: 'age + 1' }])).rejects.toThrow(/step 1 \(filter\): the filter expression "age \+ 1" must be true or false for each row, but it is BIGINT/);
  });

  it.each([
    ['1) UNION ALL (SELECT 2', /is not a valid SQL expression: syntax error/],
    ['1) FROM range(3) UNION ALL SELECT (2', /is not a single SQL expression/],
    ['1) AS a, (2', /is not a single SQL expression/],
    ['1) FROM (SELECT 1', /is not a single SQL expression/],
    ["true); COPY (SELECT 1) TO '/tmp/pwned.csv'; SELECT (1", /is not a valid SQL expression: Only SELECT statements/],
    ['age > (SELECT avg(age) FROM read_csv(\'x\'))', /subqueries are not allowed/],
    ['age - avg(age) OVER ()', /window functions are not allowed/],
    ['max(age) > 3', /aggregate functions \(max\) are not allowed/],
  ])('rejects %s', async (expression, message) => {
    await expect(run([{ op: 'filter', where: expression }])).rejects.toThrow(message);
    await expect(run([{ op: 'derive', column: 'x', expression }])).rejects.toThrow(message);
  });
});
