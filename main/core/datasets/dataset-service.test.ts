import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatasetVersion, Lineage } from '../../../shared/datasets';
import type { ValidationReport } from '../../../shared/expectations';
import { openTestWorkbench, tempHome } from '../testing/temp-home';
import type { Workbench } from '../workbench';
import { exportFiles } from './dataset-export';

let workbench: Workbench;
let files: { path: string; remove(): void };
beforeEach(async () => {
  workbench = await openTestWorkbench();
  files = tempHome('trainyard-data-');
});
afterEach(async () => {
  await workbench.dispose();
  files.remove();
});

async function call<T>(operation: string, input: unknown): Promise<T> {
  const result = await workbench.dispatch(operation, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.result as T;
}

function write(relpath: string, content: string): string {
  const path = join(files.path, relpath);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

function objectCount(): number {
  const base = join(workbench.layout.objects, 'files', 'md5');
  if (!existsSync(base)) return 0;
  return readdirSync(base).reduce((sum, prefix) => sum + readdirSync(join(base, prefix)).length, 0);
}

const iris = 'sepal,petal,species\n5.1,1.4,setosa\n4.9,1.4,setosa\n6.3,4.9,virginica\n5.8,,versicolor\n';

describe('importing datasets', () => {
  it('makes an immutable version with schema and profile; identical content gives it back', async () => {
    const path = write('iris.csv', iris);
    const first = await call<DatasetVersion>('datasets.import', { source: { kind: 'path', path } });
    expect(first).toMatchObject({ dataset: 'iris', version: 1, format: 'csv', rowCount: 4, fileCount: 1 });
    expect(first.schema.map((column) => column.name)).toEqual(['sepal', 'petal', 'species']);
    const petal = first.profile.columns.find((column) => column.name === 'petal')!;
    expect(petal).toMatchObject({ nullCount: 1, count: 3 });
    expect(existsSync(workbench.objects.pathOf(first.oid))).toBe(true);

    const again = await call<DatasetVersion>('datasets.import', { source: { kind: 'path', path } });
    expect(again.id).toBe(first.id);
    writeFileSync(path, `${iris}7.7,6.7,virginica\n`);
    const second = await call<DatasetVersion>('datasets.import', { source: { kind: 'path', path } });
    expect(second).toMatchObject({ version: 2, rowCount: 5 });
    expect((await call<Array<{ name: string; latestVersion: number; versionCount: number }>>('datasets.list', {}))[0]).toMatchObject({ name: 'iris', latestVersion: 2, versionCount: 2 });
    const page = await call<{ rows: Array<Array<string | null>>; total: number }>('datasets.preview', { dataset: 'iris', version: 1, offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.rows).toHaveLength(2);
  });

  it('versions a folder as a DVC directory object and exports it back byte for byte', async () => {
    write('sales/2023.csv', 'region,amount\nnorth,10\nsouth,20\n');
    write('sales/2024.csv', 'region,amount\nnorth,30\n');
    const version = await call<DatasetVersion>('datasets.import', { source: { kind: 'path', path: join(files.path, 'sales') } });
    expect(version.oid).toMatch(/^[0-9a-f]{32}\.dir$/);
    expect(version).toMatchObject({ fileCount: 2, rowCount: 3 });
    const out = join(files.path, 'export');
    await exportFiles(workbench.datasets.rows.files(version.id), workbench.objects, out);
    expect(readFileSync(join(out, '2024.csv'), 'utf8')).toBe('region,amount\nnorth,30\n');
    await expect(exportFiles(workbench.datasets.rows.files(version.id), workbench.objects, out)).rejects.toThrow(/already exists/);
  });

  it('is atomic: a file that fails to ingest leaves no version and no objects', async () => {
    const path = write('ragged.csv', 'a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n');
    const before = objectCount();
    await expect(call('datasets.import', { source: { kind: 'path', path } })).rejects.toThrow(/ragged\.csv line 3: expected 3 fields, found 4/);
    expect(objectCount()).toBe(before);
    expect(await call('datasets.list', {})).toEqual([]);
    const skipped = await call<DatasetVersion>('datasets.import', { source: { kind: 'path', path }, csv: { skipBadRows: true } });
    expect(skipped.rowCount).toBe(2);
    // Later reads of the version skip the same rows instead of failing on them.
    const page = await call<{ rows: unknown[]; total: number }>('datasets.preview', { dataset: 'ragged' });
    expect(page.total).toBe(2);
  });

  it('imports browser uploads and removes them afterwards', async () => {
    const uploadId = await workbench.uploads.create();
    await workbench.uploads.write(uploadId, 'dropped.csv', Readable.from([Buffer.from('x,y\n1,2\n')]));
    const version = await call<DatasetVersion>('datasets.import', { source: { kind: 'upload', uploadId }, name: 'dropped' });
    expect(version).toMatchObject({ dataset: 'dropped', rowCount: 1 });
    await expect(call('datasets.import', { source: { kind: 'upload', uploadId } })).rejects.toThrow(/NOT_FOUND/);
    await expect(workbench.uploads.write(await workbench.uploads.create(), '../escape.csv', Readable.from([]))).rejects.toThrow(/not a valid path/);
  });

  it('writes a DVC 3 .dvc file beside a source inside a git repository', async () => {
    execFileSync('git', ['init', '-q', files.path]);
    const path = write('data.csv', 'a\n1\n');
    const version = await call<DatasetVersion>('datasets.import', { source: { kind: 'path', path }, writeDvcFile: true });
    expect(readFileSync(`${path}.dvc`, 'utf8')).toBe(`outs:\n- md5: ${version.oid}\n  size: 4\n  hash: md5\n  path: data.csv\n`);
  });
});

describe('derived versions, validation and lineage', () => {
  it('transforms with lineage and fitted statistics, validates, and reports', async () => {
    const path = write('iris.csv', iris);
    await call('datasets.import', { source: { kind: 'path', path } });
    const derived = await call<DatasetVersion>('datasets.transform', {
      dataset: 'iris',
      steps: [
        { op: 'impute', columns: ['petal'], strategy: 'mean' },
        { op: 'scale', columns: ['sepal'], method: 'minmax' },
      ],
      outputName: 'iris-clean',
    });
    expect(derived).toMatchObject({ dataset: 'iris-clean', version: 1, format: 'parquet', rowCount: 4, parents: [{ dataset: 'iris', version: 1 }] });
    expect(derived.fitted).toHaveLength(2);
    expect(derived.profile.columns.find((column) => column.name === 'petal')?.nullCount).toBe(0);

    const run = workbench.tracking.createRun({ name: 'fit' });
    await call('runs.logInputs', { runId: run.id, inputs: [{ dataset: 'iris-clean' }] });
    const lineage = await call<Lineage>('datasets.lineage', { dataset: 'iris' });
    expect(lineage.versions.map((v) => `${v.dataset}@${v.version}`)).toEqual(['iris@1', 'iris-clean@1']);
    expect(lineage.runs.map((r) => r.name)).toEqual(['fit']);
    expect(lineage.edges).toEqual([
      { from: `v:${lineage.versions[0]!.id}`, to: `v:${derived.id}` },
      { from: `v:${derived.id}`, to: `r:${run.id}` },
    ]);

    const suite = await call<{ name: string; expectations: unknown[] }>('datasets.suggestSuite', { dataset: 'iris-clean' });
    expect(suite.expectations.length).toBeGreaterThan(0);
    const passing = await call<ValidationReport>('datasets.validate', { dataset: 'iris-clean', suite });
    expect(passing.success).toBe(true);
    const failing = await call<ValidationReport>('datasets.validate', {
      dataset: 'iris',
      suite: { expectation_suite_name: 'strict', expectations: [{ expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'petal' } }] },
    });
    expect(failing.success).toBe(false);
    expect(failing.result.results[0]!.result).toMatchObject({ unexpected_count: 1 });
    expect((await call<ValidationReport[]>('datasets.reports', { dataset: 'iris' })).map((report) => report.suiteName)).toEqual(['strict']);
  });

  it('keeps dataset objects when trashed runs are purged', async () => {
    const version = await call<DatasetVersion>('datasets.import', { source: { kind: 'path', path: write('keep.csv', 'a\n1\n') } });
    const run = workbench.tracking.createRun({});
    workbench.tracking.setDeleted(run.id, true);
    await call('runs.purge', {});
    expect(existsSync(workbench.objects.pathOf(version.oid))).toBe(true);
  });
});
