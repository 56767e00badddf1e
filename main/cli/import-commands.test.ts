import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MlrunsFixture } from '../core/mlflow/import/mlruns-fixture';
import { tempHome } from '../core/testing/temp-home';
import { importCommands } from './import-commands';

let home: { path: string; remove(): void };
let folder: { path: string; remove(): void };
beforeEach(() => {
  home = tempHome();
  folder = tempHome('trainyard-project-');
});
afterEach(() => {
  vi.restoreAllMocks();
  home.remove();
  folder.remove();
});

/** `trainyard import mlflow <args>`: the command receives what follows its words. */
async function trainyardImport(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
  const code = await importCommands[0]!.run([...args, '--home', home.path]);
  vi.restoreAllMocks();
  return { code, out: lines.join('\n') };
}

describe('trainyard import mlflow', () => {
  it('imports a project folder holding mlruns/, prints counts, and resumes without duplicating', async () => {
    const store = new MlrunsFixture(join(folder.path, 'mlruns'));
    const experiment = store.experiment('0', 'Default');
    store.run(experiment, '0', { id: 'ab'.repeat(16), name: 'baseline', startTime: 1_700_000_000_000, params: { lr: '0.1' }, metrics: { loss: [[1_700_000_000_001, '0.5', 0], [1_700_000_000_002, '0.25', 1]] }, artifacts: { 'notes.txt': 'hi' } });

    const first = await trainyardImport(folder.path);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Imported from ${join(folder.path, 'mlruns')}:`);
    expect(first.out).toMatch(/runs: +1 imported, 0 already there/);
    expect(first.out).toContain('1 params, 3 tags, 2 metric points, 1 artifact files');

    const again = await trainyardImport(join(folder.path, 'mlruns'), '--json');
    expect(JSON.parse(again.out)).toMatchObject({ runs: { imported: 0, alreadyThere: 1 }, metricPoints: 0, artifacts: 0 });
  });

  it('refuses a tracking URI with what to do instead', async () => {
    await expect(trainyardImport('http://127.0.0.1:5000')).rejects.toThrow(/tracking URI .* is not supported yet\. Import the folder/);
  });
});
