import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck } from '../../data/duckdb';
import { loadTable } from './load-table';

const dir = mkdtempSync(join(tmpdir(), 'trainyard-load-'));
const csv = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return { format: 'csv' as const, files: [file] };
};
let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => {
  duck.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('loading a table for training', () => {
  it('builds a row-major Float32 matrix and int64 class labels in file order', async () => {
    const table = await loadTable(duck, csv('iris', 'a,b,species,note\n1,2,setosa,x\n3,4,virginica,y\n5,6,setosa,z\n'), { target: 'species' });
    expect(table.featureNames).toEqual(['a', 'b']);
    expect([...table.features]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(table.target).toEqual({ kind: 'classes', labels: BigInt64Array.from([0n, 1n, 0n]), classes: ['setosa', 'virginica'] });
  });

  it('infers regression for a continuous target and classification for few whole numbers', async () => {
    expect((await loadTable(duck, csv('r', 'x,y\n1,0.5\n2,1.5\n3,2.25\n'), { target: 'y' })).target).toEqual({ kind: 'values', values: Float32Array.from([0.5, 1.5, 2.25]) });
    const classes = await loadTable(duck, csv('c', 'x,y\n1,10\n2,2\n3,10\n'), { target: 'y' });
    expect(classes.target.kind === 'classes' && classes.target.classes).toEqual(['2', '10']);
  });

  it('refuses bad input with a fix', async () => {
    await expect(loadTable(duck, csv('u', 'x,y\n1,a\n2,b\n'), { target: 'z' })).rejects.toThrow(/Unknown target column 'z'; the columns are x, y/);
    await expect(loadTable(duck, csv('t', 'x,y\n1,a\n,b\n'), { target: 'y' })).rejects.toThrow(/Feature 'x' has 1 missing or NaN value\(s\): impute/);
    await expect(loadTable(duck, csv('s', 'x,y\n1,a\n2,a\n'), { target: 'y' })).rejects.toThrow(/single class/);
    await expect(loadTable(duck, csv('n', 'x,y,z\n1,a,q\n2,b,r\n'), { target: 'y', features: ['x', 'z'] })).rejects.toThrow(/Feature 'z' is VARCHAR, not numeric: encode it first/);
    await expect(loadTable(duck, csv('g', 'x,y\n1,a\n2,b\n'), { target: 'y', task: 'regression' })).rejects.toThrow(/Regression needs a numeric target/);
  });
});
