import type { OperationInput } from '../../shared/api';
import type { ModelVersion } from '../../shared/registry';
import { modelVersionUri } from './model-names';

/**
 * The part of a dataset version an evaluation reads, as main decides it
 * (main/core/models/evaluation-service.ts `evaluationPart`): a version split into a `train` part
 * and others is evaluated on its `test` part (else `validation`, else `val`), never on the rows
 * the model trained on; any other version as a whole (null).
 */
export function evaluationPart(tabular: readonly string[]): string | null {
  const stems = tabular.map((relpath) => relpath.replace(/\.[^.]+$/, '').toLowerCase());
  if (tabular.length < 2 || !stems.includes('train')) return null;
  return ['test', 'validation', 'val'].find((name) => stems.includes(name)) ?? null;
}

export interface EvaluateDraft {
  readonly dataset: string;
  /** '' = the dataset's latest version. */
  readonly version: string;
  readonly target: string;
  readonly failIf: string;
}

/** The dataset the version trained on when it is still there, else the first one. */
export function defaultEvaluationDataset(version: Pick<ModelVersion, 'inputs'>, datasets: readonly string[]): string {
  const trained = version.inputs.find((input) => datasets.includes(input.dataset))?.dataset;
  return trained ?? datasets[0] ?? '';
}

/** The models.evaluate request a draft makes; empty optional fields are left to the server's defaults. */
export function evaluateRequest(model: Pick<ModelVersion, 'name' | 'version'>, draft: EvaluateDraft): OperationInput<'models.evaluate'> {
  const target = draft.target.trim();
  const failIf = draft.failIf.trim();
  return {
    uri: modelVersionUri(model.name, model.version),
    dataset: draft.dataset,
    ...(draft.version !== '' ? { version: Number(draft.version) } : {}),
    ...(target !== '' ? { target } : {}),
    ...(failIf !== '' ? { failIf } : {}),
  };
}
