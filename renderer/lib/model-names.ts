import { modelStages, type ModelStage } from '../../shared/registry';

/**
 * The registry's naming rules as the server applies them (main/core/registry/names.ts, after
 * MLflow's): the forms check them as the user types, the fake back end refuses with the same
 * words. Each returns the problem in one sentence, or null when the value is fine.
 */

export function modelNameProblem(name: string): string | null {
  if (name.trim() === '') return 'A registered model needs a name.';
  if (name.length > 256) return `A model name is at most 256 characters; '${name.slice(0, 40)}…' has ${name.length}.`;
  // These would make `models:/name/…` and `models:/name@alias` ambiguous.
  const bad = /[/@:\u0000-\u001f]/.exec(name);
  if (bad) return `The model name '${name}' contains '${'/@:'.includes(bad[0]) ? bad[0] : 'a control character'}', which model URIs (models:/name/1, models:/name@alias) cannot carry.`;
  return null;
}

export function aliasProblem(alias: string): string | null {
  if (alias === '') return 'An alias cannot be empty.';
  if (alias.length > 255) return `An alias is at most 255 characters; this one has ${alias.length}.`;
  if (!/^[\w-]+$/.test(alias)) return `The alias '${alias}' may contain only letters, digits, '_' and '-'.`;
  if (alias.toLowerCase() === 'latest') return "'latest' is a reserved alias: models:/name@latest always means the newest version.";
  if (/^v\d+$/i.test(alias)) return `'${alias}' is a reserved alias: v<number> names version ${alias.slice(1)} itself.`;
  return null;
}

/** A stage as typed (any case) in its canonical spelling, or null when it is none of the four. */
export function canonicalStage(stage: string): ModelStage | null {
  return modelStages.find((candidate) => candidate.toLowerCase() === stage.trim().toLowerCase()) ?? null;
}

/** `archive_existing_versions` is only allowed when moving to one of these (MLflow's rule). */
export function archivesOthers(stage: ModelStage): boolean {
  return stage === 'Staging' || stage === 'Production';
}

/** The newest version number of a model (the highest among its newest version per stage), or null. */
export function newestVersion(model: { latestVersions: readonly { version: number }[] }): number | null {
  return model.latestVersions.reduce<number | null>((newest, version) => (newest === null || version.version > newest ? version.version : newest), null);
}

export function modelVersionUri(name: string, version: number): string {
  return `models:/${name}/${version}`;
}

/** The version holding `alias` other than `version` (the alias would move from it), or null. */
export function aliasMovesFrom(aliases: readonly { alias: string; version: number }[], alias: string, version: number | null): number | null {
  const held = aliases.find((entry) => entry.alias === alias);
  return held && held.version !== version ? held.version : null;
}

/**
 * The name Register model… suggests for a run: the dataset it trained on (`trainyard.data` is
 * `churn@3 (train part)`), else the run's name, with the characters a model name cannot carry
 * replaced.
 */
export function suggestedModelName(run: { name: string; tags: Readonly<Record<string, string>> }): string {
  const dataset = /^(.+?)@\d+\b/.exec(run.tags['trainyard.data'] ?? '')?.[1];
  return (dataset ?? run.name).replace(/[/@:\u0000-\u001f]/g, '-').slice(0, 256);
}

/** The run a version's `runs:/<id>/<path>` source names, or null. */
export function runIdOfSource(source: string | null): string | null {
  return /^runs:\/([0-9a-f]{32})\//.exec(source ?? '')?.[1] ?? null;
}

/** The metrics worth showing beside a version, in this order, when its run logged them. */
export const keyMetricNames = ['val_accuracy', 'val_loss', 'val_rmse'] as const;

export function keyMetrics(metrics: Readonly<Record<string, { value: number }>>): { key: string; value: number }[] {
  return keyMetricNames.flatMap((key) => (metrics[key] ? [{ key, value: metrics[key].value }] : []));
}

/**
 * One field of an MLflow signature as `name`, `type` and whether it may be missing: column specs
 * (`{"name": "age", "type": "double"}`) and tensor specs (`{"type": "tensor", "tensor-spec":
 * {"dtype": "float32", "shape": [-1, 3, 32, 32]}}`, -1 meaning any size).
 */
export function describeSignatureField(field: Readonly<Record<string, unknown>>): { name: string; type: string; optional: boolean } {
  const name = typeof field['name'] === 'string' ? field['name'] : '(unnamed)';
  const spec = field['tensor-spec'] as { dtype?: unknown; shape?: unknown } | undefined;
  let type = typeof field['type'] === 'string' ? field['type'] : JSON.stringify(field['type'] ?? null);
  if (field['type'] === 'tensor' && spec) {
    const shape = Array.isArray(spec.shape) ? `[${spec.shape.map((size) => (size === -1 ? '?' : String(size))).join(', ')}]` : '';
    type = `${typeof spec.dtype === 'string' ? spec.dtype : 'tensor'}${shape}`;
  }
  return { name, type, optional: field['required'] === false };
}
