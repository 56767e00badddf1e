import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck } from '../duckdb';
import { preview } from './preview';
import { FixtureDir } from './test-fixtures';

const dir = new FixtureDir();
let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open({ threads: 4 });
});
afterAll(() => {
  duck.close();
  dir.remove();
});

describe('preview', () => {
  it('pages through rows in file order, as display strings with nulls kept', async () => {
    const lines = ['n,half,label,day'];
    for (let i = 0; i < 50_000; i++) lines.push(`${i},${i / 2},${i % 7 === 0 ? '' : `r${i}`},2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
    const source = { format: 'csv' as const, files: [dir.write('rows', `${lines.join('\n')}\n`)], csv: { delimiter: ',', quote: '"', header: true, encoding: 'utf-8' as const } };
    const first = await preview(duck, source, 0, 3);
    expect(first.total).toBe(50_000);
    expect(first.columns.map((column) => column.kind)).toEqual(['integer', 'float', 'string', 'date']);
    expect(first.rows).toEqual([
      ['0', '0.0', null, '2024-01-01'],
      ['1', '0.5', 'r1', '2024-01-02'],
      ['2', '1.0', 'r2', '2024-01-03'],
    ]);
    // Deep pages stay in file order even though DuckDB reads the file on several threads.
    for (const offset of [20_000, 49_998]) {
      const page = await preview(duck, source, offset, 5);
      expect(page.offset).toBe(offset);
      expect(page.rows.map((row) => row[0])).toEqual(Array.from({ length: Math.min(5, 50_000 - offset) }, (_, k) => String(offset + k)));
    }
  });

  it('reads several Parquet files in the given order, and refuses a negative offset', async () => {
    const a = dir.file('pa');
    const b = dir.file('pb');
    await duck.run(`COPY (SELECT 'a' || i AS v FROM range(3) t(i)) TO '${a}' (FORMAT parquet)`);
    await duck.run(`COPY (SELECT 'b' || i AS v FROM range(3) t(i)) TO '${b}' (FORMAT parquet)`);
    const page = await preview(duck, { format: 'parquet', files: [b, a] }, 2, 3);
    expect(page).toMatchObject({ total: 6, rows: [['b2'], ['a0'], ['a1']] });
    await expect(preview(duck, { format: 'parquet', files: [a] }, -1, 3)).rejects.toThrow(/offset must be a whole number/);
  });
});
