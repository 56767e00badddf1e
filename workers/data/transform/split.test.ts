import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from '../../../shared/datasets';
import type { TransformStep } from '../../../shared/transforms';
import { Duck, sqlString } from '../duckdb';
import { transform } from './index';
import { csvText, openFixture, type Fixture } from './test-fixtures';

let fixture: Fixture;
beforeEach(async () => {
  fixture = await openFixture();
});
afterEach(async () => fixture.close());

const split = (fractions: Record<string, number>, seed = 42, stratify?: string): TransformStep => ({ op: 'split', fractions, seed, ...(stratify ? { stratify } : {}) });
const numbers = (n: number, label: (i: number) => string = () => 'x') => fixture.csv(csvText('id,label', Array.from({ length: n }, (_, i) => [i + 1, label(i)])));

async function partIds(result: Awaited<ReturnType<typeof transform>>): Promise<Record<string, number[]>> {
  const parts: Record<string, number[]> = {};
  for (const output of result.outputs) parts[output.part] = (await fixture.read(output.file)).map((row) => Number(row.id));
  return parts;
}

describe('split', () => {
  it('writes one file per part with largest-remainder counts, every row exactly once, in source order', async () => {
    const source = await numbers(10);
    const result = await transform(fixture.duck, source, [split({ train: 0.7, validation: 0.2, test: 0.1 })], fixture.outDir('out'));
    expect(result.fitted).toEqual([null]);
    expect(result.outputs.map(({ part, file, rowCount }) => [part, file, rowCount])).toEqual([
      ['train', join(fixture.dir, 'out', 'train.parquet'), 7],
      ['validation', join(fixture.dir, 'out', 'validation.parquet'), 2],
      ['test', join(fixture.dir, 'out', 'test.parquet'), 1],
    ]);
    expect(await fixture.list(join(fixture.dir, 'out'))).toEqual(['test.parquet', 'train.parquet', 'validation.parquet']);
    const parts = await partIds(result);
    for (const ids of Object.values(parts)) expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(Object.values(parts).flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('normalizes fractions; the rows left after flooring go to the largest remainders, ties to the earlier part', async () => {
    const seven = await numbers(7);
    const thirds = await transform(fixture.duck, seven, [split({ a: 1, b: 1, c: 1 })], fixture.outDir());
    expect(thirds.outputs.map((output) => output.rowCount)).toEqual([3, 2, 2]);
    const ten = await numbers(10);
    const quarters = await transform(fixture.duck, ten, [split({ train: 3, test: 1 })], fixture.outDir());
    expect(quarters.outputs.map((output) => output.rowCount)).toEqual([8, 2]);
    const uneven = await transform(fixture.duck, ten, [split({ a: 0.15, b: 0.15, c: 0.7 })], fixture.outDir());
    expect(uneven.outputs.map((output) => output.rowCount)).toEqual([2, 1, 7]);
  });

  it('is reproducible: the same seed gives byte-identical files, another seed another assignment', async () => {
    const source = await numbers(200);
    const fractions = { train: 0.8, test: 0.2 };
    const first = await transform(fixture.duck, source, [split(fractions, 7)], fixture.outDir());
    const again = await transform(fixture.duck, source, [split(fractions, 7)], fixture.outDir());
    for (const [i, output] of first.outputs.entries()) expect((await readFile(output.file)).equals(await readFile(again.outputs[i]!.file))).toBe(true);
    const other = await transform(fixture.duck, source, [split(fractions, 8)], fixture.outDir());
    const [a, b] = [await partIds(first), await partIds(other)];
    expect(b.test).toHaveLength(40);
    expect(b.test).not.toEqual(a.test);
  });

  it('does not depend on how many threads scan the data', async () => {
    // A Parquet source with many small row groups is scanned in parallel, in any order.
    const file = join(fixture.dir, 'wide');
    await fixture.duck.run(`COPY (SELECT i AS id, i % 5 AS label FROM range(1, 50001) r(i)) TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
    const source: DataSource = { format: 'parquet', files: [file] };
    const steps = [{ op: 'filter', where: 'id % 7 <> 0' }, split({ train: 0.6, validation: 0.25, test: 0.15 }, 3, 'label')] as TransformStep[];
    const single = await Duck.open({ threads: 1 });
    const many = await Duck.open({ threads: 8 });
    try {
      const one = await transform(single, source, steps, fixture.outDir());
      const eight = await transform(many, source, steps, fixture.outDir());
      for (const [i, output] of one.outputs.entries()) {
        expect(output.rowCount).toBe(eight.outputs[i]!.rowCount);
        expect(await fixture.read(output.file)).toEqual(await fixture.read(eight.outputs[i]!.file));
      }
    } finally {
      single.close();
      many.close();
    }
  });

  it('stratified: each class is split by the same fractions, rounded per class; NULL is a class', async () => {
    const label = (i: number) => (i < 60 ? 'a' : i < 90 ? 'b' : i < 95 ? 'c' : '');
    const source = await numbers(100, label);
    const result = await transform(fixture.duck, source, [split({ train: 0.7, test: 0.3 }, 42, 'label')], fixture.outDir());
    const counts: Record<string, Record<string, number>> = {};
    for (const output of result.outputs) {
      for (const row of await fixture.read(output.file)) {
        const key = String(row.label);
        counts[output.part] ??= {};
        counts[output.part]![key] = (counts[output.part]![key] ?? 0) + 1;
      }
    }
    // a: 60 → 42/18; b: 30 → 21/9; c: 5 → 3.5/1.5 → 4/1 (tie to train); NULL: 5 → 4/1.
    expect(counts).toEqual({ train: { a: 42, b: 21, c: 4, null: 4 }, test: { a: 18, b: 9, c: 1, null: 1 } });
    expect(result.outputs.map((output) => output.rowCount)).toEqual([71, 29]);
  });

  it('runs after other steps and writes empty parts when no row is left', async () => {
    const source = await numbers(5);
    const result = await transform(fixture.duck, source, [{ op: 'filter', where: 'id > 100' }, split({ train: 0.5, test: 0.5 })], fixture.outDir());
    expect(result.fitted).toEqual([null, null]);
    expect(result.outputs.map((output) => output.rowCount)).toEqual([0, 0]);
    expect(await fixture.types(result.outputs[0]!.file)).toEqual({ id: 'BIGINT', label: 'VARCHAR' });
  });

  it('reports mistakes by step, before reading data', async () => {
    const source = await numbers(5);
    const out = fixture.outDir('never');
    await expect(transform(fixture.duck, source, [split({ a: 1 }), { op: 'drop', columns: ['label'] }], out)).rejects.toThrow(
      'step 1 (split): split must be the last step, but 1 step(s) follow it',
    );
    await expect(transform(fixture.duck, source, [split({ train: 0.8, test: 0 })], out)).rejects.toThrow(
      'step 1 (split): the fraction of part "test" must be a positive number, not 0',
    );
    await expect(transform(fixture.duck, source, [split({ train: 0.8, test: -0.2 })], out)).rejects.toThrow(/"test" must be a positive number, not -0.2/);
    await expect(transform(fixture.duck, source, [split({})], out)).rejects.toThrow('step 1 (split): no parts given');
    await expect(transform(fixture.duck, source, [split({ '../x': 1 })], out)).rejects.toThrow(/part name "..\/x" must be letters, digits/);
    await expect(transform(fixture.duck, source, [split({ Train: 1, train: 1 })], out)).rejects.toThrow(/part name "train" is used twice/);
    await expect(transform(fixture.duck, source, [{ op: 'drop', columns: ['label'] }, split({ a: 1, b: 1 }, 1, 'label')], out)).rejects.toThrow(
      'step 2 (split): unknown stratify column "label"; available: "id"',
    );
    expect(await fixture.list(fixture.dir)).not.toContain('never');
  });
});
