/**
 * Export without preprocessing: the exported model reproduces the training forward graph exactly,
 * loads in a fresh session with string labels, carries arbitrary column names, and comes with an
 * MLmodel MLflow can read; verifyExport reports mismatches. Real onnxruntime CPU throughout.
 */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnx } from '../graph/onnx';
import { initParameters } from '../model/init';
import { type ModelSpec, paramLayout, resolveModelSpec } from '../model/spec';
import { blobs, rowsOf } from '../train/test-data';
import { train } from '../train/train';
import { exportModel } from './export';
import { columnsJson } from './mlmodel';
import { type RawColumns, runExported, trainingPredictions, verifyExport } from './verify';

/** Column-wise raw inputs from a row-major float matrix. */
function columnsOf(x: Float32Array, names: readonly string[]): Record<string, number[]> {
  const rows = x.length / names.length;
  return Object.fromEntries(names.map((name, c) => [name, Array.from({ length: rows }, (_, r) => x[r * names.length + c]!)]));
}

const features = ['f0', 'f1', 'f2', 'f3'];
const data = blobs(96, 4, 3, 5);

describe('export without preprocessing', () => {
  it('a trained classifier reproduces the training forward graph exactly (float32 probabilities, labels)', async () => {
    const result = await train({ model: { task: 'classification', inputs: 4, hidden: [16], classes: 3 }, optimizer: { kind: 'adam', lr: 0.01 }, epochs: 3, batchSize: 16, seed: 3 }, rowsOf(data, 4, 0, 96));
    const spec = resolveModelSpec({ task: 'classification', inputs: 4, hidden: [16], classes: 3 });
    const classes = ['red', 'green', 'blue'];
    const exported = exportModel({ spec, theta: result.final.theta, featureNames: features, classes });
    const want = await trainingPredictions(spec, result.final.theta, data.x, classes);
    const got = await runExported(exported.onnx, columnsOf(data.x, features));
    expect(got.probabilities).toEqual(want.probabilities);
    expect(got.labels).toEqual(want.labels);
    expect(new Set(got.labels)).toEqual(new Set(classes));
    expect(await verifyExport(exported.onnx, columnsOf(data.x, features), want)).toEqual({ ok: true, rows: 96, maxAbsDiff: 0 });
  });

  it.each<[string, ModelSpec]>([
    ['a sigmoid binary head (two probability columns)', { task: 'classification', inputs: 4, classes: 2 }],
    ['layer norm, GELU, two hidden layers, softmax with 2 classes', { task: 'classification', inputs: 4, hidden: [8, 8], activation: 'gelu', layerNorm: true, classes: 2, binaryHead: 'softmax' }],
    ['a regressor', { task: 'regression', inputs: 4, hidden: [8], activation: 'tanh' }],
  ])('%s matches too', async (_, modelSpec) => {
    const spec = resolveModelSpec(modelSpec);
    const theta = initParameters(paramLayout(spec), 7);
    const classes = spec.task === 'classification' ? ['no', 'yes'] : undefined;
    const exported = exportModel({ spec, theta, featureNames: features, ...(classes ? { classes } : {}) });
    const want = await trainingPredictions(spec, theta, data.x, classes);
    const got = await runExported(exported.onnx, columnsOf(data.x, features));
    expect(got).toEqual(want);
    if (spec.task === 'classification') expect(got.probabilities!.length).toBe(96 * 2);
    else expect(got.predictions!.length).toBe(96);
  });
});

describe('the model file', () => {
  const spec = resolveModelSpec({ task: 'classification', inputs: 4, hidden: [4], classes: 3 });
  const theta = initParameters(paramLayout(spec), 1);
  // Names a DataFrame may have but an identifier may not, and names the builder uses internally
  // (a constant, a weight, the first input's placeholder).
  const names = ['sepal length (cm)', 'const_0', 'layers.0.weight', 'raw_input_0'];
  const classes = ['Iris setosa', "O'Brien", 'ünïcode'];
  const exported = exportModel({ spec, theta, featureNames: names, classes, mlmodel: { modelUuid: 'abc123', createdAt: new Date('2024-04-15T10:00:00.123Z'), runId: 'run1', artifactPath: 'model', metadata: { source: 'trainyard' } } });

  it('loads in a fresh session: inputs named like the columns, a string label, one probability per class', async () => {
    const session = await InferenceSession.create(exported.onnx);
    expect(session.inputNames).toEqual(names);
    expect(session.outputNames).toEqual(['label', 'probability_Iris setosa', "probability_O'Brien", 'probability_ünïcode']);
    const feeds = Object.fromEntries(names.map((name, i) => [name, new Tensor('float64', Float64Array.from([i, -i, 0.5]), [3])]));
    const out = await session.run(feeds);
    expect(out.label!.type).toBe('string');
    expect(out.label!.dims).toEqual([3]);
    for (const label of out.label!.data as string[]) expect(classes).toContain(label);
    expect(out['probability_Iris setosa']!.dims).toEqual([3]);
    await session.release();
  });

  it('a single-input model takes [N, 1], the shape MLflow feeds a one-column DataFrame as', async () => {
    const one = resolveModelSpec({ task: 'regression', inputs: 1 });
    const w = initParameters(paramLayout(one), 1);
    const single = exportModel({ spec: one, theta: w, featureNames: ['x'] });
    const dims = (onnx.ModelProto.decode(single.onnx).graph!.input ?? []).map((i) => i.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue)));
    expect(dims).toEqual([['N', 1]]);
    const session = await InferenceSession.create(single.onnx);
    const out = await session.run({ x: new Tensor('float64', Float64Array.from([1, 2]), [2, 1]) });
    expect(out.prediction!.dims).toEqual([2, 1]);
    await session.release();
    expect((await runExported(single.onnx, { x: [1, 2] })).predictions).toEqual(out.prediction!.data);
  });

  it('feeds each column to its own feature despite the clashing names', async () => {
    const x = Float32Array.from({ length: 4 * 6 }, (_, i) => Math.sin(i * 1.7) * 3);
    expect(await runExported(exported.onnx, columnsOf(x, names))).toEqual(await trainingPredictions(spec, theta, x, classes));
  });

  it('is unoptimized opset 17 + ai.onnx.ml 3, weights named like state_dict keys, with metadata', () => {
    const model = onnx.ModelProto.decode(exported.onnx);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17], ['ai.onnx.ml', 3]]);
    const graph = model.graph!;
    const initializers = (graph.initializer ?? []).map((t) => t.name);
    expect(initializers).toEqual(expect.arrayContaining(['layers.0.weight__1', 'layers.0.bias', 'head.weight', 'head.bias']));
    // One [N] input per column: MLflow's onnx pyfunc feeds `data[name].values` to a model with several inputs.
    expect((graph.input ?? []).map((i) => [i.name, i.type!.tensorType!.elemType, i.type!.tensorType!.shape!.dim!.map((d) => d.dimParam)])).toEqual(names.map((n) => [n, 11, ['N']]));
    expect(Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]))).toMatchObject({ 'trainyard.task': 'classification', 'trainyard.classes': JSON.stringify(classes), 'trainyard.features': JSON.stringify(names) });
    // Written as built: an optimized file would hold the runtime's own fused ops (com.microsoft domain).
    expect(new Set((graph.node ?? []).map((n) => n.domain))).toEqual(new Set(['', 'ai.onnx.ml']));
  });

  it('writes MLmodel with the onnx and python_function flavors and a column signature', () => {
    expect(exported.signature).toEqual({
      inputs: names.map((name) => ({ name, type: 'double' })),
      outputs: [{ name: 'label', type: 'string' }, ...classes.map((c) => ({ name: `probability_${c}`, type: 'float' }))],
    });
    const lines = exported.mlmodel.split('\n');
    expect(lines.slice(0, 17)).toEqual([
      'artifact_path: model',
      'flavors:',
      '  onnx:',
      '    code: null',
      '    data: model.onnx',
      '    onnx_session_options: null',
      "    onnx_version: '1.12.0'",
      '    providers:',
      '    - CUDAExecutionProvider',
      '    - CPUExecutionProvider',
      '  python_function:',
      '    data: model.onnx',
      '    env:',
      '      conda: conda.yaml',
      '      virtualenv: python_env.yaml',
      '    loader_module: mlflow.onnx',
      "    python_version: '3.10.12'",
    ]);
    expect(exported.mlmodel).toContain(`\nmetadata:\n  source: trainyard\nmlflow_version: '2.12.1'\nmodel_size_bytes: ${exported.onnx.length}\nmodel_uuid: abc123\nrun_id: run1\n`);
    expect(exported.mlmodel).toContain(`signature:\n  inputs: '[{"name": "sepal length (cm)", "type": "double"}, {"name": "const_0", "type": "double"}, {"name": "layers.0.weight", "type": "double"}, {"name": "raw_input_0", "type": "double"}]'\n`);
    // A quote inside the JSON is doubled in YAML's single-quoted style.
    expect(exported.mlmodel).toContain(`{"name": "probability_O''Brien", "type": "float"}`);
    expect(exported.mlmodel.endsWith("  params: null\nutc_time_created: '2024-04-15 10:00:00.123000'\n")).toBe(true);
    expect(JSON.parse(columnsJson(exported.signature.outputs))).toEqual(exported.signature.outputs);
    expect(Object.keys(exported.files).sort()).toEqual(['conda.yaml', 'python_env.yaml', 'requirements.txt']);
    expect(exported.files['python_env.yaml']).toContain('- -r requirements.txt');
    expect(exported.files['requirements.txt']).toMatch(/^mlflow>=.*\nonnx>=.*\nonnxruntime>=/);
  });

  it('refuses what it cannot name or size', () => {
    expect(() => exportModel({ spec, theta, featureNames: ['a', 'label', 'c', 'd'], classes })).toThrow(/"label" would name both a raw input column and an output/);
    expect(() => exportModel({ spec, theta, featureNames: ['a', 'b'], classes })).toThrow(/reads 4 features, but 2/);
    expect(() => exportModel({ spec, theta, featureNames: names, classes: ['a', 'b'] })).toThrow(/needs their 3 names/);
    expect(() => exportModel({ spec, theta: theta.subarray(1), featureNames: names, classes })).toThrow(/θ has/);
  });
});

describe('verifyExport', () => {
  const spec = resolveModelSpec({ task: 'classification', inputs: 4, hidden: [8], classes: 3 });
  const theta = initParameters(paramLayout(spec), 2);
  const classes = ['a', 'b', 'c'];
  const raw: RawColumns = columnsOf(data.x, features);

  it('reports differing labels and probabilities, a missing column, and a regression off by a relative error', async () => {
    const { onnx: bytes } = exportModel({ spec, theta, featureNames: features, classes });
    const want = await trainingPredictions(spec, theta, data.x, classes);
    const probabilities = Float32Array.from(want.probabilities!);
    probabilities[7] = probabilities[7]! + 1e-3;
    const labels = [...want.labels!];
    labels[4] = labels[4] === 'a' ? 'b' : 'a';
    const bad = await verifyExport(bytes, raw, { ...want, labels, probabilities });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/1 label\(s\) differ, first at row 4: .* probability values differ by up to 1\.00e-3 \(tolerance 0\.00001\), at row 2/);
    const missing = await verifyExport(bytes, { f0: raw.f0!, f1: raw.f1!, f2: raw.f2! }, want);
    expect(!missing.ok && missing.message).toMatch(/did not run on the raw rows: the raw column "f3" the model takes is missing/);

    const regression = resolveModelSpec({ task: 'regression', inputs: 4 });
    const w = initParameters(paramLayout(regression), 3);
    const exported = exportModel({ spec: regression, theta: w, featureNames: features });
    const target = await trainingPredictions(regression, w, data.x);
    const scaled = Float32Array.from(target.predictions!, (v) => v * 1000);
    const big = await verifyExport(exported.onnx, raw, { ...target, predictions: scaled });
    expect(!big.ok && big.message).toMatch(/prediction values differ .*relative to max\(1, \|value\|\)/);
  });
});

describe('string support at opset 17', () => {
  it('ONNX Runtime refuses Equal on strings before opset 19, which is why text goes through LabelEncoder', async () => {
    const valueInfo = (name: string, elemType: number) => ({ name, type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'N' }] } } } });
    const model = (opset: number) =>
      onnx.ModelProto.encode({
        irVersion: 8,
        opsetImport: [{ domain: '', version: opset }],
        graph: {
          name: 'g',
          node: [{ opType: 'Equal', input: ['x', 'c'], output: ['y'] }],
          input: [valueInfo('x', 8)],
          output: [valueInfo('y', 9)],
          initializer: [{ name: 'c', dataType: 8, dims: [1], stringData: [new TextEncoder().encode('b')] }],
        },
      }).finish();
    await expect(InferenceSession.create(model(17))).rejects.toThrow(/Type 'tensor\(string\)' of input parameter \(x\) of operator \(Equal\)/);
    const session = await InferenceSession.create(model(19));
    const out = await session.run({ x: new Tensor('string', ['a', 'b'], [2]) });
    expect(Array.from(out.y!.data as Uint8Array)).toEqual([0, 1]);
    await session.release();
  });
});
