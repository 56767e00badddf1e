import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestApi } from './rpc';

/** Deterministic pseudo-random numbers, so screenshots look the same run after run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

export function customersCsv(rows: number, seed: number): string {
  const roll = random(seed);
  const countries = ['FR', 'DE', 'US', 'US', 'GB', 'ES', 'IT', 'NL'];
  const lines = ['customer_id,age,income,country,plan,signup_date,churned'];
  for (let index = 0; index < rows; index += 1) {
    const age = 18 + Math.floor(roll() * 60);
    const income = roll() < 0.06 ? '' : String(Math.round(18000 + age * 900 + roll() * 40000));
    const month = String(1 + Math.floor(roll() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(roll() * 28)).padStart(2, '0');
    lines.push([10000 + index, age, income, countries[Math.floor(roll() * countries.length)], roll() < 0.7 ? 'basic' : 'pro', `2024-${month}-${day}`, roll() < 0.22].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function irisCsv(): string {
  const roll = random(7);
  const species = [['setosa', 5.0, 3.4, 1.5, 0.25], ['versicolor', 5.9, 2.8, 4.3, 1.3], ['virginica', 6.6, 3.0, 5.6, 2.0]] as const;
  const lines = ['sepal_length,sepal_width,petal_length,petal_width,species'];
  for (let index = 0; index < 150; index += 1) {
    const [name, sl, sw, pl, pw] = species[index % 3]!;
    const jitter = (center: number, spread: number): string => (center + (roll() - 0.5) * spread).toFixed(1);
    lines.push([jitter(sl, 1.2), jitter(sw, 0.9), jitter(pl, 1.1), jitter(pw, 0.5), name].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Datasets for the review screenshots: two versions of `customers`, a derived `customers-clean`,
 * `iris`, and a passing and a failing validation report. Files are written where the server can
 * read them (it runs on this machine) and imported by path, as the desktop app does.
 */
export async function seedDatasets(api: TestApi, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const importFile = async (name: string, file: string, text: string): Promise<void> => {
    const path = join(folder, file);
    await writeFile(path, text);
    await api.call('datasets.import', { source: { kind: 'path', path }, name });
  };
  await importFile('iris', 'iris.csv', irisCsv());
  await importFile('customers', 'customers-v1.csv', customersCsv(1800, 3));
  await importFile('customers', 'customers-v2.csv', customersCsv(2400, 11));
  await api.call('datasets.transform', {
    dataset: 'customers',
    steps: [
      { op: 'drop', columns: ['customer_id'] },
      { op: 'impute', columns: ['income'], strategy: 'median' },
      { op: 'encode', columns: ['plan'], method: 'ordinal' },
      { op: 'scale', columns: ['age', 'income'], method: 'standard' },
    ],
    outputName: 'customers-clean',
  });
  await api.call('datasets.transform', { dataset: 'customers-clean', steps: [{ op: 'filter', where: 'churned' }], outputName: 'churners' });
  const suite = await api.call('datasets.suggestSuite', { dataset: 'customers' });
  await api.call('datasets.validate', { dataset: 'customers', suite });
  await api.call('datasets.validate', {
    dataset: 'customers',
    suite: {
      name: 'customers.contract',
      expectations: [
        { type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 1000 } },
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'income', mostly: 0.99 } },
        { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'country', value_set: ['FR', 'DE', 'US', 'GB'] } },
        { type: 'expect_column_values_to_be_between', kwargs: { column: 'age', min_value: 18, max_value: 75 } },
        { type: 'expect_column_mean_to_be_between', kwargs: { column: 'income', min_value: 40000, max_value: 90000 } },
        { type: 'expect_column_values_to_match_regex', kwargs: { column: 'signup_date', regex: '^2024-' } },
      ],
    },
  });
}
