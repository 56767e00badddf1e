import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck, sqlString } from '../duckdb';
import { ingest } from './ingest';
import { FixtureDir } from './test-fixtures';

const dir = new FixtureDir();
let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => {
  duck.close();
  dir.remove();
});

describe('Parquet and JSON lines', () => {
  it('profiles a Parquet file written by DuckDB (no extension on the object)', async () => {
    const file = dir.file('object-parquet');
    await duck.run(`COPY (SELECT i AS id, i * 0.5 AS half, CASE WHEN i % 2 = 0 THEN 'even' END AS tag FROM range(1, 11) t(i)) TO ${sqlString(file)} (FORMAT parquet)`);
    const report = await ingest(duck, { format: 'parquet', files: [file] });
    expect(report.csv).toBeNull();
    expect(report.schema).toEqual([
      { name: 'id', type: 'BIGINT', kind: 'integer' },
      { name: 'half', type: 'DECIMAL(21,1)', kind: 'float' },
      { name: 'tag', type: 'VARCHAR', kind: 'string' },
    ]);
    const [id, half, tag] = report.profile.columns;
    expect(report.profile.rowCount).toBe(10);
    expect(id).toMatchObject({ count: 10, min: 1, max: 10, mean: 5.5, distinctCount: 10 });
    expect(half).toMatchObject({ min: 0.5, max: 5, mean: 2.75 });
    expect(tag).toMatchObject({ count: 5, nullCount: 5, distinctCount: 1, topValues: [{ value: 'even', count: 5 }] });
  });

  it('profiles JSON lines, nested values included', async () => {
    const file = dir.write('object-jsonl', '{"a": 1, "b": "x", "c": {"k": 1}}\n{"a": 2, "b": null, "c": {"k": 2}}\n\n{"a": 3, "b": "x", "c": {"k": 2}}\n');
    const report = await ingest(duck, { format: 'jsonl', files: [file] });
    expect(report.profile.rowCount).toBe(3);
    const [a, b, c] = report.profile.columns;
    expect(a).toMatchObject({ kind: 'integer', mean: 2 });
    expect(b).toMatchObject({ kind: 'string', nullCount: 1, topValues: [{ value: 'x', count: 2 }] });
    expect(c).toMatchObject({ kind: 'other', min: null, distinctCount: 2, topValues: [{ value: '{\'k\': 2}', count: 2 }, { value: '{\'k\': 1}', count: 1 }] });
  });

  it('names the file of a malformed Parquet file, and the line of malformed JSON', async () => {
    await expect(ingest(duck, { format: 'parquet', files: [dir.write('bad-parquet', 'PAR1 this is not parquet at all')] })).rejects.toThrow(/bad-parquet is not a valid Parquet file \(No magic bytes found at end of file\)/);
    const json = dir.write('bad-jsonl', '{"a": 1}\n{"a": 2}\n{"a": 3}\nnope\n{"a": 5}\n');
    await expect(ingest(duck, { format: 'jsonl', files: [json] })).rejects.toThrow(/bad-jsonl line 4: not valid JSON/);
    await expect(ingest(duck, { format: 'parquet', files: [dir.write('empty-parquet', '')] })).rejects.toThrow(/empty-parquet is empty/);
  });
});

describe('several files as one source', () => {
  it('unions CSV files by column name, reading all with the first file’s dialect', async () => {
    const first = dir.write('part1', 'id;name;score\n1;a;10\n2;b;20\n');
    const second = dir.write('part2', 'id;score;name\n3;30;c\n');
    const third = dir.write('part3', 'id;name;score;extra\n4;d;40;yes\n');
    const report = await ingest(duck, { format: 'csv', files: [first, second, third] });
    expect(report.csv?.delimiter).toBe(';');
    expect(report.schema.map((column) => column.name)).toEqual(['id', 'name', 'score', 'extra']);
    expect(report.profile.rowCount).toBe(4);
    expect(report.profile.columns[2]).toMatchObject({ count: 4, mean: 25 });
    expect(report.profile.columns[3]).toMatchObject({ count: 1, nullCount: 3 });
  });

  it('names the file that is empty or header-only', async () => {
    const good = dir.write('good', 'a,b\n1,2\n');
    await expect(ingest(duck, { format: 'csv', files: [good, dir.write('none', '')] })).rejects.toThrow(/none is empty/);
    await expect(ingest(duck, { format: 'csv', files: [good, dir.write('only-header', 'a,b\n')] })).rejects.toThrow(/only-header has a header but no data rows/);
  });
});

describe('progress and cancellation', () => {
  const context = (cancelAfter = Infinity) => {
    const events: { done: number; total: number | null; message?: string }[] = [];
    return {
      events,
      post: () => {},
      log: () => {},
      progress: (done: number, total: number | null, message?: string) => events.push({ done, total, ...(message ? { message } : {}) }),
      cancelled: () => events.length >= cancelAfter,
    };
  };

  it('reports progress in bytes over every pass, ending at the total', async () => {
    const file = dir.write('progress', 'a,b\n1,2\n3,4\n');
    const events = context();
    await ingest(duck, { format: 'csv', files: [file] }, events);
    const dones = events.events.map((event) => event.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    // Three passes over the 12-byte file: the encoding check, then DuckDB's two scans.
    expect(events.events.at(-1)).toEqual({ done: 36, total: 36, message: 'Ingested' });
  });

  it('stops between passes when main asks it to', async () => {
    const file = dir.write('cancelled', 'a,b\n1,2\n3,4\n');
    await expect(ingest(duck, { format: 'csv', files: [file] }, context(1))).rejects.toThrow(/^Ingest cancelled$/);
    // Second event: DuckDB's first scan has begun; the check after it must not be restated as a read error.
    await expect(ingest(duck, { format: 'csv', files: [file] }, context(2))).rejects.toThrow(/^Ingest cancelled$/);
  });

  it('calls JSON-lines garbage binary, not malformed JSON', async () => {
    await expect(ingest(duck, { format: 'jsonl', files: [dir.write('garbage-jsonl', Buffer.from([0x7b, 0, 1, 2, 3, 0x7d]))] })).rejects.toThrow(/garbage-jsonl does not look like a text file/);
  });
});
