import { invalid } from '../../../shared/errors';
import { seededRandom } from '../../../shared/seeded-random';
import { trainingConfigSchema, type SweepSpec, type TrainingConfig } from '../../../shared/training';

type Value = SweepSpec['parameters'][string][number];

/** Every combination of the parameters' values, in a stable order (grid search). */
export function gridCombinations(parameters: SweepSpec['parameters']): Array<Record<string, Value>> {
  return Object.entries(parameters).reduce<Array<Record<string, Value>>>(
    (combinations, [path, values]) => combinations.flatMap((combination) => values.map((value) => ({ ...combination, [path]: value }))),
    [{}],
  );
}

/** `count` distinct combinations drawn with a seeded generator (random search); fewer if the space is smaller. */
export function randomCombinations(parameters: SweepSpec['parameters'], count: number, seed: number): Array<Record<string, Value>> {
  const all = gridCombinations(parameters);
  const next = seededRandom(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

/** The base config with one trial's values set at their paths, validated like any config. */
export function trialConfig(base: TrainingConfig, values: Record<string, Value>): TrainingConfig {
  const config = structuredClone(base) as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(values)) {
    const keys = path.split('.');
    let target = config;
    for (const key of keys.slice(0, -1)) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[keys[keys.length - 1]!] = value;
  }
  const parsed = trainingConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`Sweep value ${JSON.stringify(values)} makes an invalid config: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Lower is better for losses and errors; higher for accuracy-like metrics, unless `goal` says. */
export function goalOf(spec: Pick<SweepSpec, 'metric' | 'goal'>): 'minimize' | 'maximize' {
  return spec.goal ?? (/(loss|rmse|error|mae|mse)/i.test(spec.metric) ? 'minimize' : 'maximize');
}
