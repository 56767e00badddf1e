import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { ArtifactEntry } from '../../../shared/tracking';
import { locateArtifactPath, runArtifactUri } from './artifact-uris';
import { MlflowError, doesNotExist, invalidParameter } from './errors';
import { sendJson } from './proto-json';
import type { ArtifactFileInfo, MlflowDeps, MlflowRouter } from './router';
import { runIdOf } from './run-routes';

function fileInfo(entry: ArtifactEntry, path: string): ArtifactFileInfo {
  return entry.isDir ? { path, is_dir: true } : { path, is_dir: false, file_size: entry.size };
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Decodes each '/'-separated segment of a URL path; a bad %-escape is the client's error. */
function decodePath(rest: string): string {
  try {
    return rest.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new MlflowError('BAD_REQUEST', `The artifact path '${rest}' is not validly URL-encoded.`);
  }
}

/**
 * Artifacts: `mlflow/artifacts/list` (run-relative paths) and the proxied artifact API under
 * `mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>` (mlflow_artifacts.proto):
 * PUT streams the request body into the object store, GET streams a file back, GET without a
 * path lists `?path=` (basenames only), DELETE removes a file or a folder. The multipart-upload
 * endpoints (`mpu/…`) are not served: the client uses them only when
 * MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD is set, and a plain PUT streams any size here.
 */
export function registerArtifactRoutes(router: MlflowRouter, { tracking, artifacts }: MlflowDeps): void {
  /** The run a proxied path names, checked to exist in the experiment the path names. */
  const requireRun = (experimentId: string, runId: string): void => {
    const info = tracking.getRunInfo(runId);
    if (info.experimentId !== experimentId) throw doesNotExist(`Run ${runId} is in experiment ${info.experimentId}, not ${experimentId}.`);
  };

  router.json('GET', 'mlflow/artifacts/list', (fields) => {
    const runId = runIdOf(fields);
    const info = tracking.getRunInfo(runId);
    const entries = artifacts.list(runId, fields.optionalString('path') ?? '');
    return { root_uri: runArtifactUri(info.experimentId, runId), files: entries.map((entry) => fileInfo(entry, entry.path)) };
  });

  const list = (path: string): ArtifactFileInfo[] => {
    const location = locateArtifactPath(path);
    switch (location.kind) {
      case 'experiment':
      case 'unknown':
        return [];
      case 'tree': {
        const tree = router.artifactTree(location.root);
        if (!tree) return [];
        return tree.list(location.path);
      }
      case 'run-folder':
        requireRun(location.experimentId, location.runId);
        return artifacts.list(location.runId, '').length > 0 ? [{ path: 'artifacts', is_dir: true }] : [];
      case 'run':
        requireRun(location.experimentId, location.runId);
        return artifacts.list(location.runId, location.path).map((entry) => fileInfo(entry, basename(entry.path)));
    }
  };

  const download = async (response: ServerResponse, path: string): Promise<void> => {
    const location = locateArtifactPath(path);
    let file: { file: string; size: number; mediaType: string };
    if (location.kind === 'run' && location.path !== '') {
      requireRun(location.experimentId, location.runId);
      await artifacts.ensure(location.runId, location.path);
      file = artifacts.locate(location.runId, location.path);
    } else if (location.kind === 'tree' && router.artifactTree(location.root)) {
      file = router.artifactTree(location.root)!.locate(location.path);
    } else {
      throw doesNotExist(`No artifact at '${path}'.`);
    }
    response.writeHead(200, {
      'content-type': file.mediaType,
      'content-length': file.size,
      'x-content-type-options': 'nosniff',
      // An artifact is user data: an HTML file opened from here must not run as a page of this
      // origin, where it could call the API with the browser's same-origin blessing.
      'content-security-policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
    });
    await pipeline(createReadStream(file.file), response);
  };

  /** The run artifact a write or delete addresses; trees are read-only. */
  const writable = (path: string, allowRoot: boolean): { runId: string; path: string } => {
    const location = locateArtifactPath(path);
    if (location.kind !== 'run' || (!allowRoot && location.path === '')) {
      throw invalidParameter(`Cannot write to '${path}': artifacts are written under a run's artifact_uri, <experiment id>/<run id>/artifacts/<path>.`);
    }
    requireRun(location.experimentId, location.runId);
    return { runId: location.runId, path: location.path };
  };

  router.raw(['GET', 'PUT', 'DELETE'], 'mlflow-artifacts/artifacts', async ({ request, response, url, rest }) => {
    const path = decodePath(rest);
    if (request.method === 'GET') {
      if (path === '') {
        sendJson(response, 200, { files: list(url.searchParams.get('path') ?? '') });
        return;
      }
      await download(response, path);
      return;
    }
    if (request.method === 'PUT') {
      const target = writable(path, false);
      await artifacts.writeStream(target.runId, target.path, request);
      sendJson(response, 200, {});
      return;
    }
    const target = writable(path, true);
    artifacts.remove(target.runId, target.path);
    sendJson(response, 200, {});
  });
}
