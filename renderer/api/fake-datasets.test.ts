import { describe, expect, it } from 'vitest';
import type { WorkbenchEvent } from '../../shared/events';
import { createFakeConnection } from './fake-api';

async function importCsv(fake: ReturnType<typeof createFakeConnection>, name: string, text: string) {
  const uploadId = await fake.upload!([{ file: new Blob([text]), path: `${name}.csv` }]);
  return fake.api['datasets.import']({ source: { kind: 'upload', uploadId }, name });
}

describe('the fake back end for datasets', () => {
  it('imports an upload as a profiled version, dedups identical content and announces both', async () => {
    const fake = createFakeConnection();
    const events: WorkbenchEvent[] = [];
    fake.onEvent((event) => events.push(event));
    const version = await importCsv(fake, 'iris', 'x,kind\n1,a\n2,b\n,a\n');
    expect(version).toMatchObject({ dataset: 'iris', version: 1, rowCount: 3, format: 'csv' });
    expect(version.profile.columns[0]).toMatchObject({ name: 'x', kind: 'integer', nullCount: 1, min: 1, max: 2, mean: 1.5 });
    expect((await importCsv(fake, 'iris', 'x,kind\n1,a\n2,b\n,a\n')).version).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events.filter((event) => event.name === 'job.updated').map((event) => event.name === 'job.updated' && event.payload.job.state)).toContain('done');
    expect(events.some((event) => event.name === 'dataset.changed')).toBe(true);
    await expect(importCsv(fake, 'bad', 'a,b\n1,2,3\n')).rejects.toMatchObject({ message: expect.stringContaining('line 2 has 3 fields') });
  });

  it('validates with GE result shapes, derives versions with lineage, and pages the preview', async () => {
    const fake = createFakeConnection();
    await importCsv(fake, 'people', 'age,country\n20,FR\n35,DE\n51,US\n17,US\n');
    const report = await fake.api['datasets.validate']({
      dataset: 'people',
      suite: { expectation_suite_name: 'legacy', expectations: [{ expectation_type: 'expect_column_values_to_be_in_set', kwargs: { column: 'country', value_set: ['FR', 'DE'] } }] },
    });
    expect(report.success).toBe(false);
    expect(report.result.results[0]?.result).toMatchObject({ unexpected_count: 2, unexpected_percent: 50, partial_unexpected_counts: [{ value: 'US', count: 2 }] });
    const adults = await fake.api['datasets.transform']({ dataset: 'people', steps: [{ op: 'filter', where: 'age >= 18' }], outputName: 'adults' });
    expect(adults).toMatchObject({ dataset: 'adults', version: 1, rowCount: 3, parents: [{ dataset: 'people', version: 1 }] });
    const lineage = await fake.api['datasets.lineage']({ dataset: 'people' });
    expect(lineage.edges).toEqual([{ from: 'v:1', to: 'v:2' }]);
    const page = await fake.api['datasets.preview']({ dataset: 'people', offset: 1, limit: 2 });
    expect(page).toMatchObject({ offset: 1, total: 4, rows: [['35', 'DE'], ['51', 'US']] });
  });
});
