import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import onnxProto from 'onnx-proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempHome } from '../core/testing/temp-home';

const exec = promisify(execFile);
const cli = join(process.cwd(), 'dist', 'cli', 'trainyard.js');
let home: { path: string; remove(): void };
beforeEach(() => {
  home = tempHome();
});
afterEach(() => home.remove());

async function trainyard(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cli, ...args, '--home', home.path]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('trainyard CLI', () => {
  it('creates, logs, lists and shows runs; runs stay RUNNING between commands', async () => {
    await trainyard('experiments', 'create', 'vision');
    const id = (await trainyard('runs', 'create', '--experiment', 'vision', '--name', 'baseline', '--param', 'lr=0.01')).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect((await trainyard('runs', 'log', id, '--metric', 'loss=0.5@1', '--metric', 'loss=0.25@2')).code).toBe(0);
    const listed = JSON.parse((await trainyard('runs', 'list', '--json', '--filter', 'metrics.loss < 0.3')).stdout) as { runs: Array<{ id: string; status: string; metrics: { loss: { value: number } } }> };
    expect(listed.runs.map((run) => run.id)).toEqual([id]);
    expect(listed.runs[0]).toMatchObject({ status: 'RUNNING', metrics: { loss: { value: 0.25 } } });
    const table = (await trainyard('runs', 'list')).stdout;
    expect(table).toMatch(/RUN ID\s+NAME\s+STATUS/);
    expect(table).toContain('baseline');
    expect((await trainyard('runs', 'end', id)).code).toBe(0);
    const shown = (await trainyard('runs', 'show', id)).stdout;
    expect(shown).toMatch(/status\s+FINISHED/);
    expect(shown).toMatch(/lr\s+0\.01/);
    const experiments = (await trainyard('experiments', 'list')).stdout;
    expect(experiments).toMatch(/1\s+vision\s+1/);
  });

  it('logs artifacts and purges a trashed run\'s bytes', async () => {
    const id = (await trainyard('runs', 'create')).stdout.trim();
    const file = join(home.path, 'report.txt');
    writeFileSync(file, 'x'.repeat(5000));
    expect((await trainyard('runs', 'log-artifact', id, file)).stdout).toContain('Logged 1 artifact file(s)');
    await trainyard('runs', 'delete', id);
    expect((await trainyard('runs', 'purge', '--json')).stdout).toContain('"bytesFreed": 5000');
  });

  it('exits 2 with a clear message on bad usage and bad filters', async () => {
    const bad = await trainyard('runs', 'list', '--filter', "params.lr = '0.1");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Invalid filter at column \d+/);
    expect((await trainyard('nonsense')).code).toBe(2);
    const missing = await trainyard('runs', 'show', 'abc');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No run with id 'abc'");
  });

  it('adds, shows, validates and exports datasets; a failing suite exits 1', async () => {
    const csv = join(home.path, 'iris.csv');
    writeFileSync(csv, 'sepal,species\n5.1,setosa\n4.9,setosa\n6.3,\n');
    expect((await trainyard('data', 'add', csv)).stdout).toMatch(/^Added iris@1: 3 rows × 2 columns/);
    expect((await trainyard('data', 'add', csv)).stdout).toMatch(/^Unchanged, already stored as iris@1/);
    expect((await trainyard('data', 'list')).stdout).toMatch(/iris\s+@1\s+1\s+3/);
    expect((await trainyard('data', 'show', 'iris@1')).stdout).toMatch(/species\s+VARCHAR\s+1\s+1/);
    const suite = join(home.path, 'suite.json');
    writeFileSync(suite, JSON.stringify({ name: 's', expectations: [{ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'species' } }] }));
    const failed = await trainyard('data', 'validate', 'iris', '--suite', suite);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/FAILED\s+iris@1 against 's': 0\/1/);
    expect(failed.stdout).toMatch(/FAIL\s+species\s+values must never be null\.\s+≈33\.333% unexpected/);
    expect((await trainyard('data', 'export', 'iris@1', join(home.path, 'out'))).stdout).toContain('Exported iris@1: 1 file(s)');
    expect((await trainyard('data', 'show', 'iris@7')).stderr).toContain("Dataset 'iris' has no version 7");
  });

  it('imports an ONNX model trained elsewhere, and refuses a corrupt one with exit code 2', async () => {
    const { onnx } = onnxProto;
    const tensor = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }] } } } });
    const model = onnx.ModelProto.encode({ irVersion: 8, producerName: 'elsewhere', opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g', node: [{ input: ['x'], output: ['y'], opType: 'Relu' }], input: [tensor('x')], output: [tensor('y')] } }).finish();
    const file = join(home.path, 'relu.onnx');
    writeFileSync(file, model);
    const imported = await trainyard('models', 'import', file, '--name', 'relu-net');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/Imported .*relu\.onnx as run [0-9a-f]{32} \(relu-net\): 1 nodes, produced by elsewhere\./);
    expect(imported.stdout).toContain('inputs:  x float32[?, 3]');
    const runId = /as run ([0-9a-f]{32})/.exec(imported.stdout)![1]!;
    const registered = await trainyard('models', 'register', runId, 'relu', '--alias', 'champion', '--stage', 'production');
    expect(registered.stdout).toContain(`Registered runs:/${runId}/model as models:/relu/1 (@champion) in Production.`);
    expect((await trainyard('models', 'alias', 'relu', 'latest', '1')).stderr).toMatch(/'latest' is a reserved alias/);
    expect((await trainyard('models', 'list')).stdout).toMatch(/relu\s+1\s+@champion=v1\s+Production=v1/);
    const broken = join(home.path, 'broken.onnx');
    writeFileSync(broken, 'not a model, only words that are long enough to decode as something');
    const refused = await trainyard('models', 'import', broken);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/broken\.onnx is not an ONNX model/);
  }, 30_000);
});
