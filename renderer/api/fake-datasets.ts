import type { WorkbenchApi } from '../../shared/api';
import type { DatasetFormat, DatasetVersion, ImageProfile, Lineage } from '../../shared/datasets';
import { WorkbenchError } from '../../shared/errors';
import type { WorkbenchEvent } from '../../shared/events';
import type { ExpectationSuite, ValidationReport } from '../../shared/expectations';
import { suggestExpectations } from '../../shared/suggest-expectations';
import { transformStepSchema } from '../../shared/transforms';
import { parseSuite } from '../../shared/suite-format';
import { ApiError } from './api-error';
import type { UploadFile, Uploader } from './connection';
import { createFakeJobs, type FakeJobs } from './fake-jobs';
import { displayCell, parseCsv, parseJsonLines, profileTable, type FakeTable } from './fake-table';
import { applyStep } from './fake-transform';
import { validateTable } from './fake-validate';

/** One stored version with the rows it "holds". */
export interface FakeStoredVersion {
  readonly version: DatasetVersion;
  readonly table: FakeTable;
  readonly reports: ValidationReport[];
}

/** The datasets half of the fake back end, exposed so tests and the demo can look inside. */
export interface FakeDatasets {
  /** By dataset name, oldest version first. */
  readonly datasets: Map<string, FakeStoredVersion[]>;
  readonly uploads: Map<string, { path: string; blob: Blob }[]>;
  readonly suites: Map<string, ExpectationSuite>;
  /** Runs that read a version, for lineage. */
  readonly runInputs: { runId: string; versionId: number; context?: string }[];
  readonly jobs: FakeJobs;
}

type DatasetOperation = Extract<keyof WorkbenchApi, `datasets.${string}` | `jobs.${string}` | `suites.${string}`>;
type RunLookup = (runId: string) => { id: string; name: string; status: string } | null;

const imagePattern = /\.(png|jpe?g|gif|bmp|webp)$/i;

/** An md5-shaped content id (FNV-1a, not md5: the fake only needs "same bytes, same id"). */
function fakeOid(text: string): string {
  let hex = '';
  for (let round = 0; round < 4; round += 1) {
    let hash = 0x811c9dc5 ^ round;
    for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
    hex += (hash >>> 0).toString(16).padStart(8, '0');
  }
  return hex;
}

/** PNG width and height from the IHDR chunk; JPEG and others count as unknown (0). */
async function imageSize(blob: Blob): Promise<{ width: number; height: number }> {
  const head = new DataView(await blob.slice(0, 24).arrayBuffer());
  if (head.byteLength >= 24 && head.getUint32(0) === 0x89504e47) return { width: head.getUint32(16), height: head.getUint32(20) };
  return { width: 0, height: 0 };
}

const stats = (values: readonly number[]): { min: number; max: number; mean: number } =>
  values.length === 0 ? { min: 0, max: 0, mean: 0 } : { min: Math.min(...values), max: Math.max(...values), mean: values.reduce((sum, value) => sum + value, 0) / values.length };

async function readUpload(files: readonly { path: string; blob: Blob }[], skipBadRows: boolean): Promise<{ table: FakeTable; format: DatasetFormat; images: ImageProfile | null; warnings: string[] }> {
  const tabular = files.filter((file) => /\.(csv|tsv|txt|jsonl|ndjson)$/i.test(file.path));
  const images = files.filter((file) => imagePattern.test(file.path));
  if (files.some((file) => /\.parquet$/i.test(file.path))) throw new Error('the demo back end cannot read Parquet; run `trainyard ui` for the real one');
  const first = tabular[0];
  if (!first) throw new Error(`no CSV or JSON-lines file among ${files.map((file) => file.path).join(', ')}`);
  const text = await first.blob.text();
  if (text.trim() === '') throw new Error(`'${first.path}' is empty`);
  if (/\u0000/.test(text.slice(0, 4096))) throw new Error(`'${first.path}' looks binary, not text`);
  const jsonl = /\.(jsonl|ndjson)$/i.test(first.path);
  const parsed = jsonl ? { table: parseJsonLines(text), skipped: 0 } : parseCsv(text, { skipBadRows, ...(/\.tsv$/i.test(first.path) ? { delimiter: '\t' } : {}) });
  const warnings = parsed.skipped > 0 ? [`Skipped ${parsed.skipped} rows with the wrong number of fields.`] : [];
  if (tabular.length > 1) warnings.push(`Only '${first.path}' was read as data by the demo back end.`);
  if (images.length === 0) return { table: parsed.table, format: jsonl ? 'jsonl' : 'csv', images: null, warnings };
  const sizes = await Promise.all(images.map((file) => imageSize(file.blob)));
  const labelIndex = Math.max(0, parsed.table.columns.findIndex((column) => /label|class/i.test(column.name)));
  const classes = new Map<string, number>();
  for (const row of parsed.table.rows) classes.set(String(row[labelIndex]), (classes.get(String(row[labelIndex])) ?? 0) + 1);
  const formats = new Map<string, number>();
  for (const file of images) formats.set(file.path.split('.').pop()!.toLowerCase(), (formats.get(file.path.split('.').pop()!.toLowerCase()) ?? 0) + 1);
  return {
    table: parsed.table,
    format: 'images',
    warnings,
    images: {
      imageCount: images.length,
      width: stats(sizes.map((size) => size.width)),
      height: stats(sizes.map((size) => size.height)),
      formats: [...formats].map(([value, count]) => ({ value, count })),
      classCounts: [...classes].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count),
    },
  };
}

export function createFakeDatasets(emit: (event: WorkbenchEvent) => void, runOf: RunLookup): { state: FakeDatasets; api: Pick<WorkbenchApi, DatasetOperation>; upload: Uploader } {
  let versionIds = 0;
  let reportIds = 0;
  const state: FakeDatasets = { datasets: new Map(), uploads: new Map(), suites: new Map(), runInputs: [], jobs: createFakeJobs(emit) };

  const stored = (dataset: string, version?: number): FakeStoredVersion => {
    const list = state.datasets.get(dataset);
    if (!list || list.length === 0) throw new ApiError('NOT_FOUND', `No dataset named '${dataset}'.`);
    const found = version === undefined ? list[list.length - 1] : list.find((entry) => entry.version.version === version);
    if (!found) throw new ApiError('NOT_FOUND', `Dataset '${dataset}' has no version ${version}.`);
    return found;
  };
  const rethrow = (error: unknown): never => {
    if (error instanceof WorkbenchError) throw new ApiError(error.code, error.message);
    throw error;
  };

  const addVersion = (name: string, table: FakeTable, details: Pick<DatasetVersion, 'format' | 'createdBy' | 'parents' | 'sourcePath' | 'warnings' | 'fileCount'> & { images?: ImageProfile | null; steps?: unknown[] }): DatasetVersion => {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) throw new ApiError('INVALID_ARGUMENT', `'${name}' is not a valid dataset name: use letters, digits, '.', '_' or '-', starting with a letter or digit.`);
    const text = JSON.stringify(table);
    const oid = fakeOid(text) + (details.fileCount > 1 ? '.dir' : '');
    const list = state.datasets.get(name) ?? [];
    const existing = list.find((entry) => entry.version.oid === oid);
    if (existing) return existing.version;
    versionIds += 1;
    const profile = { ...profileTable(table), images: details.images ?? null };
    const version: DatasetVersion = {
      id: versionIds, dataset: name, version: list.length + 1, oid, format: details.format, fileCount: details.fileCount, sizeBytes: text.length,
      rowCount: table.rows.length, schema: table.columns, profile, readOptions: { format: details.format, tabular: ['data'], csv: null },
      createdAt: Date.now(), createdBy: details.createdBy, sourcePath: details.sourcePath, parents: details.parents,
      steps: details.steps ?? null, fitted: null, warnings: details.warnings,
    };
    state.datasets.set(name, [...list, { version, table, reports: [] }]);
    emit({ name: 'dataset.changed', payload: { dataset: name, version: version.version } });
    return version;
  };

  const label = (value: DatasetVersion): string => `dataset:${value.dataset}@${value.version}`;

  const api: Pick<WorkbenchApi, DatasetOperation> = {
    'jobs.list': async () => [...state.jobs.jobs.values()].sort((a, b) => b.startedAt - a.startedAt),
    'jobs.cancel': async ({ id }) => (state.jobs.cancel(id), { ok: true as const }),
    'datasets.list': async () =>
      [...state.datasets].map(([name, list]) => {
        const latest = list[list.length - 1]!.version;
        return {
          id: list[0]!.version.id, name, description: '', createdAt: list[0]!.version.createdAt, updatedAt: latest.createdAt, latestVersion: latest.version,
          versionCount: list.length, latestRowCount: latest.rowCount, latestSizeBytes: latest.sizeBytes, latestFormat: latest.format,
        };
      }).sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name)),
    'datasets.versions': async ({ dataset }) => [...(state.datasets.get(dataset) ?? [])].reverse().map((entry) => entry.version),
    'datasets.version': async ({ dataset, version }) => stored(dataset, version).version,
    'datasets.import': async ({ source, name, csv }) => {
      if (source.kind === 'path') throw new ApiError('INVALID_ARGUMENT', `The demo back end cannot read '${source.path}' from disk; run \`trainyard ui\` or the desktop app to import paths.`);
      const files = state.uploads.get(source.uploadId);
      if (!files) throw new ApiError('NOT_FOUND', `No upload with id '${source.uploadId}'.`);
      const total = files.reduce((sum, file) => sum + file.blob.size, 0);
      const datasetName = name ?? files[0]!.path.split('/')[0]!.replace(/\.[^.]*$/, '');
      try {
        return await state.jobs.run({ kind: 'import', label: `Importing ${datasetName}`, unit: 'bytes', total, phase: 'hashing' }, async () => {
          const read = await readUpload(files, csv?.skipBadRows ?? false).catch((error: unknown) => {
            throw new ApiError('INVALID_ARGUMENT', `Could not import '${files[0]!.path}': ${error instanceof Error ? error.message : String(error)}`);
          });
          return addVersion(datasetName, read.table, { format: read.format, createdBy: { kind: 'user', detail: null }, parents: [], sourcePath: null, warnings: read.warnings, fileCount: files.length, images: read.images });
        }, label);
      } finally {
        state.uploads.delete(source.uploadId);
      }
    },
    'datasets.preview': async ({ dataset, version, offset = 0, limit = 200 }) => {
      const entry = stored(dataset, version);
      return { columns: entry.table.columns, rows: entry.table.rows.slice(offset, offset + limit).map((row) => row.map(displayCell)), offset, total: entry.table.rows.length };
    },
    'datasets.validate': async ({ dataset, version, suite }) => {
      const entry = stored(dataset, version);
      let parsed: ExpectationSuite;
      try {
        parsed = parseSuite(suite);
      } catch (error) {
        return rethrow(error);
      }
      return state.jobs.run({ kind: 'validate', label: `Validating ${dataset} with ${parsed.name}`, unit: 'items', total: parsed.expectations.length, phase: 'validating' }, () => {
        const result = validateTable(entry.table, parsed);
        reportIds += 1;
        const report: ValidationReport = { id: reportIds, dataset, version: entry.version.version, suiteName: parsed.name, success: result.success, createdAt: Date.now(), result };
        entry.reports.unshift(report);
        state.suites.set(parsed.name, parsed);
        return report;
      });
    },
    'datasets.reports': async ({ dataset, version }) => [...stored(dataset, version).reports],
    'datasets.suggestSuite': async ({ dataset, version, name }) => {
      const entry = stored(dataset, version);
      return suggestExpectations(entry.version.profile, name ?? `${entry.version.dataset}.suite`);
    },
    'datasets.transform': async ({ dataset, version, steps, outputName }) => {
      const parent = stored(dataset, version);
      return state.jobs.run({ kind: 'transform', label: `Transforming ${dataset}`, unit: 'steps', total: steps.length, phase: 'transforming' }, () => {
        let table = parent.table;
        transformStepSchema.array().parse(steps).forEach((step, index) => {
          try {
            table = applyStep(table, step);
          } catch (error) {
            throw new ApiError('INVALID_ARGUMENT', `Step ${index + 1} (${step.op}) failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        });
        return addVersion(outputName ?? dataset, table, {
          format: 'parquet', createdBy: { kind: 'transform', detail: null }, parents: [{ dataset: parent.version.dataset, version: parent.version.version }],
          sourcePath: null, warnings: [], fileCount: 1, steps,
        });
      }, label);
    },
    'datasets.lineage': async ({ dataset, version }) => lineageOf(state, stored(dataset, version).version, runOf),
    'suites.list': async () => [...state.suites.values()],
  };

  const upload: Uploader = async (files: readonly UploadFile[], options = {}) => {
    if (files.length === 0) throw new ApiError('INVALID_ARGUMENT', 'Nothing to upload: the drop held no files.', 'upload');
    const id = crypto.randomUUID();
    const bytesTotal = files.reduce((sum, file) => sum + file.file.size, 0);
    let bytesDone = 0;
    state.uploads.set(id, []);
    for (const [index, file] of files.entries()) {
      if (options.signal?.aborted) throw new ApiError('CONFLICT', 'Upload cancelled.', 'upload');
      state.uploads.get(id)!.push({ path: file.path, blob: file.file });
      bytesDone += file.file.size;
      options.onProgress?.({ bytesDone, bytesTotal, filesDone: index + 1, filesTotal: files.length });
    }
    return id;
  };

  return { state, api, upload };
}

function lineageOf(state: FakeDatasets, focus: DatasetVersion, runOf: RunLookup): Lineage {
  const all = [...state.datasets.values()].flat().map((entry) => entry.version);
  const key = (dataset: string, version: number): DatasetVersion | undefined => all.find((entry) => entry.dataset === dataset && entry.version === version);
  const edges = all.flatMap((child) => child.parents.flatMap((parent) => {
    const found = key(parent.dataset, parent.version);
    return found ? [{ from: found.id, to: child.id }] : [];
  }));
  const related = new Set([focus.id]);
  for (const direction of ['up', 'down'] as const) {
    const queue = [focus.id];
    while (queue.length > 0) {
      const id = queue.pop()!;
      for (const edge of edges) {
        const [here, there] = direction === 'up' ? [edge.to, edge.from] : [edge.from, edge.to];
        if (here === id && !related.has(there)) {
          related.add(there);
          queue.push(there);
        }
      }
    }
  }
  const inputs = state.runInputs.filter((input) => related.has(input.versionId));
  const runs = [...new Map(inputs.flatMap((input) => {
    const run = runOf(input.runId);
    return run ? [[run.id, run] as const] : [];
  })).values()];
  return {
    versions: all.filter((version) => related.has(version.id)).map((version) => ({ id: version.id, dataset: version.dataset, version: version.version, rowCount: version.rowCount, createdBy: version.createdBy })),
    runs,
    edges: [
      ...edges.filter((edge) => related.has(edge.from) && related.has(edge.to)).map((edge) => ({ from: `v:${edge.from}`, to: `v:${edge.to}` })),
      ...inputs.filter((input) => runs.some((run) => run.id === input.runId)).map((input) => ({ from: `v:${input.versionId}`, to: `r:${input.runId}` })),
    ],
  };
}
