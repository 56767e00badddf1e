import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MlrunsFixture } from '../core/mlflow/import/mlruns-fixture';
import { registerRegistryRoutes } from '../core/mlflow/registry-routes';
import { startMlflowTestServer } from '../core/mlflow/test-server';
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

  it('imports from a running MLflow server by its tracking URI, with MLFLOW_TRACKING_TOKEN, and resumes without duplicating', async () => {
    const server = await startMlflowTestServer({ routes: [registerRegistryRoutes] });
    const authorizations: Array<string | null> = [];
    const realFetch = globalThis.fetch;
    try {
      const { experiment_id: experimentId } = (await server.send('POST', '/api/2.0/mlflow/experiments/create', { name: 'remote' })).body as { experiment_id: string };
      const created = await server.send('POST', '/api/2.0/mlflow/runs/create', { experiment_id: experimentId, run_name: 'baseline', start_time: 1_700_000_000_000 });
      const runId = (created.body['run'] as { info: { run_id: string } }).info.run_id;
      await server.send('POST', '/api/2.0/mlflow/runs/log-batch', { run_id: runId, params: [{ key: 'lr', value: '0.1' }], metrics: [{ key: 'loss', value: 0.5, timestamp: 1, step: 0 }, { key: 'loss', value: 'NaN', timestamp: 2, step: 1 }] });
      await server.raw('PUT', `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/notes.txt`, { body: 'hi' });
      vi.stubEnv('MLFLOW_TRACKING_TOKEN', 'sekrit');
      const watched = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
        authorizations.push(new Headers(init?.headers).get('authorization'));
        return realFetch(input, init);
      }) as typeof fetch;
      globalThis.fetch = watched;

      const first = await trainyardImport(server.base);
      expect(first.code).toBe(0);
      expect(first.out).toContain(`Imported from ${server.base}:`);
      expect(first.out).toMatch(/experiments: 1 created, 1 merged by name/);
      expect(first.out).toMatch(/runs: +1 imported, 0 already there/);
      expect(first.out).toContain('1 params, 0 tags, 2 metric points, 1 artifact files');
      expect(authorizations.length).toBeGreaterThan(3);
      expect(new Set(authorizations)).toEqual(new Set(['Bearer sekrit']));

      const again = await trainyardImport(server.base, '--json');
      expect(JSON.parse(again.out)).toMatchObject({ source: server.base, runs: { imported: 0, alreadyThere: 1 }, metricPoints: 0, artifacts: 0 });
    } finally {
      globalThis.fetch = realFetch;
      vi.unstubAllEnvs();
      await server.close();
    }
  });

  it('names the server it could not read, and refuses a store URI it cannot read with what to do instead', async () => {
    await expect(trainyardImport('http://127.0.0.1:9/')).rejects.toThrow('POST http://127.0.0.1:9/api/2.0/mlflow/experiments/search failed:');
    await expect(trainyardImport('sqlite:///mlflow.db')).rejects.toThrow(/Cannot import from 'sqlite:\/\/\/mlflow.db': give an mlruns folder or an http\(s\):\/\/ tracking URI/);
  });
});
