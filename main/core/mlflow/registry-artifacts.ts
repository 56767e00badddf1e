/**
 * Where an MLflow client downloads a registered version from (`get-download-uri`).
 *
 * A Trainyard version keeps the files of its model directory as they were at registration, so
 * purging the run, or overwriting its artifacts, never changes what the version is. The answer
 * follows from that:
 *
 * - the run still exists and its folder holds exactly the registered files → the run's proxied
 *   URI `mlflow-artifacts:/<exp>/<run>/artifacts/<path>`, which is what MLflow's own server
 *   answers (the source, resolved);
 * - the run was purged, or its folder changed since → `mlflow-artifacts:/registry/<name>/<version>`,
 *   a read-only tree of the registered files served by this module. `pyfunc.load_model` lists and
 *   downloads it like any proxied folder, so a version keeps loading after its run is gone.
 */
import { WorkbenchError, notFound } from '../../../shared/errors';
import type { ModelVersion } from '../../../shared/registry';
import { mediaTypeOf } from '../tracking/artifact-paths';
import { proxiedArtifactUri } from './registry-source';
import type { ArtifactFileInfo, ArtifactTree, MlflowDeps } from './router';

/** The `mlflow-artifacts:/<root>/…` the registered files are served under. */
export const registryArtifactRoot = 'registry';

type Deps = Pick<MlflowDeps, 'tracking' | 'artifacts' | 'objects' | 'registry'>;

export function downloadUri(deps: Deps, version: ModelVersion): string {
  if (version.runId) {
    try {
      const run = deps.tracking.getRunInfo(version.runId);
      const current = deps.artifacts.files(version.runId, version.artifactPath);
      const frozen = deps.registry.versionFiles(version.name, version.version);
      const same = current.length === frozen.length && current.every((file, index) => file.relpath === frozen[index]!.relpath && file.md5 === frozen[index]!.md5);
      if (same) return proxiedArtifactUri(run.experimentId, version.runId, version.artifactPath);
    } catch (error) {
      if (!(error instanceof WorkbenchError && error.code === 'NOT_FOUND')) throw error;
    }
  }
  return `mlflow-artifacts:/${registryArtifactRoot}/${encodeName(version.name)}/${version.version}`;
}

/**
 * The URI carries the name as it is, so the client's own quoting of the download path and of the
 * listing's `path` parameter both decode back to it; only characters a URI cannot carry raw
 * (`%`, `?`, `#`) are escaped, and the tree accepts the escaped form too.
 */
function encodeName(name: string): string {
  return name.replace(/[%?#]/g, (char) => encodeURIComponent(char));
}

/** The registered files of every version, as `<model name>/<version>/<relpath>`. */
export function registryArtifactTree(deps: Deps): ArtifactTree {
  const { registry } = deps;
  const modelName = (segment: string): string => {
    if (registry.rows.modelRow(segment)) return segment;
    try {
      const decoded = decodeURIComponent(segment);
      if (registry.rows.modelRow(decoded)) return decoded;
    } catch {
      // not an escaped name either
    }
    throw notFound(`No registered model named '${segment}'.`);
  };
  const split = (path: string) => {
    const segments = path.split('/').filter((segment) => segment !== '');
    const [first, second, ...rest] = segments;
    if (second !== undefined && !/^\d+$/.test(second)) throw notFound(`'${path}' is not <model name>/<version>/…`);
    return { name: first === undefined ? undefined : modelName(first), version: second === undefined ? undefined : Number(second), rest: rest.join('/') };
  };
  return {
    list(folder: string): ArtifactFileInfo[] {
      const { name, version, rest } = split(folder);
      if (name === undefined) return registry.list().map((model) => ({ path: model.name, is_dir: true }));
      if (version === undefined) return registry.versions(name).map((entry) => ({ path: String(entry.version), is_dir: true }));
      const files = registry.versionFiles(name, version);
      const prefix = rest ? `${rest}/` : '';
      const entries = new Map<string, ArtifactFileInfo>();
      for (const file of files) {
        if (!file.relpath.startsWith(prefix)) continue;
        const below = file.relpath.slice(prefix.length);
        const slash = below.indexOf('/');
        if (slash === -1) entries.set(below, { path: below, is_dir: false, file_size: file.size });
        else entries.set(below.slice(0, slash), { path: below.slice(0, slash), is_dir: true });
      }
      if (entries.size === 0 && rest && !files.some((file) => file.relpath === rest)) throw notFound(`${name} version ${version} has no '${rest}'.`);
      return [...entries.values()].sort((a, b) => a.path.localeCompare(b.path));
    },
    locate(path: string) {
      const { name, version, rest } = split(path);
      if (name === undefined || version === undefined || rest === '') throw notFound(`'${path}' is not a file of a registered version.`);
      const file = registry.versionFiles(name, version).find((candidate) => candidate.relpath === rest);
      if (!file) throw notFound(`${name} version ${version} has no file '${rest}'.`);
      return { file: deps.objects.pathOf(file.md5), size: file.size, mediaType: mediaTypeOf(rest) };
    },
  };
}
