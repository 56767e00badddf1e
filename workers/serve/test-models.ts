/**
 * Real models for the serving tests and the benchmark: exported the way training exports them
 * (raw-column inputs, `label` + `probability_<class>` or `prediction`), and hand-made tensor models
 * of the kind people bring from elsewhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { exportModel } from '../trainer/export/index';
import { onnx } from '../trainer/graph/onnx';
import { initParameters } from '../trainer/model/init';
import { type ModelSpec, paramLayout, resolveModelSpec } from '../trainer/model/spec';
import { IRIS_SPECIES, readIris } from '../trainer/train/test-data';
import { train } from '../trainer/train/train';

export const IRIS_COLUMNS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;

/** An MLP 4→16→3 trained on Iris, taking the four measurements as double columns. */
export async function irisClassifier(): Promise<Uint8Array> {
  const model: ModelSpec = { task: 'classification', inputs: 4, hidden: [16], classes: 3 };
  const result = await train({ model, optimizer: { kind: 'adam', lr: 0.02 }, epochs: 60, batchSize: 16, seed: 1936 }, readIris());
  return exportModel({ spec: resolveModelSpec(model), theta: result.final.theta, featureNames: IRIS_COLUMNS, classes: IRIS_SPECIES }).onnx;
}

/** An untrained MLP over `inputs` double columns `f0…`, for throughput (weights seeded). */
export function mlpClassifier(inputs: number, hidden: readonly number[], classes: number): Uint8Array {
  const spec = resolveModelSpec({ task: 'classification', inputs, hidden: [...hidden], classes });
  const names = Array.from({ length: inputs }, (_, i) => `f${i}`);
  return exportModel({ spec, theta: initParameters(paramLayout(spec), 7), featureNames: names, classes: Array.from({ length: classes }, (_, c) => `class_${c}`) }).onnx;
}

/**
 * Raw columns of three kinds — `income` double (imputed with 50), `city` text (one-hot of Paris
 * and Oslo), `member` boolean — classified as `no`/`yes`.
 */
export function mixedClassifier(): Uint8Array {
  const spec = resolveModelSpec({ task: 'classification', inputs: 4, hidden: [4], classes: 2 });
  return exportModel({
    spec,
    theta: initParameters(paramLayout(spec), 11),
    featureNames: ['income', 'city_Paris', 'city_Oslo', 'member'],
    classes: ['no', 'yes'],
    preprocessing: {
      columns: [
        { name: 'income', type: 'DOUBLE' },
        { name: 'city', type: 'VARCHAR' },
        { name: 'member', type: 'BOOLEAN' },
      ],
      steps: [
        { step: { op: 'impute', columns: ['income'], strategy: 'mean' }, fitted: { op: 'impute', values: { income: 50 } } },
        { step: { op: 'encode', columns: ['city'], method: 'onehot' }, fitted: { op: 'encode', method: 'onehot', categories: { city: ['Paris', 'Oslo'] }, outputColumns: { city: ['city_Paris', 'city_Oslo'] } } },
      ],
    },
  }).onnx;
}

/** A regressor over `x0`, `x1` with `targets` outputs per row. */
export function regressor(targets: number): Uint8Array {
  const spec = resolveModelSpec({ task: 'regression', inputs: 2, hidden: [3], outputs: targets });
  return exportModel({ spec, theta: initParameters(paramLayout(spec), 5), featureNames: ['x0', 'x1'], preprocessing: { columns: [{ name: 'x0', type: 'DOUBLE' }, { name: 'x1', type: 'DOUBLE' }], steps: [] } }).onnx;
}

type Dim = number | string;
const tensor = (name: string, elemType: number, dims: readonly Dim[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) } } },
});

/**
 * A model brought from elsewhere: `X` float [N, 2, 2] → `doubled` (X + X) and `total` (the sum of
 * each row, float [N]); with `single`, only `doubled`.
 */
export function tensorModel(options: { single?: boolean } = {}): Uint8Array {
  const outputs = [tensor('doubled', 1, ['N', 2, 2]), ...(options.single ? [] : [tensor('total', 1, ['N'])])];
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'hand',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g',
      node: [
        { input: ['X', 'X'], output: ['doubled'], opType: 'Add' },
        ...(options.single ? [] : [{ input: ['X', 'axes'], output: ['total'], opType: 'ReduceSum', attribute: [{ name: 'keepdims', i: 0, type: 2 }] }]),
      ],
      initializer: options.single ? [] : [{ name: 'axes', dataType: 7, dims: [2], int64Data: [1, 2] }],
      input: [tensor('X', 1, ['N', 2, 2])],
      output: outputs,
    },
  }).finish();
}

/** Two named integer inputs: `a` int64 [N, 3], `b` int32 [N] → `sum` int64 [N] = Σa + b. */
export function twoInputModel(): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'hand',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g',
      node: [
        { input: ['a', 'axes'], output: ['rowsum'], opType: 'ReduceSum', attribute: [{ name: 'keepdims', i: 0, type: 2 }] },
        { input: ['b'], output: ['b64'], opType: 'Cast', attribute: [{ name: 'to', i: 7, type: 2 }] },
        { input: ['rowsum', 'b64'], output: ['sum'], opType: 'Add' },
      ],
      initializer: [{ name: 'axes', dataType: 7, dims: [1], int64Data: [1] }],
      input: [tensor('a', 7, ['N', 3]), tensor('b', 6, ['N'])],
      output: [tensor('sum', 7, ['N'])],
    },
  }).finish();
}

/** Model files in a scratch folder, removed by `remove()`. */
export function modelFolder(): { write(name: string, bytes: Uint8Array): string; remove(): void } {
  const dir = mkdtempSync(join(os.tmpdir(), 'trainyard-serve-'));
  return {
    write: (name, bytes) => {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `x` float [N] reshaped to pairs: onnxruntime fails at run time when N is odd (a 500, not the client's fault). */
export function pairsModel(): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'hand',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g',
      node: [{ input: ['x', 'shape'], output: ['pairs'], opType: 'Reshape' }],
      initializer: [{ name: 'shape', dataType: 7, dims: [2], int64Data: [-1, 2] }],
      input: [tensor('x', 1, ['N'])],
      output: [tensor('pairs', 1, ['M', 2])],
    },
  }).finish();
}
