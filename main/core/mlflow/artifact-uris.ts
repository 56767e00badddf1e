/**
 * The `mlflow-artifacts:` URIs this server hands out (MLFLOW.md §2). A run's artifact root is
 * `mlflow-artifacts:/<experiment id>/<run id>/artifacts`; the client maps it onto
 * `/api/2.0/mlflow-artifacts/artifacts/<experiment id>/<run id>/artifacts/<file>`, and `<file>`
 * is the run's own artifact path.
 */
export const artifactsScheme = 'mlflow-artifacts:';

export function runArtifactUri(experimentId: string, runId: string): string {
  return `${artifactsScheme}/${experimentId}/${runId}/artifacts`;
}

export function experimentArtifactLocation(experimentId: string): string {
  return `${artifactsScheme}/${experimentId}`;
}

/** Where a proxied artifact path points, from its decoded '/'-separated segments. */
export type ArtifactLocation =
  /** The server root or an experiment: nothing to list but what is below. */
  | { readonly kind: 'experiment'; readonly experimentId: string | null }
  /** `<experiment>/<run>`: the run's folder, whose only entry is `artifacts`. */
  | { readonly kind: 'run-folder'; readonly experimentId: string; readonly runId: string }
  /** `<experiment>/<run>/artifacts/<path>`: a run artifact (`path` '' is the run's root). */
  | { readonly kind: 'run'; readonly experimentId: string; readonly runId: string; readonly path: string }
  /** `<root>/<path>` under a tree mounted with `MlflowRouter.mountArtifacts`. */
  | { readonly kind: 'tree'; readonly root: string; readonly path: string }
  | { readonly kind: 'unknown' };

export function locateArtifactPath(path: string): ArtifactLocation {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { kind: 'unknown' };
  const [first, runId, marker, ...rest] = segments;
  if (first === undefined) return { kind: 'experiment', experimentId: null };
  if (!/^\d+$/.test(first)) return { kind: 'tree', root: first, path: segments.slice(1).join('/') };
  if (runId === undefined) return { kind: 'experiment', experimentId: first };
  if (marker === undefined) return { kind: 'run-folder', experimentId: first, runId };
  if (marker !== 'artifacts') return { kind: 'unknown' };
  return { kind: 'run', experimentId: first, runId, path: rest.join('/') };
}

/**
 * The run and run-relative path an `mlflow-artifacts:/…` URI names (a model version's source,
 * say), or null when it names no run artifact.
 */
export function parseRunArtifactUri(uri: string): { runId: string; path: string } | null {
  if (!uri.startsWith(`${artifactsScheme}/`)) return null;
  let path = uri.slice(artifactsScheme.length);
  // `mlflow-artifacts://host:port/1/…` names the server too; the path is what follows it.
  if (path.startsWith('//')) path = path.slice(2).replace(/^[^/]*/, '');
  const location = locateArtifactPath(path);
  return location.kind === 'run' ? { runId: location.runId, path: location.path } : null;
}
