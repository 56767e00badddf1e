/**
 * Routes live in the hash (`#/runs`, `#/runs/<id>/artifacts`, `#/datasets/iris/2/validation`,
 * `#/models/churn/history`, `#/models/churn/compare/1/3`):
 * the renderer is served as static files from both `app://` and `http://127.0.0.1`, and a hash
 * never reaches either server.
 */
/** `evaluation` exists only on evaluate runs (tag trainyard.kind = evaluate). */
export type RunTab = 'metrics' | 'params' | 'tags' | 'environment' | 'artifacts' | 'evaluation';
export const runTabs: readonly RunTab[] = ['metrics', 'params', 'tags', 'environment', 'artifacts', 'evaluation'];

export type DatasetTab = 'profile' | 'preview' | 'validation' | 'lineage';
export const datasetTabs: readonly DatasetTab[] = ['profile', 'preview', 'validation', 'lineage'];

export type ModelTab = 'versions' | 'history' | 'lineage' | 'serving';
export const modelTabs: readonly ModelTab[] = ['versions', 'history', 'lineage', 'serving'];

export type PipelineTab = 'graph' | 'grid' | 'runs' | 'spec';
export const pipelineTabs: readonly PipelineTab[] = ['graph', 'grid', 'runs', 'spec'];

export type RunsRoute = { readonly section: 'runs'; readonly runId: string | null; readonly tab: RunTab };
/** `dataset` null: the list; `version` null: the latest version of `dataset`. */
export type DatasetsRoute = { readonly section: 'datasets'; readonly dataset: string | null; readonly version: number | null; readonly tab: DatasetTab };
/** `model` null: the list of registered models; `compare`: two of its versions side by side (the tab is then versions). */
export type ModelsRoute = { readonly section: 'models'; readonly model: string | null; readonly tab: ModelTab; readonly compare: readonly [number, number] | null };
/**
 * `pipeline` null: the list. `dagRun` (a run id such as `manual__2026-…`) set: that DAG run's
 * page, at one of its tasks when `task` is set; otherwise the pipeline's page at `tab`.
 */
export type PipelinesRoute = { readonly section: 'pipelines'; readonly pipeline: string | null; readonly tab: PipelineTab; readonly dagRun: string | null; readonly task: string | null };
/** Selected runs side by side (`#/compare?runs=<id>,<id>`): a link that restores the selection. */
export type CompareRoute = { readonly section: 'compare'; readonly runIds: readonly string[] };
/** The team buckets (issue 9): remotes, the sync in progress, recent syncs and conflicts. */
export type SyncRoute = { readonly section: 'sync' };
export type Route = RunsRoute | DatasetsRoute | ModelsRoute | PipelinesRoute | CompareRoute | SyncRoute;
export type Section = Route['section'];

export function parseRoute(hash: string): Route {
  const compare = /^#?\/?compare\/?(?:\?(.*))?$/.exec(hash);
  if (compare) return { section: 'compare', runIds: parseRunIds(compare[1] ?? '') };
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(safeDecode);
  const [section, first, second, third] = parts;
  if (section === 'datasets') return parseDatasetsRoute(first, second, third);
  if (section === 'models') return parseModelsRoute(first, second, third, parts[4]);
  if (section === 'pipelines') return parsePipelinesRoute(first, second, third, parts[4]);
  if (section === 'sync') return { section: 'sync' };
  if (section === 'runs' && first) {
    return { section: 'runs', runId: first, tab: runTabs.includes(second as RunTab) ? (second as RunTab) : 'metrics' };
  }
  return { section: 'runs', runId: null, tab: 'metrics' };
}

function parseModelsRoute(model: string | undefined, tab: string | undefined, a: string | undefined, b: string | undefined): ModelsRoute {
  const version = (part: string | undefined): number | null => (part !== undefined && /^[1-9]\d*$/.test(part) ? Number(part) : null);
  const first = version(a);
  const second = version(b);
  if (model && tab === 'compare' && first !== null && second !== null) return { section: 'models', model, tab: 'versions', compare: [first, second] };
  return { section: 'models', model: model ?? null, tab: modelTabs.includes(tab as ModelTab) ? (tab as ModelTab) : 'versions', compare: null };
}

function parsePipelinesRoute(pipeline: string | undefined, tab: string | undefined, dagRun: string | undefined, task: string | undefined): PipelinesRoute {
  // `#/pipelines/p/runs` is the runs tab; one more part names a DAG run of it.
  if (pipeline && tab === 'runs' && dagRun) return { section: 'pipelines', pipeline, tab: 'runs', dagRun, task: task ?? null };
  return { section: 'pipelines', pipeline: pipeline ?? null, tab: pipelineTabs.includes(tab as PipelineTab) ? (tab as PipelineTab) : 'graph', dagRun: null, task: null };
}

function parseDatasetsRoute(dataset: string | undefined, version: string | undefined, tab: string | undefined): DatasetsRoute {
  if (!dataset) return { section: 'datasets', dataset: null, version: null, tab: 'profile' };
  const number = version !== undefined && /^\d+$/.test(version) ? Number(version) : null;
  // `#/datasets/iris/preview` (no version) reads as the latest version's tab.
  const tabPart = number === null ? version : tab;
  const chosen = datasetTabs.includes(tabPart as DatasetTab) ? (tabPart as DatasetTab) : 'profile';
  return { section: 'datasets', dataset, version: number !== null && number > 0 ? number : null, tab: chosen };
}

export function runHref(runId: string, tab: RunTab = 'metrics'): string {
  return tab === 'metrics' ? `#/runs/${encodeURIComponent(runId)}` : `#/runs/${encodeURIComponent(runId)}/${tab}`;
}

export const runsHref = '#/runs';

/** The compare page for these runs, in this order; commas separate the ids (run ids never hold one). */
export function compareHref(runIds: readonly string[]): string {
  return `#/compare?runs=${runIds.map(encodeURIComponent).join(',')}`;
}

/** The `runs=` ids of a query string, split before decoding so an encoded comma stays in its id. */
function parseRunIds(query: string): string[] {
  const raw = query.split('&').find((pair) => pair.startsWith('runs='))?.slice('runs='.length) ?? '';
  const ids = raw.split(',').map((id) => safeDecode(id).trim()).filter(Boolean);
  return [...new Set(ids)];
}
export const datasetsHref = '#/datasets';
export const modelsHref = '#/models';
export const pipelinesHref = '#/pipelines';
export const syncHref = '#/sync';

/** A pipeline's page, at its graph unless another tab is named. */
export function pipelineHref(name: string, tab: PipelineTab = 'graph'): string {
  const base = `#/pipelines/${encodeURIComponent(name)}`;
  return tab === 'graph' ? base : `${base}/${tab}`;
}

/** A DAG run's page (`runId` as in `manual__2026-…`), or one of its task instances. */
export function dagRunHref(pipeline: string, runId: string, task: string | null = null): string {
  const base = `#/pipelines/${encodeURIComponent(pipeline)}/runs/${encodeURIComponent(runId)}`;
  return task === null ? base : `${base}/${encodeURIComponent(task)}`;
}

/** The same from a DAG run's public id, `<pipeline>/<run id>` (what `cachedFrom` and `rerunOf` hold). */
export function dagRunIdHref(id: string, task: string | null = null): string | null {
  const slash = id.indexOf('/');
  return slash > 0 && slash < id.length - 1 ? dagRunHref(id.slice(0, slash), id.slice(slash + 1), task) : null;
}

/** A registered model's page, at its versions unless another tab is named. */
export function modelHref(name: string, tab: ModelTab = 'versions'): string {
  const base = `#/models/${encodeURIComponent(name)}`;
  return tab === 'versions' ? base : `${base}/${tab}`;
}

/** Two versions of a model side by side: `a` drawn solid, `b` dashed, deltas read b − a. */
export function modelCompareHref(name: string, a: number, b: number): string {
  return `#/models/${encodeURIComponent(name)}/compare/${a}/${b}`;
}

/** A dataset's page: its latest version, or one version, optionally at a tab other than the profile. */
export function datasetHref(dataset: string, version: number | null = null, tab: DatasetTab = 'profile'): string {
  const base = `#/datasets/${encodeURIComponent(dataset)}`;
  if (version === null) return tab === 'profile' ? base : `${base}/${tab}`;
  return tab === 'profile' ? `${base}/${version}` : `${base}/${version}/${tab}`;
}

/** A job's `result` (`dataset:iris@2`) as a route, or null for results that are not a place. */
export function hrefOfResult(result: string | null): string | null {
  const match = result === null ? null : /^dataset:(.+)@(\d+)$/.exec(result);
  return match ? datasetHref(match[1]!, Number(match[2])) : null;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
