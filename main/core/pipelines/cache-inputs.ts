/**
 * What besides its params decides whether a step is unchanged (`dvc repro`-style caching): the
 * content ids of the dataset versions it reads (a name means "the latest", which moves), the bytes
 * of the suite file it validates with, and the version a model URI resolves to now.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { StepKind } from '../../../shared/pipelines';
import type { DatasetService } from '../datasets/dataset-service';
import type { RegistryService } from '../registry/registry-service';

export function cacheInputs(deps: { datasets: DatasetService; registry: RegistryService }) {
  return (kind: StepKind, params: Readonly<Record<string, unknown>>, baseDir: string): unknown => {
    const inputs: Record<string, string | null> = {};
    const dataset = params.dataset;
    if (typeof dataset === 'string') {
      const at = dataset.lastIndexOf('@');
      try {
        const version = deps.datasets.rows.version(at > 0 ? dataset.slice(0, at) : dataset, at > 0 ? Number(dataset.slice(at + 1)) : undefined);
        inputs.dataset = version.oid;
      } catch {
        inputs.dataset = null; // the step itself reports the missing version
      }
    }
    if (kind === 'validate' && typeof params.suite === 'string') {
      try {
        inputs.suite = createHash('md5').update(readFileSync(isAbsolute(params.suite) ? params.suite : resolve(baseDir, params.suite))).digest('hex');
      } catch {
        inputs.suite = null;
      }
    }
    if ((kind === 'evaluate' || kind === 'register') && typeof params.model === 'string') {
      try {
        const resolved = deps.registry.resolve(params.model);
        inputs.model = resolved.files.map((file) => `${file.relpath}:${file.md5}`).join(',');
      } catch {
        inputs.model = null;
      }
    }
    return inputs;
  };
}
