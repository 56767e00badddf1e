import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trainingConfigSchema } from '../../../shared/training';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

const iris = join(process.cwd(), 'workers', 'trainer', 'train', 'fixtures', 'iris.csv');
let workbench: Workbench & { home: string };
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

/** A one-node model: Y = op(X, X) over float [N, 4]. */
function oneNodeModel(opType: string): Uint8Array {
  const { onnx } = onnxProto;
  const tensor = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 4 }] } } } });
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'hand',
    producerVersion: '1.0',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'g', node: [{ input: ['X', 'X'], output: ['Y'], opType }], input: [tensor('X')], output: [tensor('Y')] },
  }).finish();
}

const runCount = async () => ((await workbench.dispatch('runs.search', {})) as { ok: true; result: { runs: unknown[] } }).result.runs.length;

describe('bring your own ONNX model', () => {
  it('keeps a model trained elsewhere as a run with model/ artifacts and a tensor signature', async () => {
    const file = join(workbench.home, 'doubler.onnx');
    await writeFile(file, oneNodeModel('Add'));
    const { run, info } = await workbench.models.importOnnx(file, { name: 'doubler' });
    expect(run.status).toBe('FINISHED');
    expect(info).toMatchObject({ inputs: [{ name: 'X', dtype: 'float32', shape: [-1, 4] }], outputs: [{ name: 'Y', dtype: 'float32', shape: [-1, 4] }], producer: 'hand 1.0', nodes: 1 });
    const logged = workbench.tracking.getRun(run.id);
    expect(logged.tags['trainyard.kind']).toBe('import');
    expect(logged.params['model.inputs']).toBe('X float32[?, 4]');
    expect(workbench.artifacts.list(run.id, 'model').map((entry) => entry.path)).toEqual(expect.arrayContaining(['model/model.onnx', 'model/MLmodel', 'model/requirements.txt']));
    expect(await readFile(workbench.artifacts.locate(run.id, 'model/model.onnx').file)).toEqual(Buffer.from(oneNodeModel('Add')));
    const mlmodel = (await workbench.artifacts.read(run.id, 'model/MLmodel', 20_000)).content;
    expect(mlmodel).toContain(`inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}, "name": "X"}]'`);
    expect(mlmodel).toMatch(new RegExp(`model_uuid: '?\\w+'?\\nrun_id: '${run.id}'\\n`));
  });

  it('takes a model this app exported, through the contract', async () => {
    await workbench.datasets.importPath(iris);
    const trained = await workbench.training.start({ dataset: 'iris' }, trainingConfigSchema.parse({ target: 'species', epochs: 3 })).done;
    const file = join(workbench.home, 'iris.onnx');
    await copyFile(workbench.artifacts.locate(trained.run.id, 'model/model.onnx').file, file);
    const answer = (await workbench.dispatch('models.importOnnx', { source: { kind: 'path', path: file } })) as { ok: true; result: { runId: string; info: { inputs: Array<{ name: string }>; outputs: Array<{ name: string }> } } };
    expect(answer.ok).toBe(true);
    expect(answer.result.info.inputs.map((input) => input.name)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(answer.result.info.outputs.map((output) => output.name)).toEqual(['label', 'probability_setosa', 'probability_versicolor', 'probability_virginica']);
    expect(workbench.tracking.getRun(answer.result.runId).name).toBe('iris');
  }, 60_000);

  it('refuses corrupt files and models onnxruntime cannot load, leaving no run behind', async () => {
    const before = await runCount();
    const garbage = join(workbench.home, 'garbage.onnx');
    await writeFile(garbage, Buffer.from('this is not a model at all, just some text that is long enough'));
    await expect(workbench.models.importOnnx(garbage)).rejects.toThrow(/^garbage\.onnx is not an ONNX model/);
    const empty = join(workbench.home, 'empty.onnx');
    await writeFile(empty, '');
    await expect(workbench.models.importOnnx(empty)).rejects.toThrow('empty.onnx is empty, not an ONNX model.');
    const unknown = join(workbench.home, 'unknown-op.onnx');
    await writeFile(unknown, oneNodeModel('NoSuchOp'));
    await expect(workbench.models.importOnnx(unknown)).rejects.toThrow(/^onnxruntime cannot load unknown-op\.onnx: .*NoSuchOp/);
    await expect(workbench.models.importOnnx(join(workbench.home, 'model.pt'))).rejects.toThrow("Expected an .onnx file, got 'model.pt'.");
    expect(await runCount()).toBe(before);
  });
});
