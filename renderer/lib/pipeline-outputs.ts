import { datasetHref, modelHref, runHref } from './hash-route';

/**
 * What a step output points at, as a link: dataset versions (`customers@3`), tracking runs (a run
 * id under `run` / `best_run`, or `runs:/<id>/model`) and registered model versions
 * (`models:/churn/2`, `models:/churn@champion`). Anything else (a count, a report id, a flag) is
 * shown as text.
 */
export interface OutputLink {
  readonly href: string;
  readonly kind: 'dataset' | 'run' | 'model';
}

const datasetVersion = /^([A-Za-z0-9][A-Za-z0-9._-]{0,127})@([1-9]\d*)$/;
const modelUri = /^models:\/([^/@\s]+)(?:\/[^/\s]+|@[^/\s]+)$/;
const runUri = /^runs:\/([^/\s]+)\/\S+$/;
/** Tracking run ids: 32 lowercase hex digits, as MLflow's. */
const runId = /^[0-9a-f]{32}$/;
const runKeys = new Set(['run', 'best_run', 'run_id']);

export function outputLink(key: string, value: string): OutputLink | null {
  const dataset = datasetVersion.exec(value);
  if (dataset) return { kind: 'dataset', href: datasetHref(dataset[1]!, Number(dataset[2])) };
  const model = modelUri.exec(value);
  if (model) return { kind: 'model', href: modelHref(model[1]!) };
  const run = runUri.exec(value);
  if (run) return { kind: 'run', href: runHref(run[1]!) };
  if (runId.test(value) || (runKeys.has(key) && /^[\w-]+$/.test(value))) return { kind: 'run', href: runHref(value) };
  return null;
}
