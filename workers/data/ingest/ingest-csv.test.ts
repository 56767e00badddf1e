import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from '../../../shared/datasets';
import { Duck } from '../duckdb';
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

const csv = (file: string, options: DataSource['csv'] = {}): DataSource => ({ format: 'csv', files: [file], csv: options });
/** A file whose rows DuckDB's sniffer (20,480 sampled rows) never sees past `rows`. */
const longCsv = (rows: number, bad: (i: number) => string | null): string => {
  const lines = ['a,b,c'];
  for (let i = 0; i < rows; i++) lines.push(bad(i) ?? `${i},x${i},${i / 2}`);
  return `${lines.join('\n')}\n`;
};

describe('bad CSV input', () => {
  it('refuses an empty file, a blank one and a header without rows', async () => {
    await expect(ingest(duck, csv(dir.write('empty.csv', '')))).rejects.toThrow(/empty\.csv is empty$/);
    await expect(ingest(duck, csv(dir.write('blank.csv', '\n\r\n  \n')))).rejects.toThrow(/blank\.csv is empty \(it holds only blank lines\)/);
    await expect(ingest(duck, csv(dir.write('header.csv', 'a,b,c\n')))).rejects.toThrow(/header\.csv has a header but no data rows/);
    await expect(ingest(duck, csv(dir.write('header2.csv', 'a;b;c\r\n\r\n')))).rejects.toThrow(/header2\.csv has a header but no data rows/);
  });

  it('refuses binary garbage, naming a known format when it recognizes one', async () => {
    await expect(ingest(duck, csv(dir.write('random', randomBytes(4096))))).rejects.toThrow(/random does not look like a text file \(it contains NUL bytes in the first 4 KB\)/);
    const controls = Buffer.from(Array.from({ length: 2000 }, (_, i) => 1 + (i % 8)));
    await expect(ingest(duck, csv(dir.write('controls', controls)))).rejects.toThrow(/controls does not look like a text file \(it is full of control bytes/);
    await expect(ingest(duck, csv(dir.write('gz', gzipSync('a,b\n1,2\n'))))).rejects.toThrow(/gz does not look like a text file .*gzip-compressed file: decompress it first/);
  });

  it('refuses mixed encodings with the line of the first invalid byte', async () => {
    const bytes = Buffer.concat([Buffer.from('name,city\nJosé,Paris\nAnn,Rome\n'), Buffer.from('Zoë,Köln\n', 'latin1')]);
    await expect(ingest(duck, csv(dir.write('mixed.csv', bytes)))).rejects.toThrow(/mixed\.csv line 4: mixed encodings/);
  });

  it('reports ragged rows by line, in the sniffed sample and far beyond it', async () => {
    const small = dir.write('ragged.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n11,12,13\n');
    await expect(ingest(duck, csv(small))).rejects.toThrow(/ragged\.csv line 4: expected 3 fields, found 4$/);
    const big = dir.write('ragged-late.csv', longCsv(30_000, (i) => (i === 25_000 ? '1,2' : null)));
    await expect(ingest(duck, csv(big))).rejects.toThrow(/ragged-late\.csv line 25002: expected 3 fields, found 2$/);
  });

  it('skips and counts ragged rows when asked, with a warning naming the first', async () => {
    const file = dir.write('skip.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n11,12,13\n14,15\n16,17,18\n');
    const report = await ingest(duck, csv(file, { skipBadRows: true }));
    expect(report.skippedRows).toBe(2);
    expect(report.profile.rowCount).toBe(4);
    expect(report.warnings.join('\n')).toMatch(/Skipped 2 rows that could not be read: .*skip\.csv line 4: expected 3 fields, found 4; .*skip\.csv line 6: expected 3 fields, found 2/);
    const big = dir.write('skip-late.csv', longCsv(30_000, (i) => (i % 10_000 === 9_999 ? '1,2,3,4,5' : null)));
    const late = await ingest(duck, csv(big, { skipBadRows: true }));
    expect(late.skippedRows).toBe(3);
    expect(late.profile.rowCount).toBe(29_997);
  });

  it('names the line and column of a value that does not fit the sniffed type', async () => {
    const file = dir.write('types.csv', longCsv(30_000, (i) => (i === 28_000 ? 'oops,x,1' : null)));
    await expect(ingest(duck, csv(file))).rejects.toThrow(/types\.csv line 28002, column "a": "oops" is not a valid BIGINT/);
  });

  it('refuses duplicate column names, as DuckDB would silently rename them', async () => {
    await expect(ingest(duck, csv(dir.write('dup.csv', 'id,price,Price,name,id\n1,2,3,x,5\n')))).rejects.toThrow(
      /dup\.csv line 1: duplicate column names "id", "price" in the header/,
    );
    await expect(ingest(duck, csv(dir.write('dup2.csv', '"a;b";c;"a;b"\n1;2;3\n')))).rejects.toThrow(/duplicate column name "a;b"/);
  });

  it('names the line of bytes that do not match an encoding the user chose, or skips those rows', async () => {
    const file = dir.write('forced.csv', Buffer.from('name,n\nAnn,1\nJosé,2\nBob,3\n', 'latin1'));
    await expect(ingest(duck, csv(file, { encoding: 'utf-8' }))).rejects.toThrow(/forced\.csv line 3: bytes that are not valid utf-8/);
    const skipped = await ingest(duck, csv(file, { encoding: 'utf-8', skipBadRows: true }));
    expect(skipped).toMatchObject({ skippedRows: 1, profile: { rowCount: 2 } });
  });

  it('names a file that does not exist', async () => {
    await expect(ingest(duck, csv(dir.file('missing.csv')))).rejects.toThrow(/missing\.csv does not exist/);
  });

  it('refuses files in different encodings read as one source', async () => {
    const utf8 = dir.write('u.csv', 'name\nJosé\n');
    const latin = dir.write('l.csv', Buffer.from('name\nJosé\n', 'latin1'));
    await expect(ingest(duck, { format: 'csv', files: [utf8, latin] })).rejects.toThrow(/different encodings \(.*u\.csv is utf-8, .*l\.csv is latin-1\)/);
  });
});

describe('CSV dialect and encoding detection', () => {
  it('detects a semicolon delimiter and quoted fields holding delimiters and line breaks', async () => {
    const file = dir.write('semi.csv', 'id;text;n\n1;"a;b";3\n2;"two\nlines";4\n3;"say ""hi""";5\n');
    const report = await ingest(duck, csv(file));
    expect(report.csv).toEqual({ delimiter: ';', quote: '"', header: true, encoding: 'utf-8' });
    expect(report.schema.map((column) => column.name)).toEqual(['id', 'text', 'n']);
    expect(report.profile.rowCount).toBe(3);
    expect(report.profile.columns[1]!.topValues.map((top) => top.value).sort()).toEqual(['a;b', 'say "hi"', 'two\nlines']);
  });

  it('detects a file without a header', async () => {
    const report = await ingest(duck, csv(dir.write('nohead.csv', '1|2.5|x\n3|4.5|y\n5|6.5|z\n')));
    expect(report.csv).toMatchObject({ delimiter: '|', header: false });
    expect(report.schema).toEqual([
      { name: 'column0', type: 'BIGINT', kind: 'integer' },
      { name: 'column1', type: 'DOUBLE', kind: 'float' },
      { name: 'column2', type: 'VARCHAR', kind: 'string' },
    ]);
  });

  it('reads a tab-separated file and honours explicit options', async () => {
    const file = dir.write('tabs.csv', 'a\tb\n1\t2\n3\t4\n');
    expect((await ingest(duck, csv(file))).csv).toMatchObject({ delimiter: '\t', header: true });
    const forced = await ingest(duck, csv(file, { header: false }));
    expect(forced.csv?.header).toBe(false);
    expect(forced.profile.rowCount).toBe(3);
  });

  it('detects Latin-1, reads accents right and says so in a warning', async () => {
    const file = dir.write('latin.csv', Buffer.from('name,city\nJosé,München\nAnn,Paris\n', 'latin1'));
    const report = await ingest(duck, csv(file));
    expect(report.csv?.encoding).toBe('latin-1');
    expect(report.warnings.join('\n')).toMatch(/latin\.csv is not valid UTF-8 \(first at line 2\) and was read as Latin-1/);
    expect(report.profile.columns[1]!.min).toBe('München');
  });

  it('reads UTF-16 with a byte-order mark', async () => {
    const file = dir.write('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,n\nJosé,1\nZoë,2\n', 'utf16le')]));
    const report = await ingest(duck, csv(file));
    expect(report.csv?.encoding).toBe('utf-16');
    expect(report.profile.columns[0]!.topValues.map((top) => top.value)).toEqual(['José', 'Zoë']);
  });

  it('quotes with " even when the sniffed sample holds no quote, so a quoted field further down stays whole', async () => {
    const file = dir.write('latequote.csv', longCsv(30_000, (i) => (i === 25_000 ? '1,"x,y",3' : null)));
    const report = await ingest(duck, csv(file));
    expect(report.csv?.quote).toBe('"');
    expect(report.profile.rowCount).toBe(30_000);
  });
});
