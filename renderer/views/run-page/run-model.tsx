import { lazy, Suspense, useEffect, useState, type ReactElement } from 'react';
import type { ModelVersion } from '../../../shared/registry';
import type { Run } from '../../../shared/tracking';
import { getApi } from '../../api/connection';
import { ModelIcon } from '../../components/icons';
import { modelHref } from '../../lib/hash-route';
import { useModelsStore } from '../../stores/models';

const RegisterModelDialog = lazy(() => import('../models/register-model-dialog').then((module) => ({ default: module.RegisterModelDialog })));

/**
 * Whether the run holds `model/model.onnx`, what registration needs. Asked again when the run's
 * status changes: a training run stores its model as it ends.
 */
export function useRunHasModel(run: Run): boolean {
  const [hasModel, setHasModel] = useState(false);
  useEffect(() => {
    let current = true;
    getApi()['artifacts.list']({ runId: run.id, path: 'model' }).then(
      (entries) => current && setHasModel(entries.some((entry) => entry.path === 'model/model.onnx')),
      // No button is the honest answer when the artifacts cannot be listed; the Artifacts tab says why.
      () => current && setHasModel(false),
    );
    return () => {
      current = false;
    };
  }, [run.id, run.status, run.endTime]);
  return hasModel;
}

/** Register model… and its dialog. */
export function RegisterModelButton({ run }: { run: Run }): ReactElement {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)} data-testid="register-model" title="Register this run’s model as a new version of a registered model">
        <ModelIcon size={14} />
        Register model…
      </button>
      {open ? (
        <Suspense fallback={null}>
          <RegisterModelDialog run={run} onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </>
  );
}

/** Looking through more models than this for a run's versions costs more than the line is worth. */
const maxModelsSearched = 50;

/**
 * The registered versions that came from this run: each model's versions, filtered by run id;
 * re-read when the registry changes (the models list is refreshed by `model.changed`).
 */
export function useVersionsFromRun(runId: string, enabled: boolean): readonly ModelVersion[] {
  const models = useModelsStore((state) => state.summaries);
  const [found, setFound] = useState<readonly ModelVersion[]>([]);
  useEffect(() => {
    if (!enabled || models.length === 0 || models.length > maxModelsSearched) {
      setFound([]);
      return;
    }
    let current = true;
    Promise.all(models.map((model) => getApi()['models.versions']({ name: model.name }).catch(() => [] as ModelVersion[]))).then((lists) => {
      if (current) setFound(lists.flat().filter((version) => version.runId === runId));
    });
    return () => {
      current = false;
    };
  }, [runId, enabled, models]);
  return found;
}

export function RegisteredVersions({ versions }: { versions: readonly ModelVersion[] }): ReactElement {
  return (
    <span className="run-registered" data-testid="run-registered">
      {versions.map((version) => (
        <a key={`${version.name}/${version.version}`} href={modelHref(version.name)} data-testid="run-registered-version">
          {version.name} v{version.version}
          {version.aliases.map((alias) => ` @${alias}`).join('')}
          {version.stage !== 'None' ? ` · ${version.stage}` : ''}
        </a>
      ))}
    </span>
  );
}
