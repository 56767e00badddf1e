/**
 * The registry's naming rules and model URIs, as MLflow's server applies them (MLFLOW.md §2):
 * reserved aliases `latest` and `v<digits>`, case-insensitive stage names, and the three
 * `models:/` forms (there is no `models:/name/alias`: a non-numeric suffix is a stage).
 */
import { invalid } from '../../../shared/errors';
import { modelStages, type ModelStage } from '../../../shared/registry';

export function checkModelName(name: string): string {
  if (name.trim() === '') throw invalid('A registered model needs a name.');
  if (name.length > 256) throw invalid(`A model name is at most 256 characters; '${name.slice(0, 40)}…' has ${name.length}.`);
  // These would make `models:/name/…` and `models:/name@alias` ambiguous.
  const bad = /[/@:\u0000-\u001f]/.exec(name);
  if (bad) throw invalid(`The model name '${name}' contains '${bad[0] === '/' || bad[0] === '@' || bad[0] === ':' ? bad[0] : 'a control character'}', which model URIs (models:/name/1, models:/name@alias) cannot carry.`);
  return name;
}

export function checkAlias(alias: string): string {
  if (alias === '') throw invalid('An alias cannot be empty.');
  if (alias.length > 255) throw invalid(`An alias is at most 255 characters; this one has ${alias.length}.`);
  if (!/^[\w-]+$/.test(alias)) throw invalid(`The alias '${alias}' may contain only letters, digits, '_' and '-'.`);
  if (alias.toLowerCase() === 'latest') throw invalid("'latest' is a reserved alias: models:/name@latest always means the newest version.");
  if (/^v\d+$/i.test(alias)) throw invalid(`'${alias}' is a reserved alias: v<number> names version ${alias.slice(1)} itself.`);
  return alias;
}

export function canonicalStage(stage: string): ModelStage {
  const found = modelStages.find((candidate) => candidate.toLowerCase() === stage.trim().toLowerCase());
  if (!found) throw invalid(`Invalid model version stage '${stage}': it must be one of ${modelStages.join(', ')}.`);
  return found;
}

export type ModelUri =
  | { readonly kind: 'version'; readonly name: string; readonly version: number }
  | { readonly kind: 'stage'; readonly name: string; readonly stage: ModelStage }
  | { readonly kind: 'latest'; readonly name: string }
  | { readonly kind: 'alias'; readonly name: string; readonly alias: string }
  | { readonly kind: 'run'; readonly runId: string; readonly artifactPath: string };

export function parseModelUri(uri: string): ModelUri {
  const run = /^runs:\/([0-9a-f]{32})\/(.+)$/.exec(uri);
  if (run) return { kind: 'run', runId: run[1]!, artifactPath: run[2]!.replace(/\/+$/, '') };
  const model = /^models:\/(.+)$/.exec(uri);
  if (!model) throw invalid(`'${uri}' is not a model URI; use models:/<name>/<version>, models:/<name>/<stage>, models:/<name>@<alias> or runs:/<run id>/<path>.`);
  const rest = model[1]!;
  const at = rest.lastIndexOf('@');
  if (at > 0) return { kind: 'alias', name: rest.slice(0, at), alias: rest.slice(at + 1) };
  const slash = rest.lastIndexOf('/');
  if (slash <= 0) throw invalid(`'${uri}' names no version: use models:/${rest}/<version>, models:/${rest}/<stage>, models:/${rest}/latest or models:/${rest}@<alias>.`);
  const name = rest.slice(0, slash);
  const suffix = rest.slice(slash + 1);
  if (/^\d+$/.test(suffix)) return { kind: 'version', name, version: Number(suffix) };
  if (suffix.toLowerCase() === 'latest') return { kind: 'latest', name };
  return { kind: 'stage', name, stage: canonicalStage(suffix) };
}
