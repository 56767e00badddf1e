import type { WorkbenchApi } from '../../shared/api';
import type { FakeBackend } from './fake-api';
import type { Uploader } from './connection';

/**
 * Demo datasets for `?demo`: a tabular dataset with two versions, a derived (transformed) version
 * a run read, passing and failing validation reports, and a small image folder.
 */

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

function irisCsv(): string {
  const roll = random(7);
  const species = [['setosa', 5.0, 3.4, 1.5, 0.25], ['versicolor', 5.9, 2.8, 4.3, 1.3], ['virginica', 6.6, 3.0, 5.6, 2.0]] as const;
  const lines = ['sepal_length,sepal_width,petal_length,petal_width,species'];
  for (let index = 0; index < 150; index += 1) {
    const [name, sl, sw, pl, pw] = species[index % 3]!;
    const jitter = (center: number, spread: number): string => (center + (roll() - 0.5) * spread).toFixed(1);
    lines.push([jitter(sl, 1.2), index === 40 ? '' : jitter(sw, 0.9), jitter(pl, 1.1), jitter(pw, 0.5), name].join(','));
  }
  return `${lines.join('\n')}\n`;
}

function customersCsv(rows: number, seed: number): string {
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

/** A PNG with just enough of a header for its width and height to be read. */
function pngHeader(width: number, height: number): Blob {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  return new Blob([bytes], { type: 'image/png' });
}

export async function seedDemoDatasets(api: WorkbenchApi, upload: Uploader, backend: FakeBackend, runId: string): Promise<void> {
  const importText = async (name: string, path: string, text: string): Promise<void> => {
    const uploadId = await upload([{ file: new Blob([text]), path }]);
    await api['datasets.import']({ source: { kind: 'upload', uploadId }, name });
  };
  await importText('iris', 'iris.csv', irisCsv());
  await importText('customers', 'customers.csv', customersCsv(1800, 3));
  await importText('customers', 'customers.csv', customersCsv(2400, 11));
  const clean = await api['datasets.transform']({
    dataset: 'customers',
    steps: [
      { op: 'drop', columns: ['customer_id'] },
      { op: 'impute', columns: ['income'], strategy: 'median' },
      { op: 'encode', columns: ['plan'], method: 'ordinal' },
      { op: 'scale', columns: ['age', 'income'], method: 'standard' },
      { op: 'split', fractions: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 42 },
    ],
    outputName: 'customers-clean',
  });
  backend.datasets.runInputs.push({ runId, versionId: clean.id });

  const suite = await api['datasets.suggestSuite']({ dataset: 'customers' });
  await api['datasets.validate']({ dataset: 'customers', suite });
  await api['datasets.validate']({
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

  const labels = ['file,label'];
  const files = [];
  for (let index = 0; index < 60; index += 1) {
    const label = ['cat', 'dog', 'dog', 'bird'][index % 4]!;
    const path = `${label}/${String(index).padStart(3, '0')}.png`;
    labels.push(`${path},${label}`);
    files.push({ file: pngHeader(index % 5 === 0 ? 256 : 224, 224), path });
  }
  const uploadId = await upload([{ file: new Blob([`${labels.join('\n')}\n`]), path: 'labels.csv' }, ...files]);
  await api['datasets.import']({ source: { kind: 'upload', uploadId }, name: 'pets-images' });
  // From now on the demo's jobs take a moment, so imports show their progress in the status bar.
  backend.datasets.jobs.durationMs = 2500;
}
