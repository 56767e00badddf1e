/**
 * Routes live in the hash (`#/runs`, `#/runs/<id>/artifacts`, `#/datasets/iris/2/validation`,
 * `#/models/churn/history`):
 * the renderer is served as static files from both `app://` and `http://127.0.0.1`, and a hash
 * never reaches either server.
 */
export type RunTab = 'metrics' | 'params' | 'tags' | 'environment' | 'artifacts';
export const runTabs: readonly RunTab[] = ['metrics', 'params', 'tags', 'environment', 'artifacts'];

export type DatasetTab = 'profile' | 'preview' | 'validation' | 'lineage';
export const datasetTabs: readonly DatasetTab[] = ['profile', 'preview', 'validation', 'lineage'];

export type ModelTab = 'versions' | 'history' | 'lineage';
export const modelTabs: readonly ModelTab[] = ['versions', 'history', 'lineage'];

export type RunsRoute = { readonly section: 'runs'; readonly runId: string | null; readonly tab: RunTab };
/** `dataset` null: the list; `version` null: the latest version of `dataset`. */
export type DatasetsRoute = { readonly section: 'datasets'; readonly dataset: string | null; readonly version: number | null; readonly tab: DatasetTab };
/** `model` null: the list of registered models. */
export type ModelsRoute = { readonly section: 'models'; readonly model: string | null; readonly tab: ModelTab };
export type Route = RunsRoute | DatasetsRoute | ModelsRoute;
export type Section = Route['section'];

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(safeDecode);
  const [section, first, second, third] = parts;
  if (section === 'datasets') return parseDatasetsRoute(first, second, third);
  if (section === 'models') return { section: 'models', model: first ?? null, tab: modelTabs.includes(second as ModelTab) ? (second as ModelTab) : 'versions' };
  if (section === 'runs' && first) {
    return { section: 'runs', runId: first, tab: runTabs.includes(second as RunTab) ? (second as RunTab) : 'metrics' };
  }
  return { section: 'runs', runId: null, tab: 'metrics' };
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
export const datasetsHref = '#/datasets';
export const modelsHref = '#/models';

/** A registered model's page, at its versions unless another tab is named. */
export function modelHref(name: string, tab: ModelTab = 'versions'): string {
  const base = `#/models/${encodeURIComponent(name)}`;
  return tab === 'versions' ? base : `${base}/${tab}`;
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
