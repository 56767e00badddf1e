import type { ColumnKind, ColumnSchema } from '../../shared/datasets';
import { trainingConfigSchema, type TrainingConfigInput } from '../../shared/training';
import type { PrefsStorage } from './column-prefs';

/**
 * The training form as the user edits it (numbers stay text until submitted), its conversion into
 * the contract's `TrainingConfigInput` with a message per field that is not ready, and the last
 * config per dataset remembered so "Train…" again starts from it.
 */
export type TaskChoice = 'auto' | 'classification' | 'regression';
export type Activation = 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid' | 'gelu';
export type OptimizerKind = 'adam' | 'adamw' | 'sgd';

export interface TrainDraft {
  readonly target: string;
  readonly task: TaskChoice;
  readonly features: readonly string[];
  /** Hidden layer widths, `64, 64`; empty trains a linear (or logistic) model. */
  readonly hidden: string;
  readonly activation: Activation;
  readonly dropout: string;
  readonly layerNorm: boolean;
  readonly optimizer: OptimizerKind;
  readonly lr: string;
  readonly epochs: string;
  readonly batchSize: string;
  readonly validationFraction: string;
  /** Epochs without improvement before stopping; empty trains every epoch. */
  readonly patience: string;
  /** Execution providers in preference order, `cuda, cpu`; empty leaves the platform's default. */
  readonly providers: string;
  readonly threads: string;
  readonly seed: string;
  readonly execution: 'loop' | 'step';
  /** The run's name; empty lets the server pick one. */
  readonly name: string;
}

/** A form field, or `form` for a problem no single field owns. */
export type TrainField = 'target' | 'task' | 'features' | 'hidden' | 'dropout' | 'lr' | 'epochs' | 'batchSize' | 'validationFraction' | 'patience' | 'providers' | 'threads' | 'seed' | 'name' | 'form';
export type TrainErrors = Partial<Record<TrainField, string>>;

/** Fields kept under the form's "Advanced" disclosure (it opens when one of them is wrong). */
export const advancedFields: readonly TrainField[] = ['providers', 'threads', 'seed'];

export const activations: readonly [Activation, string][] = [
  ['relu', 'ReLU'],
  ['leaky_relu', 'Leaky ReLU'],
  ['gelu', 'GELU'],
  ['tanh', 'tanh'],
  ['sigmoid', 'sigmoid'],
];
export const optimizers: readonly [OptimizerKind, string][] = [
  ['adam', 'Adam'],
  ['adamw', 'AdamW'],
  ['sgd', 'SGD'],
];

/** Provider ids onnxruntime-node takes, with the names people know them by. */
export const providerLabels: Readonly<Record<string, string>> = { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML', tensorrt: 'TensorRT', coreml: 'CoreML', webgpu: 'WebGPU' };
const providerAliases: Readonly<Record<string, string>> = { directml: 'dml' };

/** How the run page names an execution provider: `cuda` → CUDA, unknown ids as given. */
export function providerLabel(provider: string): string {
  return providerLabels[provider.toLowerCase()] ?? provider;
}

// The trainer reads numeric and boolean columns as features (workers/trainer/data/load-table.ts).
const featureKinds: ReadonlySet<ColumnKind> = new Set(['integer', 'float', 'boolean']);
const targetNames = ['label', 'target', 'class', 'species', 'y'];

export function isFeatureKind(column: ColumnSchema): boolean {
  return featureKinds.has(column.kind);
}

/** Why a column cannot be a feature as it stands, or null where it can. */
export function featureBlocker(column: ColumnSchema): string | null {
  if (isFeatureKind(column)) return null;
  if (column.kind === 'string') return 'encode it first (Transform…)';
  return `${column.type} is not numeric`;
}

/** A column named like a label (`label`, `target`, `class`, `species`, `y`), else the last one. */
export function defaultTarget(schema: readonly ColumnSchema[]): string {
  for (const wanted of targetNames) {
    const match = schema.find((column) => column.name.toLowerCase() === wanted);
    if (match) return match.name;
  }
  return schema.at(-1)?.name ?? '';
}

/** Every numeric or boolean column but the target: what the trainer uses when none are named. */
export function defaultFeatures(schema: readonly ColumnSchema[], target: string): string[] {
  return schema.filter((column) => column.name !== target && isFeatureKind(column)).map((column) => column.name);
}

const defaults = trainingConfigSchema.parse({ target: 'x' });

/** The form for a version's schema: the remembered config where there is one, else the defaults. */
export function newTrainDraft(schema: readonly ColumnSchema[], remembered: TrainingConfigInput | null = null): TrainDraft {
  const parsed = remembered ? trainingConfigSchema.safeParse(remembered) : null;
  const config = parsed?.success && schema.some((column) => column.name === parsed.data.target) ? parsed.data : { ...defaults, target: defaultTarget(schema) };
  const usable = new Set(defaultFeatures(schema, config.target));
  return {
    target: config.target,
    task: config.task ?? 'auto',
    features: config.features ? config.features.filter((name) => usable.has(name)) : [...usable],
    hidden: config.model.hidden.join(', '),
    activation: config.model.activation,
    dropout: String(config.model.dropout),
    layerNorm: config.model.layerNorm,
    optimizer: config.optimizer.kind,
    lr: String(config.optimizer.lr),
    epochs: String(config.epochs),
    batchSize: String(config.batchSize),
    validationFraction: String(config.validationFraction),
    patience: config.earlyStopping ? String(config.earlyStopping.patience) : '',
    providers: config.providers ? config.providers.join(', ') : '',
    threads: String(config.threads),
    seed: String(config.seed),
    execution: config.execution,
    name: '',
  };
}

/**
 * A new target: it leaves the features; where the features were the default choice they follow
 * the new target (the old target, if numeric, becomes a feature), else the user's choice stays.
 */
export function changeTarget(draft: TrainDraft, schema: readonly ColumnSchema[], target: string): TrainDraft {
  const wasDefault = sameSet(draft.features, defaultFeatures(schema, draft.target));
  return { ...draft, target, features: wasDefault ? defaultFeatures(schema, target) : draft.features.filter((name) => name !== target) };
}

/** Layer widths from `64, 64` (commas or spaces); a message naming the field where one is not a width. */
export function parseHidden(text: string): { hidden: number[]; error: null } | { hidden: null; error: string } {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const bad = parts.find((part) => !/^\d+$/.test(part) || Number(part) < 1);
  if (bad !== undefined) return { hidden: null, error: `Hidden layers: “${bad}” is not a width; write whole numbers above 0, like 64, 64.` };
  if (parts.length > 16) return { hidden: null, error: `Hidden layers: at most 16 layers (this has ${parts.length}).` };
  return { hidden: parts.map(Number), error: null };
}

/** Provider ids from `CUDA, DirectML, CPU`, lower-cased, with DirectML's id `dml`. */
export function parseProviders(text: string): { providers: string[]; error: null } | { providers: null; error: string } {
  const parts = text.split(/[\s,]+/).filter(Boolean).map((part) => providerAliases[part.toLowerCase()] ?? part.toLowerCase());
  const unknown = parts.find((part) => !(part in providerLabels));
  if (unknown !== undefined) return { providers: null, error: `Execution providers: “${unknown}” is not one; use ${Object.keys(providerLabels).join(', ')}.` };
  return { providers: [...new Set(parts)], error: null };
}

/** Where a version holds split parts, the trainer validates on its own validation part (see splitParts in main). */
export function hasValidationPart(tabular: readonly string[]): boolean {
  const names = new Set(tabular.map((relpath) => relpath.replace(/\.[^.]+$/, '').toLowerCase()));
  return tabular.length >= 2 && names.has('train') && ['validation', 'val', 'test'].some((name) => names.has(name));
}

type Built = { readonly config: TrainingConfigInput; readonly name: string | null; readonly errors: TrainErrors } | { readonly config: null; readonly name: null; readonly errors: TrainErrors };

/**
 * The config to send, or the message of each field that is not ready (`images`: an image folder,
 * which trains on its images, so there are no feature columns). Left as the defaults, the
 * features are omitted (the trainer then takes every numeric column), and so are the providers (the
 * platform's preference list), so a remembered config still fits a later version.
 */
export function buildTrainingConfig(draft: TrainDraft, schema: readonly ColumnSchema[], options: { validationPart?: boolean; images?: boolean } = {}): Built {
  const errors: TrainErrors = {};
  const column = schema.find((candidate) => candidate.name === draft.target);
  if (!column) errors.target = draft.target ? `Target: there is no column ${draft.target}.` : 'Target: choose the column to predict.';
  else if (draft.task === 'regression' && !(column.kind === 'integer' || column.kind === 'float')) errors.task = `Task: regression needs a numeric target; ${column.name} is ${column.type}.`;

  // An image dataset's inputs are its images: the labels file's other columns are not features.
  if (!options.images) {
    const known = new Map(schema.map((candidate) => [candidate.name, candidate]));
    const blocked = draft.features.filter((name) => name === draft.target || !known.has(name) || !isFeatureKind(known.get(name)!));
    if (draft.features.length === 0) errors.features = defaultFeatures(schema, draft.target).length === 0 ? 'Features: no numeric column besides the target — encode text columns first (Transform…).' : 'Features: choose at least one column.';
    else if (blocked.length > 0) errors.features = `Features: ${blocked.join(', ')} cannot be a feature here.`;
  }

  const hidden = parseHidden(draft.hidden);
  if (hidden.error) errors.hidden = hidden.error;
  const providers = parseProviders(draft.providers);
  if (providers.error) errors.providers = providers.error;

  const dropout = number(draft.dropout, 'Dropout', { min: 0, max: 0.95 }, errors, 'dropout');
  const lr = number(draft.lr, 'Learning rate', { above: 0 }, errors, 'lr');
  const epochs = number(draft.epochs, 'Epochs', { whole: true, min: 1, max: 100_000 }, errors, 'epochs');
  const batchSize = number(draft.batchSize, 'Batch size', { whole: true, min: 1 }, errors, 'batchSize');
  const validationFraction = options.validationPart ? null : number(draft.validationFraction, 'Validation fraction', { min: 0, max: 0.9 }, errors, 'validationFraction');
  const patience = draft.patience.trim() === '' ? null : number(draft.patience, 'Early-stopping patience', { whole: true, min: 1 }, errors, 'patience');
  const threads = number(draft.threads, 'Threads', { whole: true, min: 1, max: 64 }, errors, 'threads');
  const seed = number(draft.seed, 'Seed', { whole: true }, errors, 'seed');
  const name = draft.name.trim();
  if (name.length > 250) errors.name = `Run name: at most 250 characters (this has ${name.length}).`;

  if (Object.keys(errors).length > 0 || !hidden.hidden || !providers.providers) return { config: null, name: null, errors };
  const config: TrainingConfigInput = {
    target: draft.target,
    ...(options.images || sameSet(draft.features, defaultFeatures(schema, draft.target)) ? {} : { features: [...draft.features] }),
    ...(draft.task === 'auto' ? {} : { task: draft.task }),
    model: { hidden: hidden.hidden, activation: draft.activation, dropout: dropout!, layerNorm: draft.layerNorm },
    optimizer: { kind: draft.optimizer, lr: lr! },
    epochs: epochs!,
    batchSize: batchSize!,
    ...(validationFraction === null ? {} : { validationFraction }),
    ...(patience === null ? {} : { earlyStopping: { patience } }),
    ...(providers.providers.length > 0 ? { providers: providers.providers } : {}),
    threads: threads!,
    seed: seed!,
    execution: draft.execution,
  };
  // The contract has the last word; a field the checks above missed still gets a message.
  const checked = trainingConfigSchema.safeParse(config);
  if (!checked.success) return { config: null, name: null, errors: { form: `The config is not valid: ${checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}` } };
  return { config, name: name === '' ? null : name, errors };
}

interface Bounds {
  readonly whole?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
}

function number(text: string, label: string, bounds: Bounds, errors: TrainErrors, field: TrainField): number | null {
  const trimmed = text.trim();
  const value = Number(trimmed);
  const range = [bounds.above !== undefined ? `above ${bounds.above}` : null, bounds.min !== undefined ? `at least ${bounds.min}` : null, bounds.max !== undefined ? `at most ${bounds.max}` : null].filter(Boolean).join(' and ');
  const expected = `${bounds.whole ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}`;
  const wrong =
    trimmed === '' ||
    !Number.isFinite(value) ||
    (bounds.whole === true && !Number.isInteger(value)) ||
    (bounds.min !== undefined && value < bounds.min) ||
    (bounds.max !== undefined && value > bounds.max) ||
    (bounds.above !== undefined && value <= bounds.above);
  if (!wrong) return value;
  errors[field] = trimmed === '' ? `${label}: give ${expected}.` : `${label} must be ${expected}; “${trimmed}” is not.`;
  return null;
}

function sameSet(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && right.every((name) => left.includes(name));
}

const keyOf = (dataset: string): string => `trainyard.train.${dataset}`;

/** The config last submitted for a dataset, or null (none yet, or storage unreadable). */
export function loadTrainConfig(storage: PrefsStorage | null, dataset: string): TrainingConfigInput | null {
  try {
    const raw = storage?.getItem(keyOf(dataset));
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    return trainingConfigSchema.safeParse(value).success ? (value as TrainingConfigInput) : null;
  } catch {
    // A corrupt or blocked storage only costs the remembered form.
    return null;
  }
}

export function saveTrainConfig(storage: PrefsStorage | null, dataset: string, config: TrainingConfigInput): void {
  try {
    storage?.setItem(keyOf(dataset), JSON.stringify(config));
  } catch {
    // Quota or privacy mode: the form starts from the defaults next time.
  }
}
