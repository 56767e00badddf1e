import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from '../../../shared/datasets';
import { oneHotColumnNames, transform } from './index';
import { openFixture, type Fixture } from './test-fixtures';

let fixture: Fixture;
let data: DataSource;

beforeEach(async () => {
  fixture = await openFixture();
  // x: 1,2,3 and a NULL; n: integers with a NULL; city: strings with a tie for the mode; flag: booleans.
  data = await fixture.csv('x,n,city,flag\n1,10,Paris,true\n2,,Oslo,\n3,20,Oslo,false\n,40,Paris,false\n');
});
afterEach(async () => fixture.close());

const run = async (steps: Parameters<typeof transform>[2], source = data) => {
  const result = await transform(fixture.duck, source, steps, fixture.outDir());
  return { ...result, rows: await fixture.read(result.outputs[0]!.file), types: await fixture.types(result.outputs[0]!.file) };
};

describe('impute', () => {
  it('mean: fills with the mean of the non-NULL values; the column becomes DOUBLE', async () => {
    const { rows, fitted, types } = await run([{ op: 'impute', columns: ['x', 'n'], strategy: 'mean' }]);
    expect(fitted).toEqual([{ op: 'impute', values: { x: 2, n: 70 / 3 } }]);
    expect(rows.map((row) => row.x)).toEqual([1, 2, 3, 2]);
    expect(rows.map((row) => row.n)).toEqual([10, 70 / 3, 20, 40]);
    expect(types.n).toBe('DOUBLE');
  });

  it('median: the middle value, or the mean of the two middle ones', async () => {
    const { rows, fitted } = await run([{ op: 'impute', columns: ['x', 'n'], strategy: 'median' }]);
    expect(fitted).toEqual([{ op: 'impute', values: { x: 2, n: 20 } }]);
    expect(rows.map((row) => row.n)).toEqual([10, 20, 20, 40]);
    const even = await fixture.csv('v\n1\n2\n3\n10\n\n');
    expect((await run([{ op: 'impute', columns: ['v'], strategy: 'median' }], even)).fitted).toEqual([{ op: 'impute', values: { v: 2.5 } }]);
  });

  it('mode: the most frequent value, ties to the smallest; the column keeps its type', async () => {
    const source = await fixture.csv('city,flag,k\nParis,true,3\nOslo,,3\nOslo,false,\nParis,false,5\n,true,5\n');
    const { rows, fitted, types } = await run([{ op: 'impute', columns: ['city', 'flag', 'k'], strategy: 'mode' }], source);
    expect(fitted).toEqual([{ op: 'impute', values: { city: 'Oslo', flag: false, k: 3 } }]);
    expect(rows.map((row) => [row.city, row.flag, row.k])).toEqual([
      ['Paris', true, 3],
      ['Oslo', false, 3],
      ['Oslo', false, 3],
      ['Paris', false, 5],
      ['Oslo', true, 5],
    ]);
    expect(types).toEqual({ city: 'VARCHAR', flag: 'BOOLEAN', k: 'BIGINT' });
  });

  it('constant: fills with the value converted to the column type', async () => {
    const { rows, fitted, types } = await run([
      { op: 'impute', columns: ['n'], strategy: 'constant', value: 0 },
      { op: 'impute', columns: ['flag'], strategy: 'constant', value: true },
    ]);
    expect(fitted).toEqual([
      { op: 'impute', values: { n: 0 } },
      { op: 'impute', values: { flag: true } },
    ]);
    expect(rows.map((row) => [row.n, row.flag])).toEqual([
      [10, true],
      [0, true],
      [20, false],
      [40, false],
    ]);
    expect(types.n).toBe('BIGINT');
  });

  it('an all-NULL column has nothing to fill with: it stays NULL and the fitted value is null', async () => {
    const source = await fixture.csv('a,b\n1,\n2,\n');
    const { rows, fitted } = await run([{ op: 'cast', types: { b: 'float' } }, { op: 'impute', columns: ['b'], strategy: 'mean' }], source);
    expect(fitted[1]).toEqual({ op: 'impute', values: { b: null } });
    expect(rows.map((row) => row.b)).toEqual([null, null]);
  });

  it('rejects mean/median on a non-numeric column, and constants that do not fit', async () => {
    await expect(run([{ op: 'impute', columns: ['city'], strategy: 'median' }])).rejects.toThrow(
      'step 1 (impute): strategy "median" needs a numeric column, but "city" is VARCHAR (use "mode" or "constant")',
    );
    await expect(run([{ op: 'impute', columns: ['n'], strategy: 'constant', value: 'none' }])).rejects.toThrow(
      'step 1 (impute): the constant "none" is not a valid BIGINT for column "n"',
    );
    await expect(run([{ op: 'impute', columns: ['n'], strategy: 'constant' }])).rejects.toThrow('step 1 (impute): strategy "constant" needs a value');
  });
});

describe('scale', () => {
  it('standard: population std, as scikit-learn', async () => {
    const source = await fixture.csv('v,w\n1,5\n2,5\n3,5\n');
    const { rows, fitted, types } = await run([{ op: 'scale', columns: ['v', 'w'], method: 'standard' }], source);
    const fit = fitted[0];
    if (fit?.op !== 'scale') throw new Error('expected a scale fit');
    expect(fit.method).toBe('standard');
    expect(fit.columns.v!.center).toBe(2);
    expect(fit.columns.v!.scale).toBeCloseTo(Math.sqrt(2 / 3), 15);
    // A constant column has std 0: scale 1, so it becomes all zeros rather than NaN.
    expect(fit.columns.w).toEqual({ center: 5, scale: 1 });
    expect(rows.map((row) => row.v as number)).toEqual([expect.closeTo(-1.2247448714, 9), 0, expect.closeTo(1.2247448714, 9)]);
    expect(rows.map((row) => row.w)).toEqual([0, 0, 0]);
    expect(types).toEqual({ v: 'DOUBLE', w: 'DOUBLE' });
  });

  it('minmax: center = min, scale = max − min; NULLs stay NULL', async () => {
    const { rows, fitted } = await run([{ op: 'scale', columns: ['n'], method: 'minmax' }]);
    expect(fitted).toEqual([{ op: 'scale', method: 'minmax', columns: { n: { center: 10, scale: 30 } } }]);
    expect(rows.map((row) => row.n)).toEqual([0, null, 1 / 3, 1]);
  });

  it('fits on the rows left by earlier steps', async () => {
    const { fitted } = await run([{ op: 'filter', where: 'n IS NOT NULL' }, { op: 'impute', columns: ['x'], strategy: 'constant', value: 6 }, { op: 'scale', columns: ['x'], method: 'minmax' }]);
    expect(fitted[2]).toEqual({ op: 'scale', method: 'minmax', columns: { x: { center: 1, scale: 5 } } });
  });

  it('rejects non-numeric columns', async () => {
    await expect(run([{ op: 'scale', columns: ['x', 'city'], method: 'standard' }])).rejects.toThrow(
      'step 1 (scale): column "city" is VARCHAR; only numeric columns can be scaled',
    );
  });
});

describe('encode', () => {
  it('onehot: one DOUBLE 0/1 column per sorted category, in place; NULL → all zeros', async () => {
    const source = await fixture.csv('id,city,z\n1,Paris,a\n2,New York,b\n3,,c\n4,Paris,d\n5,(none),e\n');
    const { rows, fitted, types } = await run([{ op: 'encode', columns: ['city'], method: 'onehot' }], source);
    expect(fitted).toEqual([
      { op: 'encode', method: 'onehot', categories: { city: ['(none)', 'New York', 'Paris'] }, outputColumns: { city: ['city_none', 'city_New_York', 'city_Paris'] } },
    ]);
    expect(Object.keys(types)).toEqual(['id', 'city_none', 'city_New_York', 'city_Paris', 'z']);
    expect(Object.values(types).slice(1, 4)).toEqual(['DOUBLE', 'DOUBLE', 'DOUBLE']);
    expect(rows.map((row) => [row.city_none, row.city_New_York, row.city_Paris])).toEqual([
      [0, 0, 1],
      [0, 1, 0],
      [0, 0, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it('onehot names stay unique against existing columns and each other', () => {
    const taken = new Set(['id', 'c_a']);
    expect(oneHotColumnNames('c', ['a', 'A', 'a b', 'a-b', '', 'été'], taken)).toEqual(['c_a_2', 'c_A_3', 'c_a_b', 'c_a_b_2', 'c_', 'c_été']);
  });

  it('ordinal: 0…n−1 in the column’s own sort order (numbers numerically); NULL stays NULL', async () => {
    const source = await fixture.csv('size,city\n10,b\n9,a\n100,\n9,c\n,a\n');
    const { rows, fitted, types } = await run([{ op: 'encode', columns: ['size', 'city'], method: 'ordinal' }], source);
    expect(fitted).toEqual([
      { op: 'encode', method: 'ordinal', categories: { size: ['9', '10', '100'], city: ['a', 'b', 'c'] }, outputColumns: { size: ['size'], city: ['city'] } },
    ]);
    expect(rows.map((row) => [row.size, row.city])).toEqual([
      [1, 1],
      [0, 0],
      [2, null],
      [0, 2],
      [null, 0],
    ]);
    expect(types).toEqual({ size: 'BIGINT', city: 'BIGINT' });
  });

  it('refuses one-hot encoding of more than 1,000 categories', async () => {
    const lines = Array.from({ length: 1001 }, (_, i) => `${i},c${i}`);
    const source = await fixture.csv(`id,code\n${lines.join('\n')}\n`);
    await expect(run([{ op: 'encode', columns: ['code'], method: 'onehot' }], source)).rejects.toThrow(
      'step 1 (encode): column "code" has 1,001 categories; onehot encoding allows at most 1,000 (use ordinal encoding, or group rare values first)',
    );
    const { fitted } = await run([{ op: 'encode', columns: ['code'], method: 'ordinal' }], source);
    expect(fitted[0]?.op === 'encode' && fitted[0].categories.code!.length).toBe(1001);
  });
});

describe('chains', () => {
  it('impute → scale → encode → derive, with fitted stats per step in order', async () => {
    const { rows, fitted } = await run([
      { op: 'drop', columns: ['flag'] },
      { op: 'impute', columns: ['x'], strategy: 'median' },
      { op: 'scale', columns: ['x'], method: 'minmax' },
      { op: 'impute', columns: ['city'], strategy: 'constant', value: 'unknown' },
      { op: 'encode', columns: ['city'], method: 'onehot' },
      { op: 'derive', column: 'both', expression: 'x + city_Oslo' },
    ]);
    expect(fitted).toEqual([
      null,
      { op: 'impute', values: { x: 2 } },
      { op: 'scale', method: 'minmax', columns: { x: { center: 1, scale: 2 } } },
      { op: 'impute', values: { city: 'unknown' } },
      { op: 'encode', method: 'onehot', categories: { city: ['Oslo', 'Paris'] }, outputColumns: { city: ['city_Oslo', 'city_Paris'] } },
      null,
    ]);
    expect(rows).toEqual([
      { x: 0, n: 10, city_Oslo: 0, city_Paris: 1, both: 0 },
      { x: 0.5, n: null, city_Oslo: 1, city_Paris: 0, both: 1.5 },
      { x: 1, n: 20, city_Oslo: 1, city_Paris: 0, both: 2 },
      { x: 0.5, n: 40, city_Oslo: 0, city_Paris: 1, both: 0.5 },
    ]);
  });
});
