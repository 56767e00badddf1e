import { describe, expect, it } from 'vitest';
import { detectLayout } from './detect-format';

describe('detecting what a dropped set of files is', () => {
  it('reads several files of one format as one table, TSV included', () => {
    expect(detectLayout(['a.csv', 'b.CSV', 'README.md'])).toMatchObject({ format: 'csv', tabular: ['a.csv', 'b.CSV'], ignored: ['README.md'], tsv: false });
    expect(detectLayout(['x.tsv'])).toMatchObject({ format: 'csv', tsv: true });
    expect(detectLayout(['part-0.parquet', 'part-1.pq'])).toMatchObject({ format: 'parquet' });
    expect(detectLayout(['events.jsonl'])).toMatchObject({ format: 'jsonl' });
  });

  it('recognizes an image folder with its labels file', () => {
    expect(detectLayout(['cats/1.png', 'dogs/2.jpg', 'labels.csv'])).toMatchObject({ format: 'images', tabular: ['labels.csv'], images: ['cats/1.png', 'dogs/2.jpg'] });
    expect(() => detectLayout(['1.png', '2.png'])).toThrow(/no labels file/);
  });

  it('refuses mixed formats, archives and folders without data, saying why', () => {
    expect(() => detectLayout(['a.csv', 'b.parquet'])).toThrow(/different formats \(csv: a\.csv; parquet: b\.parquet\)/);
    expect(() => detectLayout(['data.zip'])).toThrow(/Archives are not imported/);
    expect(() => detectLayout(['notes.md'])).toThrow(/No data files found/);
  });
});
