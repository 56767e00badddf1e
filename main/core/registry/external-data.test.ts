/**
 * MLflow's ONNX flavor saves tensors as external data beside model.onnx by default. A registered
 * version is laid out as a directory (hard links to its stored objects) so onnxruntime finds them.
 */
import onnxProto from 'onnx-proto';
import { dirname, join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench & { home: string };
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

/** Y = X + W, with W (float [4]) stored in weights.bin. */
function externalModel(): Uint8Array {
  const { onnx } = onnxProto;
  const tensor = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 4 }] } } } });
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'mlflow-like',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g',
      node: [{ input: ['X', 'W'], output: ['Y'], opType: 'Add' }],
      initializer: [{ name: 'W', dims: [4], dataType: 1, dataLocation: 1, externalData: [{ key: 'location', value: 'weights.bin' }, { key: 'offset', value: '0' }, { key: 'length', value: '16' }] }],
      input: [tensor('X')],
      output: [tensor('Y')],
    },
  }).finish();
}

describe('ONNX models with external data', () => {
  it('are served from a directory where their tensors sit beside model.onnx', async () => {
    const run = workbench.tracking.createRun({ name: 'logged-by-mlflow' });
    await workbench.artifacts.writeBytes(run.id, 'model/model.onnx', externalModel());
    await workbench.artifacts.writeBytes(run.id, 'model/weights.bin', new Uint8Array(Float32Array.from([1, 2, 3, 4]).buffer));
    await workbench.artifacts.writeBytes(run.id, 'model/MLmodel', Buffer.from('flavors:\n  onnx:\n    data: model.onnx\n'));
    workbench.registry.register(run.id, 'external');
    const file = workbench.registry.modelFile('models:/external/1');
    expect(existsSync(join(dirname(file), 'weights.bin'))).toBe(true);
    expect(workbench.registry.modelFile('models:/external/1')).toBe(file); // laid out once
    expect(readFileSync(file)).toEqual(Buffer.from(externalModel()));

    const server = await workbench.serving.start('models:/external/1');
    try {
      const reply = await workbench.serving.predict(server.id, JSON.stringify({ inputs: { X: [[10, 20, 30, 40]] } }), 'application/json');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ predictions: [[11, 22, 33, 44]] });
    } finally {
      await workbench.serving.stop(server.id);
    }
  });
});
