import type { WorkbenchApi } from '../../shared/api';
import type { WorkbenchEvent } from '../../shared/events';
import type { ArtifactEntry, Experiment, Run, RunInfo, Series, SeriesPoint } from '../../shared/tracking';
import { toColumns } from '../../shared/series-columns';
import { ApiError } from './api-error';
import type { Connection, ConnectionState, EventListener } from './connection';
import { createFakeDatasets, type FakeDatasets } from './fake-datasets';
import { fieldOf, matchesFakeFilter, parseFakeFilter } from './fake-filter';
import { createFakePipelines, type FakePipelines } from './fake-pipelines';
import { createFakeRegistry, type FakeRegistry } from './fake-registry';
import { createFakeSync, type FakeSync } from './fake-sync';

interface StoredArtifact {
  readonly content: string;
  readonly encoding: 'utf8' | 'base64';
  readonly mediaType: string;
}

/** The fake's state, exposed so tests can look inside. */
export interface FakeBackend {
  readonly experiments: Map<string, Experiment>;
  readonly runs: Map<string, Run>;
  readonly points: Map<string, { step: number; value: number; timestamp: number }[]>;
  readonly artifacts: Map<string, Map<string, StoredArtifact>>;
  /** Pushes an event to every subscriber, as main would. */
  emit(event: WorkbenchEvent): void;
  /** Every call made, in order, so tests can assert what the UI asked for. */
  readonly calls: { operation: string; input: unknown }[];
  /** Datasets, uploads, suites and jobs. */
  readonly datasets: FakeDatasets;
  /** Registered models, their versions and history. */
  readonly registry: FakeRegistry;
  /** Pipelines, their DAG runs and attempt logs. */
  readonly pipelines: FakePipelines;
  /** Team buckets, their syncs and conflicts. */
  readonly sync: FakeSync;
}

const mediaTypes: Record<string, string> = {
  json: 'application/json', csv: 'text/csv', txt: 'text/plain', log: 'text/plain', md: 'text/markdown', yaml: 'text/yaml',
  png: 'image/png', svg: 'image/svg+xml', jpg: 'image/jpeg', onnx: 'application/octet-stream',
};

/**
 * An in-memory back end that honours the contract closely enough for store tests and the
 * `?demo` mode: it emits the same events main does after each write.
 */
export function createFakeConnection(): Connection & { backend: FakeBackend } {
  const listeners = new Set<EventListener>();
  let counter = 0;
  const now = (): number => Date.now();
  const emit = (event: WorkbenchEvent): void => queueMicrotask(() => listeners.forEach((listener) => listener(event)));
  const runs = new Map<string, Run>();
  const datasets = createFakeDatasets(emit, (runId) => {
    const run = runs.get(runId);
    return run && !run.deleted ? { id: run.id, name: run.name, status: run.status } : null;
  });
  const artifacts = new Map<string, Map<string, StoredArtifact>>();
  const registry = createFakeRegistry(emit, {
    runExists: (runId) => runs.has(runId),
    modelFiles: (runId, artifactPath) => {
      const prefix = `${artifactPath}/`;
      return [...(artifacts.get(runId) ?? new Map<string, StoredArtifact>())]
        .filter(([path]) => path.startsWith(prefix))
        .map(([path, file]) => ({ relpath: path.slice(prefix.length), content: file.content }));
    },
    inputsOf: (runId) => {
      const versions = [...datasets.state.datasets.values()].flat().map((entry) => entry.version);
      return datasets.state.runInputs.flatMap((input) => {
        const version = input.runId === runId ? versions.find((candidate) => candidate.id === input.versionId) : undefined;
        return version ? [{ dataset: version.dataset, version: version.version, context: input.context ?? 'train' }] : [];
      });
    },
  });
  const pipelines = createFakePipelines(emit);
  const sync = createFakeSync(emit);
  const backend: FakeBackend = {
    experiments: new Map([['0', { id: '0', name: 'Default', lifecycleStage: 'active', createdAt: now(), updatedAt: now(), tags: {}, runCount: 0 }]]),
    runs,
    points: new Map(),
    artifacts,
    emit,
    calls: [],
    datasets: datasets.state,
    registry: registry.state,
    pipelines: pipelines.state,
    sync: sync.state,
  };
  const requireRun = (id: string): Run => {
    const run = backend.runs.get(id);
    if (!run) throw new ApiError('NOT_FOUND', `Run '${id}' does not exist.`);
    return run;
  };
  /** Walks up the parent links; the visited set stops on a cycle, as the real CTE does. */
  const isBelow = (run: Run, ancestorId: string): boolean => {
    const seen = new Set<string>();
    for (let parent = run.parentRunId; parent !== null && !seen.has(parent); parent = backend.runs.get(parent)?.parentRunId ?? null) {
      if (parent === ancestorId) return true;
      seen.add(parent);
    }
    return false;
  };
  const infoOf = ({ params: _p, tags: _t, metrics: _m, ...info }: Run): RunInfo => info;
  const bumpCount = (experimentId: string, delta: number): void => {
    const experiment = backend.experiments.get(experimentId);
    if (!experiment) return;
    const changed = { ...experiment, runCount: experiment.runCount + delta, updatedAt: now() };
    backend.experiments.set(experimentId, changed);
    backend.emit({ name: 'experiment.changed', payload: { experiment: changed } });
  };
  /** Buckets of equal width over the steps in the window, like the level-of-detail read. */
  const fakeSeries = ({ runId, key, maxPoints = 1000, minStep, maxStep }: { runId: string; key: string; maxPoints?: number; minStep?: number; maxStep?: number }): Series => {
    const list = (backend.points.get(`${runId}\u0000${key}`) ?? []).filter((point) => (minStep === undefined || point.step >= minStep) && (maxStep === undefined || point.step <= maxStep));
    const width = Math.max(1, Math.ceil(list.length / maxPoints));
    const points: SeriesPoint[] = [];
    for (let start = 0; start < list.length; start += width) {
      const bucket = list.slice(start, start + width);
      const finite = bucket.map((point) => point.value).filter(Number.isFinite);
      const last = bucket[bucket.length - 1]!;
      points.push({
        step: last.step, firstStep: bucket[0]!.step, value: last.value, count: bucket.length, nanCount: bucket.length - finite.length,
        min: finite.length ? Math.min(...finite) : null, max: finite.length ? Math.max(...finite) : null, timestamp: last.timestamp,
      });
    }
    return { runId, key, bucketWidth: width, totalCount: list.length, points };
  };
  const api: WorkbenchApi = {
    'app.info': async () => ({ version: '0.0.0-fake', home: '/tmp/trainyard-fake', platform: 'fake', shell: 'browser', mlflowTrackingUri: null }),
    'app.probe': async () => {
      throw new ApiError('UNAVAILABLE', 'The fake back end has no hardware probe.');
    },
    'experiments.list': async () => [...backend.experiments.values()].filter((experiment) => experiment.lifecycleStage === 'active'),
    'experiments.get': async ({ id }) => {
      const experiment = backend.experiments.get(id);
      if (!experiment) throw new ApiError('NOT_FOUND', `Experiment '${id}' does not exist.`);
      return experiment;
    },
    'experiments.create': async ({ name, tags }) => {
      const trimmed = name.trim();
      if ([...backend.experiments.values()].some((experiment) => experiment.name === trimmed)) {
        throw new ApiError('ALREADY_EXISTS', `An experiment named '${trimmed}' already exists.`);
      }
      const id = String(backend.experiments.size);
      const experiment: Experiment = { id, name: trimmed, lifecycleStage: 'active', createdAt: now(), updatedAt: now(), tags: tags ?? {}, runCount: 0 };
      backend.experiments.set(id, experiment);
      backend.emit({ name: 'experiment.changed', payload: { experiment } });
      return experiment;
    },
    'experiments.rename': async ({ id, name }) => {
      const experiment = { ...(await api['experiments.get']({ id })), name };
      backend.experiments.set(id, experiment);
      return experiment;
    },
    'experiments.delete': async () => ({ ok: true }),
    'experiments.restore': async () => ({ ok: true }),
    'runs.create': async (input) => {
      counter += 1;
      const id = counter.toString(16).padStart(32, '0');
      const experimentId = input.experimentId ?? '0';
      const run: Run = {
        id, name: input.name ?? `run-${counter}`, experimentId, parentRunId: input.parentRunId ?? null, status: 'RUNNING',
        startTime: input.startTime ?? now() + counter, endTime: null, deleted: false, childCount: 0, source: input.source ?? null, environment: null,
        params: Object.fromEntries((input.params ?? []).map(({ key, value }) => [key, value])),
        tags: Object.fromEntries((input.tags ?? []).map(({ key, value }) => [key, value])),
        metrics: {},
      };
      backend.runs.set(id, run);
      if (run.parentRunId) {
        const parent = requireRun(run.parentRunId);
        backend.runs.set(parent.id, { ...parent, childCount: parent.childCount + 1 });
      }
      bumpCount(experimentId, 1);
      backend.emit({ name: 'run.created', payload: { run: infoOf(run) } });
      return run;
    },
    'runs.get': async ({ id }) => requireRun(id),
    'runs.search': async (input) => {
      const comparisons = parseFakeFilter(input.filter ?? '');
      let runs = [...backend.runs.values()].filter((run) => !run.deleted);
      if (input.experimentIds?.length) runs = runs.filter((run) => input.experimentIds?.includes(run.experimentId));
      if (input.parentRunId !== undefined) runs = runs.filter((run) => run.parentRunId === input.parentRunId);
      if (input.ancestorRunId !== undefined) {
        if (input.parentRunId !== undefined) throw new ApiError('INVALID_ARGUMENT', 'Give either parentRunId or ancestorRunId, not both.');
        const ancestor = input.ancestorRunId;
        runs = runs.filter((run) => isBelow(run, ancestor));
      }
      runs = runs.filter((run) => matchesFakeFilter(run, comparisons));
      runs.sort((a, b) => b.startTime - a.startTime);
      for (const clause of [...(input.orderBy ?? [])].reverse()) {
        const [, entity = '', key = '', direction = 'ASC'] = /^(\w+)\.`?([^`\s]+)`?\s*(ASC|DESC)?$/i.exec(clause) ?? [];
        const sign = direction.toUpperCase() === 'DESC' ? -1 : 1;
        runs.sort((a, b) => {
          const left = fieldOf(a, entity, key);
          const right = fieldOf(b, entity, key);
          if (left === right) return 0;
          if (left === undefined) return 1;
          if (right === undefined) return -1;
          return (left < right ? -1 : 1) * sign;
        });
      }
      const offset = Number(input.pageToken ?? 0);
      const size = input.maxResults ?? 100;
      const page = runs.slice(offset, offset + size);
      return { runs: page, nextPageToken: offset + size < runs.length ? String(offset + size) : null, total: runs.length };
    },
    'runs.update': async ({ id, name, status, endTime }) => {
      const run = requireRun(id);
      const next: Run = { ...run, name: name ?? run.name, status: status ?? run.status, endTime: endTime === undefined ? run.endTime : endTime };
      backend.runs.set(id, next);
      backend.emit({ name: 'run.updated', payload: { run: infoOf(next) } });
      return infoOf(next);
    },
    'runs.end': async ({ id, status, endTime }) => api['runs.update']({ id, status: status ?? 'FINISHED', endTime: endTime ?? now() }),
    'runs.logBatch': async ({ runId, params = [], metrics = [], tags = [] }) => {
      const run = requireRun(runId);
      const next: Run = { ...run, params: { ...run.params }, tags: { ...run.tags }, metrics: { ...run.metrics } };
      for (const { key, value } of params) next.params[key] = value;
      for (const { key, value } of tags) next.tags[key] = value;
      const grown = new Map<string, { lastStep: number; count: number }>();
      for (const { key, value, step = 0, timestamp = now() } of metrics) {
        const seriesKey = `${runId}\u0000${key}`;
        const list = backend.points.get(seriesKey) ?? [];
        list.push({ step, value, timestamp });
        list.sort((a, b) => a.step - b.step);
        backend.points.set(seriesKey, list);
        const finite = list.map((point) => point.value).filter(Number.isFinite);
        const last = list[list.length - 1] ?? { step, value, timestamp };
        next.metrics[key] = { value: last.value, step: last.step, timestamp: last.timestamp, count: list.length, min: finite.length ? Math.min(...finite) : null, max: finite.length ? Math.max(...finite) : null };
        const previous = grown.get(key);
        grown.set(key, { lastStep: Math.max(previous?.lastStep ?? step, step), count: (previous?.count ?? 0) + 1 });
      }
      backend.runs.set(runId, next);
      if (params.length > 0) backend.emit({ name: 'params.logged', payload: { runId } });
      if (grown.size > 0) backend.emit({ name: 'metrics.logged', payload: { runId, keys: [...grown].map(([key, value]) => ({ key, ...value })) } });
      return { ok: true };
    },
    'runs.setTag': async ({ runId, key, value }) => api['runs.logBatch']({ runId, tags: [{ key, value }] }),
    'training.start': async () => {
      throw new ApiError('UNAVAILABLE', 'Training runs in the app, not in the demo back end.');
    },
    'training.sweep': async () => {
      throw new ApiError('UNAVAILABLE', 'Training runs in the app, not in the demo back end.');
    },
    'training.cancel': async ({ runId }) => {
      throw new ApiError('NOT_FOUND', `Run ${runId} is not training.`);
    },
    'models.importOnnx': async () => {
      throw new ApiError('UNAVAILABLE', 'Importing ONNX models needs onnxruntime, which runs in the app, not in the demo back end.');
    },
    'models.evaluate': async () => {
      throw new ApiError('UNAVAILABLE', 'Evaluating a model needs onnxruntime, which runs in the app, not in the demo back end.');
    },
    // Serving runs models in worker processes of the app: the demo back end has none to list.
    'serving.list': async () => [],
    'serving.start': async () => {
      throw new ApiError('UNAVAILABLE', 'Serving a model needs onnxruntime, which runs in the app, not in the demo back end.');
    },
    'serving.stop': async ({ id }) => {
      throw new ApiError('NOT_FOUND', `No model server with id '${id}' is running.`);
    },
    'serving.predict': async ({ id }) => {
      throw new ApiError('NOT_FOUND', `No model server with id '${id}' is running.`);
    },
    'runs.logInputs': async ({ runId, inputs }) => {
      requireRun(runId);
      for (const input of inputs) {
        const version = await datasets.api['datasets.version']({ dataset: input.dataset, ...(input.version ? { version: input.version } : {}) });
        datasets.state.runInputs.push({ runId, versionId: version.id, context: input.context ?? 'train' });
      }
      return { ok: true } as const;
    },
    'runs.deleteTag': async ({ runId, key }) => {
      const run = requireRun(runId);
      const { [key]: _removed, ...tags } = run.tags;
      backend.runs.set(runId, { ...run, tags });
      return { ok: true };
    },
    'runs.delete': async ({ id }) => {
      const run = requireRun(id);
      backend.runs.set(id, { ...run, deleted: true });
      bumpCount(run.experimentId, -1);
      backend.emit({ name: 'run.deleted', payload: { runId: id, purged: false } });
      return { ok: true };
    },
    'runs.restore': async () => ({ ok: true }),
    'runs.purge': async () => ({ runsPurged: 0, objectsDeleted: 0, bytesFreed: 0 }),
    'metrics.series': async (input) => fakeSeries(input),
    'metrics.seriesBatch': async ({ runIds, ...window }) => runIds.map((runId) => toColumns(fakeSeries({ runId, ...window }))),
    'artifacts.list': async ({ runId, path = '' }) => {
      const files = backend.artifacts.get(runId) ?? new Map<string, StoredArtifact>();
      const prefix = path === '' ? '' : `${path.replace(/\/$/, '')}/`;
      const entries = new Map<string, ArtifactEntry>();
      for (const [filePath, file] of files) {
        if (!filePath.startsWith(prefix)) continue;
        const [head = '', ...rest] = filePath.slice(prefix.length).split('/');
        const entryPath = `${prefix}${head}`;
        if (rest.length > 0) entries.set(entryPath, { path: entryPath, isDir: true, size: 0, mediaType: null, md5: null });
        else entries.set(entryPath, { path: entryPath, isDir: false, size: file.content.length, mediaType: file.mediaType, md5: null });
      }
      return [...entries.values()].sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.path.localeCompare(b.path));
    },
    'artifacts.read': async ({ runId, path, maxBytes = 2_000_000 }) => {
      const file = backend.artifacts.get(runId)?.get(path);
      if (!file) throw new ApiError('NOT_FOUND', `Artifact '${path}' does not exist in run ${runId}.`);
      return { path, mediaType: file.mediaType, size: file.content.length, encoding: file.encoding, content: file.content.slice(0, maxBytes), truncated: file.content.length > maxBytes };
    },
    'artifacts.write': async ({ runId, path, content, encoding = 'utf8' }) => {
      requireRun(runId);
      const files = backend.artifacts.get(runId) ?? new Map<string, StoredArtifact>();
      const extension = path.split('.').pop()?.toLowerCase() ?? '';
      const mediaType = mediaTypes[extension] ?? 'application/octet-stream';
      files.set(path, { content, encoding, mediaType });
      backend.artifacts.set(runId, files);
      return { path, isDir: false, size: content.length, mediaType, md5: null };
    },
    ...datasets.api,
    ...registry.api,
    ...pipelines.api,
    ...sync.api,
  };

  const recorded = Object.fromEntries(
    Object.entries(api).map(([operation, implementation]) => [
      operation,
      async (input: unknown) => {
        backend.calls.push({ operation, input });
        try {
          return await (implementation as (value: unknown) => Promise<unknown>)(input ?? {});
        } catch (error) {
          if (error instanceof ApiError) throw new ApiError(error.code, error.message, operation);
          throw error;
        }
      },
    ]),
  ) as WorkbenchApi;

  return {
    shell: 'fake',
    api: recorded,
    backend,
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onState: () => () => undefined,
    getState: (): ConnectionState => 'connected',
    artifactUrl: () => null,
    pathForFile: () => null,
    upload: datasets.upload,
  };
}
