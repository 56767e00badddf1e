import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../shared/errors';
import { transform } from './index';
import { openFixture, type Fixture } from './test-fixtures';

let fixture: Fixture;
beforeEach(async () => {
  fixture = await openFixture();
});
afterEach(async () => fixture.close());

const leftoverViews = async () => Number((await fixture.duck.one(`SELECT count(*) AS n FROM duckdb_views() WHERE view_name LIKE 'ty_transform_%'`))?.n);
const leftoverTables = async () => Number((await fixture.duck.one(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'ty_transform_%'`))?.n);

describe('transform', () => {
  it('reads CSV, Parquet and JSON-lines sources (extension-less files) through relationSql', async () => {
    const csv = await fixture.csv('a,b\n1,x\n2,y\n', 'objcsv');
    const fromCsv = await transform(fixture.duck, csv, [{ op: 'derive', column: 'c', expression: 'a * 10' }], fixture.outDir('csv'));
    const parquet = { format: 'parquet' as const, files: [fromCsv.outputs[0]!.file] };
    const fromParquet = await transform(fixture.duck, parquet, [{ op: 'drop', columns: ['b'] }], fixture.outDir('parquet'));
    expect(await fixture.read(fromParquet.outputs[0]!.file)).toEqual([
      { a: 1, c: 10 },
      { a: 2, c: 20 },
    ]);
    const jsonl = join(fixture.dir, 'objjson');
    await writeFile(jsonl, '{"a": 1, "b": "x"}\n{"a": 3, "b": null}\n');
    const fromJson = await transform(fixture.duck, { format: 'jsonl', files: [jsonl] }, [{ op: 'impute', columns: ['b'], strategy: 'constant', value: 'z' }], fixture.outDir('json'));
    expect((await fixture.read(fromJson.outputs[0]!.file)).map((row) => row.b)).toEqual(['x', 'z']);
  });

  it('leaves only the output files, and drops its temporary views and tables', async () => {
    const source = await fixture.csv('a\n1\n2\n3\n4\n');
    await transform(fixture.duck, source, [{ op: 'scale', columns: ['a'], method: 'minmax' }], fixture.outDir('one'));
    await transform(fixture.duck, source, [{ op: 'split', fractions: { x: 1, y: 1 }, seed: 1 }], fixture.outDir('two'));
    expect(await fixture.list(join(fixture.dir, 'one'))).toEqual(['data.parquet']);
    expect(await fixture.list(join(fixture.dir, 'two'))).toEqual(['x.parquet', 'y.parquet']);
    expect(await leftoverViews()).toBe(0);
    expect(await leftoverTables()).toBe(0);
  });

  it('writes nothing when a step is invalid, and cleans up after itself', async () => {
    const source = await fixture.csv('a\n1\n');
    const out = fixture.outDir('bad');
    const error = await transform(fixture.duck, source, [{ op: 'drop', columns: ['zz'] }], out).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkbenchError);
    expect((error as WorkbenchError).code).toBe('INVALID_ARGUMENT');
    expect(await fixture.list(fixture.dir)).not.toContain('bad');
    expect(await leftoverViews()).toBe(0);
  });

  it('writes nothing when a row fails while writing, and says which file', async () => {
    const source = await fixture.csv('a,b\n1,2\n2,oops\n');
    const out = fixture.outDir('runtime');
    await expect(transform(fixture.duck, source, [{ op: 'derive', column: 'c', expression: 'CAST(b AS INTEGER)' }], out)).rejects.toThrow(
      /^writing data\.parquet failed: Conversion Error: Could not convert string 'oops'/,
    );
    expect(await fixture.list(out)).toEqual([]);
  });

  it('removes parts already in place when a later one cannot be placed', async () => {
    const source = await fixture.csv('a\n1\n2\n3\n4\n');
    const out = fixture.outDir('blocked');
    // A non-empty folder where test.parquet should go: the rename of that part fails.
    await mkdir(join(out, 'test.parquet'), { recursive: true });
    await writeFile(join(out, 'test.parquet', 'keep'), 'x');
    await expect(transform(fixture.duck, source, [{ op: 'split', fractions: { train: 1, test: 1 }, seed: 1 }], out)).rejects.toThrow();
    expect(await fixture.list(out)).toEqual(['test.parquet']);
    expect(await leftoverTables()).toBe(0);
  });

  it('reports an unreadable source', async () => {
    await expect(transform(fixture.duck, { format: 'parquet', files: [join(fixture.dir, 'missing')] }, [], fixture.outDir())).rejects.toThrow(/^reading the source failed: /);
  });

  it('keeps source order even if the connection turned insertion order off, and restores the setting', async () => {
    await fixture.duck.run('SET preserve_insertion_order = false');
    const source = await fixture.csv('a\n3\n1\n2\n');
    const result = await transform(fixture.duck, source, [], fixture.outDir());
    expect((await fixture.read(result.outputs[0]!.file)).map((row) => row.a)).toEqual([3, 1, 2]);
    expect((await fixture.duck.one(`SELECT current_setting('preserve_insertion_order') AS v`))?.v).toBe(false);
  });
});
