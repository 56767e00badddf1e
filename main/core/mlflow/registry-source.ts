/**
 * Model version sources as MLflow clients and stores write them, reduced to the run and the
 * run-relative artifact path they point at (MLFLOW.md §2, §4):
 *
 * - `runs:/<run id>/<path>` — `MlflowClient.create_model_version` sends it as given;
 * - `mlflow-artifacts:/<exp>/<run>/artifacts/<path>` (also with a `//host` part) — what
 *   `register_model` sends after resolving the run's artifact URI on a proxied server;
 * - `file:///…/<exp>/<run>/artifacts/<path>` or a plain path — what a FileStore (`mlruns/`) keeps;
 * - anything else holding `/<run id>/artifacts/<path>`, when the run id is known.
 *
 * `models:/m-<id>` (MLflow 3 logged models) and sources outside any run resolve to null.
 */
export interface SourceRef {
  readonly runId: string;
  /** Run-relative, no leading or trailing slash; '' when the source is the artifact root itself. */
  readonly artifactPath: string;
}

const runIdPattern = /^[0-9a-f]{32}$/;

export function parseModelSource(source: string, runIdHint?: string | null): SourceRef | null {
  const trimmed = source.trim();
  const runs = /^runs:\/+([^/]+)(?:\/(.*))?$/.exec(trimmed);
  if (runs) return { runId: runs[1]!, artifactPath: cleanPath(runs[2] ?? '') };
  const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?\/+(.*)$/.exec(trimmed);
  const body = proxied ? proxied[1]! : trimmed.replace(/^file:(?:\/\/[^/]*)?/, '');
  const segments = decodeSegments(body);
  // The run's segment is the one followed by 'artifacts'; prefer the id the caller knows.
  for (let index = segments.length - 2; index >= 0; index--) {
    const segment = segments[index]!;
    if (segments[index + 1] !== 'artifacts') continue;
    if (runIdHint ? segment === runIdHint : runIdPattern.test(segment)) {
      return { runId: segment, artifactPath: cleanPath(segments.slice(index + 2).join('/')) };
    }
  }
  return null;
}

/** The proxied URI MLflow's client downloads a run's artifacts from (MLFLOW.md §2). */
export function proxiedArtifactUri(experimentId: string, runId: string, artifactPath: string): string {
  return `mlflow-artifacts:/${experimentId}/${runId}/artifacts${artifactPath ? `/${artifactPath}` : ''}`;
}

function decodeSegments(path: string): string[] {
  return path.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
}

function cleanPath(path: string): string {
  return path.split('/').filter((segment) => segment !== '' && segment !== '.').join('/');
}
